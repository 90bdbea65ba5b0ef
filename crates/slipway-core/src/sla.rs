//! SLA and aging clocks. A clock is derived, never kept: its start, stop and pauses come from
//! stored events, its time from a calendar, so every reader at every moment agrees on it.

use chrono::{DateTime, Utc};
use smallvec::SmallVec;

pub use crate::alerting::{Alerting, EscalationStep, PolicyError, Threshold};
use crate::{Calendar, CalendarIndex, Request, RequestKind, RequestState, Severity};

/// Business-time arithmetic a clock needs, on Unix seconds: a [`Calendar`], or a
/// [`CalendarIndex`] for bulk evaluation (which also has positions on a fixed scale, so a
/// clock's thresholds cost one lookup each).
pub trait BusinessTime {
    /// Business seconds in `[from, to)`.
    fn between(&self, from: i64, to: i64) -> i64;
    /// The earliest instant at which `seconds` business seconds have passed since `from`.
    fn add(&self, from: i64, seconds: i64) -> i64;
    /// Business seconds from a fixed origin to `t`, where known.
    fn position(&self, _t: i64) -> Option<i64> {
        None
    }
    /// The earliest instant at `position`, where known.
    fn instant(&self, _position: i64) -> Option<i64> {
        None
    }
}

impl BusinessTime for Calendar {
    fn between(&self, from: i64, to: i64) -> i64 {
        Calendar::between(self, time_of(from), time_of(to))
    }
    fn add(&self, from: i64, seconds: i64) -> i64 {
        secs(Calendar::add(self, time_of(from), seconds))
    }
}

impl BusinessTime for CalendarIndex {
    fn between(&self, from: i64, to: i64) -> i64 {
        match (self.position_of(from), self.position_of(to)) {
            (Some(a), Some(b)) => b.saturating_sub(a).max(0),
            _ => CalendarIndex::between(self, time_of(from), time_of(to)),
        }
    }
    fn add(&self, from: i64, seconds: i64) -> i64 {
        secs(CalendarIndex::add(self, time_of(from), seconds))
    }
    fn position(&self, t: i64) -> Option<i64> {
        self.position_of(t)
    }
    fn instant(&self, position: i64) -> Option<i64> {
        self.instant_of(position)
    }
}

/// Stages of a change request that can each have a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlaStage {
    /// Submitted → approved.
    Approve,
    /// Approved → verified.
    Verify,
    /// Verified → deployed.
    Deploy,
    /// Opened → deployed.
    Total,
}

impl SlaStage {
    /// All stages, in lifecycle order.
    pub const ALL: [SlaStage; 4] = [
        SlaStage::Approve,
        SlaStage::Verify,
        SlaStage::Deploy,
        SlaStage::Total,
    ];

    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SlaStage::Approve => "approve",
            SlaStage::Verify => "verify",
            SlaStage::Deploy => "deploy",
            SlaStage::Total => "total",
        }
    }

    /// The stage's goal as people say it ("time to approve").
    pub fn words(self) -> &'static str {
        match self {
            SlaStage::Approve => "time to approve",
            SlaStage::Verify => "time to verify",
            SlaStage::Deploy => "time to deploy",
            SlaStage::Total => "total time",
        }
    }
}

/// The SLA for one request type and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    /// Request type it applies to.
    pub kind: RequestKind,
    /// Severity it applies to.
    pub severity: Severity,
    /// Goal per stage in business seconds (`None`: no clock for that stage).
    pub goals: [Option<i64>; 4],
    /// Warnings, escalation and calendar.
    pub alerting: Alerting,
}

impl SlaPolicy {
    /// A checked policy: at least one goal, every goal positive.
    pub fn new(
        kind: RequestKind,
        severity: Severity,
        goals: [Option<i64>; 4],
        mut alerting: Alerting,
    ) -> Result<SlaPolicy, PolicyError> {
        if goals.iter().all(Option::is_none) {
            return Err(PolicyError::NoGoal);
        }
        for (stage, goal) in SlaStage::ALL.iter().zip(goals) {
            if let Some(seconds) = goal.filter(|&s| s <= 0) {
                return Err(PolicyError::Goal {
                    what: stage_goal_name(*stage),
                    seconds,
                });
            }
        }
        alerting.check()?;
        Ok(SlaPolicy {
            kind,
            severity,
            goals,
            alerting,
        })
    }

    /// The goal of one stage.
    pub fn goal(&self, stage: SlaStage) -> Option<i64> {
        self.goals[stage as usize]
    }
}

fn stage_goal_name(stage: SlaStage) -> &'static str {
    match stage {
        SlaStage::Approve => "the goal to approve",
        SlaStage::Verify => "the goal to verify",
        SlaStage::Deploy => "the goal to deploy",
        SlaStage::Total => "the total goal",
    }
}

/// How long a change may wait in one environment's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingPolicy {
    /// The environment whose queue it watches.
    pub environment: String,
    /// Business seconds a change may wait before it is late.
    pub goal: i64,
    /// Warnings, escalation and calendar.
    pub alerting: Alerting,
}

impl AgingPolicy {
    /// A checked policy.
    pub fn new(
        environment: &str,
        goal: i64,
        mut alerting: Alerting,
    ) -> Result<AgingPolicy, PolicyError> {
        if goal <= 0 {
            return Err(PolicyError::Goal {
                what: "the aging goal",
                seconds: goal,
            });
        }
        alerting.check()?;
        Ok(AgingPolicy {
            environment: environment.to_string(),
            goal,
            alerting,
        })
    }
}

/// Everything needed to read one clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockSpec {
    /// Stable identity (`cr/12/approve`, `age/payments/staging/<sha>`).
    pub key: String,
    /// When it started running.
    pub start: DateTime<Utc>,
    /// When it stopped for good (the stage was reached, or the request ended).
    pub stop: Option<DateTime<Utc>>,
    /// Business seconds allowed.
    pub goal: i64,
    /// Periods it does not run: (from, until; `None` = still paused).
    pub pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// Warning percentages, ascending.
    pub warnings: Vec<u8>,
    /// Reminder interval after breach.
    pub repeat_every: Option<i64>,
    /// After this instant no reminders are due.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// A threshold crossed, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossing {
    /// Which threshold.
    pub threshold: Threshold,
    /// The instant the clock reached it, in Unix seconds (see [`Crossing::at`]).
    pub unix: i64,
}

impl Crossing {
    /// The instant the clock reached it.
    pub fn at(&self) -> DateTime<Utc> {
        time_of(self.unix)
    }
}

/// A clock as it stands at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Business seconds used.
    pub elapsed: i64,
    /// Business seconds left before the breach (negative once breached).
    pub remaining: i64,
    /// `elapsed / goal`, in percent.
    pub percent: f64,
    /// Paused right now.
    pub paused: bool,
    /// Stopped for good (its stage is done or its request ended).
    pub stopped: bool,
    /// The next threshold and when it will be crossed (`None` for the instant while paused).
    pub next: Option<(Threshold, Option<DateTime<Utc>>)>,
    /// Thresholds already crossed, oldest first. Of the reminders only the newest is listed:
    /// reminders a stopped watcher missed are not sent late in a burst.
    pub crossed: SmallVec<[Crossing; 6]>,
}

impl Reading {
    /// Breached: the goal is used up.
    pub fn breached(&self) -> bool {
        self.remaining <= 0
    }
}

/// Unix seconds (the clock arithmetic runs on plain integers; a pass reads 100,000 clocks).
fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn time_of(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A clock's running periods: most clocks have one or two, kept inline (a watcher pass
/// reads 100,000 clocks and should not allocate for each).
type Runs = SmallVec<[Run; 4]>;

/// One period in which a clock runs: from, until (`None`: open-ended), its business length
/// when closed, and the index position of its start when the time source has positions.
#[derive(Clone, Copy)]
struct Run {
    from: i64,
    until: Option<i64>,
    length: Option<i64>,
    position: Option<i64>,
}

impl ClockSpec {
    /// The clock at `now`. Events dated after `now` are ignored, so `slipway sla check --at`
    /// reads the past exactly as it stood.
    pub fn read(&self, time: &impl BusinessTime, now: DateTime<Utc>) -> Reading {
        let (start, now_s) = (secs(self.start), secs(now));
        let stop = self.stop.map(secs);
        let runs = self.runs(time);
        let stopped = stop.is_some_and(|s| s <= now_s);
        let end = stop.map_or(now_s, |s| s.min(now_s)).max(start);
        let elapsed = elapsed_until(&runs, end, time);
        let paused = !stopped
            && now_s >= start
            && !runs
                .iter()
                .any(|r| r.from <= now_s && r.until.is_none_or(|u| u > now_s));
        // An acknowledgement answers a breach: one given before this clock breached (or read
        // before it was given) does not silence its reminders.
        let breach = instant_at(&runs, self.goal, time);
        let acknowledged = self
            .acknowledged_at
            .map(secs)
            .filter(|&a| a <= now_s && breach.is_some_and(|b| b <= a));
        // Reminders stop at the acknowledgement: the newest one due is the one before it.
        let reminded = match acknowledged {
            Some(ack) => elapsed_until(&runs, ack.clamp(start, end), time),
            None => elapsed,
        };
        let mut crossed: SmallVec<[Crossing; 6]> = SmallVec::new();
        let mut next = None;
        for threshold in self.thresholds(reminded) {
            let at = instant_at(&runs, threshold.at(self.goal, self.repeat_every), time);
            let reminder = matches!(threshold, Threshold::Repeat(_));
            if reminder && at.is_some_and(|at| acknowledged.is_some_and(|ack| at > ack)) {
                break;
            }
            match at {
                Some(at) if at <= now_s && stop.is_none_or(|s| at <= s) => {
                    if reminder {
                        crossed.retain(|c| !matches!(c.threshold, Threshold::Repeat(_)));
                    }
                    crossed.push(Crossing {
                        threshold,
                        unix: at,
                    });
                }
                _ if stopped => break,
                at => {
                    next = Some((threshold, at.map(time_of)));
                    break;
                }
            }
        }
        Reading {
            elapsed,
            remaining: self.goal.saturating_sub(elapsed),
            percent: elapsed as f64 * 100.0 / self.goal as f64,
            paused,
            stopped,
            next,
            crossed,
        }
    }

    /// When the goal runs out, if the clock keeps running as its events say (`None` when it
    /// stopped first or is paused with no end).
    pub fn due(&self, time: &impl BusinessTime) -> Option<DateTime<Utc>> {
        let at = instant_at(&self.runs(time), self.goal, time)?;
        self.stop.is_none_or(|s| at <= secs(s)).then(|| time_of(at))
    }

    /// The periods the clock runs in: from its start, around its pauses (merged where they
    /// overlap), open-ended after the last one (its stop is applied by the reader).
    fn runs(&self, time: &impl BusinessTime) -> Runs {
        let mut pauses: SmallVec<[(i64, Option<i64>); 4]> = self
            .pauses
            .iter()
            .map(|&(a, b)| (secs(a), b.map(secs)))
            .filter(|&(a, b)| b.is_none_or(|b| b > a))
            .collect();
        pauses.sort_unstable_by_key(|p| p.0);
        let mut runs = Runs::new();
        let mut cursor = Some(secs(self.start));
        for (from, to) in pauses {
            let Some(c) = cursor else { break };
            if to.is_some_and(|t| t <= c) {
                continue;
            }
            if from > c {
                runs.push(Run {
                    from: c,
                    until: Some(from),
                    length: Some(time.between(c, from)),
                    position: time.position(c),
                });
            }
            cursor = to.map(|t| t.max(c));
        }
        if let Some(c) = cursor {
            runs.push(Run {
                from: c,
                until: None,
                length: None,
                position: time.position(c),
            });
        }
        runs
    }

    /// The thresholds worth looking at, in order: the warnings, the breach, then the newest
    /// reminder reached and the one after it.
    fn thresholds(&self, elapsed: i64) -> impl Iterator<Item = Threshold> + '_ {
        let reminders = match self.repeat_every {
            Some(every) if every > 0 => {
                let reached = if elapsed >= self.goal {
                    elapsed.saturating_sub(self.goal) / every
                } else {
                    0
                };
                let reached = u32::try_from(reached).unwrap_or(u32::MAX - 1);
                Some(reached.max(1)..=reached + 1)
            }
            _ => None,
        };
        self.warnings
            .iter()
            .map(|&p| Threshold::Warning(p))
            .chain(std::iter::once(Threshold::Breach))
            .chain(reminders.into_iter().flatten().map(Threshold::Repeat))
    }
}

/// Business seconds run up to `end`.
fn elapsed_until(runs: &[Run], end: i64, time: &impl BusinessTime) -> i64 {
    let mut elapsed: i64 = 0;
    for run in runs {
        if run.from >= end {
            break;
        }
        let part = match run.until {
            Some(until) if until <= end => run.length.unwrap_or(0),
            _ => match (run.position, time.position(end)) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => time.between(run.from, end),
            },
        };
        elapsed = elapsed.saturating_add(part);
    }
    elapsed
}

/// When the clock reaches `target` business seconds; `None` if it never does (paused for
/// good).
fn instant_at(runs: &[Run], target: i64, time: &impl BusinessTime) -> Option<i64> {
    let mut left = target;
    for run in runs {
        match run.length {
            Some(length) if left > length => left -= length,
            _ => {
                return Some(
                    run.position
                        .and_then(|p| time.instant(p.checked_add(left)?))
                        .unwrap_or_else(|| time.add(run.from, left)),
                )
            }
        }
    }
    None
}

/// A request's running clocks under `policy`: one per stage with a goal whose stage has begun.
/// `freezes` are the freeze windows of the request's target environment.
pub fn request_clocks(
    id: i64,
    request: &Request,
    policy: &SlaPolicy,
    freezes: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(SlaStage, ClockSpec)> {
    use RequestState as S;
    let first = |state: S| {
        request
            .transitions
            .iter()
            .find(|(s, _)| *s == state)
            .map(|(_, at)| *at)
    };
    let ended = request
        .transitions
        .iter()
        .find(|(s, _)| matches!(s, S::Rejected | S::Cancelled | S::Closed))
        .map(|(_, at)| *at);
    let deployed = first(S::Deployed);
    let approved = first(S::Approved);
    let verified = first(S::Verified);
    let spans = [
        (
            SlaStage::Approve,
            first(S::Submitted).or(approved),
            approved,
        ),
        (SlaStage::Verify, approved, verified.or(deployed)),
        (SlaStage::Deploy, verified, deployed),
        (SlaStage::Total, Some(request.opened_at), deployed),
    ];
    let mut pauses = Vec::new();
    if policy.alerting.pause_on_hold {
        pauses.extend(request.holds.iter().copied());
    }
    if policy.alerting.pause_in_freeze {
        pauses.extend(freezes.iter().map(|&(a, b)| (a, Some(b))));
    }
    spans
        .into_iter()
        .filter_map(|(stage, start, stop)| {
            let goal = policy.goal(stage)?;
            let start = start?;
            let stop = match (stop, ended) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Some((
                stage,
                ClockSpec {
                    key: format!("cr/{id}/{}", stage.as_str()),
                    start,
                    stop,
                    goal,
                    pauses: pauses.clone(),
                    warnings: policy.alerting.warnings.clone(),
                    repeat_every: policy.alerting.repeat_every,
                    acknowledged_at: request.acknowledged_at,
                },
            ))
        })
        .collect()
}

/// The aging clock of a change waiting in `project`'s `policy.environment` queue since
/// `waiting_since`; it stops at `shipped_at` when its patch reached the environment as
/// another commit.
pub fn aging_clock(
    project: &str,
    sha: &str,
    waiting_since: DateTime<Utc>,
    shipped_at: Option<DateTime<Utc>>,
    policy: &AgingPolicy,
    freezes: &[(DateTime<Utc>, DateTime<Utc>)],
    acknowledged_at: Option<DateTime<Utc>>,
) -> ClockSpec {
    ClockSpec {
        key: format!("age/{project}/{}/{sha}", policy.environment),
        start: waiting_since,
        stop: shipped_at,
        goal: policy.goal,
        pauses: if policy.alerting.pause_in_freeze {
            freezes.iter().map(|&(a, b)| (a, Some(b))).collect()
        } else {
            Vec::new()
        },
        warnings: policy.alerting.warnings.clone(),
        repeat_every: policy.alerting.repeat_every,
        acknowledged_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApprovalRule, Entry, Opening, RequestEvent};
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap()
    }

    fn h(hours: f64) -> DateTime<Utc> {
        t0() + Duration::seconds((hours * 3600.0) as i64)
    }

    fn spec(goal_hours: i64) -> ClockSpec {
        ClockSpec {
            key: "cr/1/total".into(),
            start: t0(),
            stop: None,
            goal: goal_hours * 3600,
            pauses: Vec::new(),
            warnings: vec![50, 75],
            repeat_every: None,
            acknowledged_at: None,
        }
    }

    fn keys(r: &Reading) -> Vec<String> {
        r.crossed.iter().map(|c| c.threshold.key()).collect()
    }

    /// (what, clock, now in hours, elapsed hours, crossed keys, next key and its hour, paused)
    #[test]
    fn clocks_read_the_same_from_their_events() {
        let paused = |mut s: ClockSpec, from: f64, to: Option<f64>| {
            s.pauses.push((h(from), to.map(h)));
            s
        };
        let reminders = |mut s: ClockSpec| {
            s.repeat_every = Some(3600);
            s
        };
        type Case = (
            &'static str,
            ClockSpec,
            f64,
            f64,
            Vec<&'static str>,
            Option<(&'static str, Option<f64>)>,
            bool,
        );
        let cases: Vec<Case> = vec![
            (
                "fresh",
                spec(4),
                0.0,
                0.0,
                vec![],
                Some(("warn-50", Some(2.0))),
                false,
            ),
            (
                "half way",
                spec(4),
                2.0,
                2.0,
                vec!["warn-50"],
                Some(("warn-75", Some(3.0))),
                false,
            ),
            (
                "a closed pause moves every threshold",
                paused(spec(4), 1.0, Some(2.0)),
                3.0,
                2.0,
                vec!["warn-50"],
                Some(("warn-75", Some(4.0))),
                false,
            ),
            (
                "an open pause: no instant for the next threshold",
                paused(spec(4), 1.0, None),
                5.0,
                1.0,
                vec![],
                Some(("warn-50", None)),
                true,
            ),
            (
                "overlapping pauses count once",
                paused(paused(spec(4), 1.0, Some(3.0)), 2.0, Some(4.0)),
                5.0,
                2.0,
                vec!["warn-50"],
                Some(("warn-75", Some(6.0))),
                false,
            ),
            (
                "stopped before the breach",
                ClockSpec {
                    stop: Some(h(3.5)),
                    ..spec(4)
                },
                10.0,
                3.5,
                vec!["warn-50", "warn-75"],
                None,
                false,
            ),
            (
                "breached",
                spec(4),
                4.5,
                4.5,
                vec!["warn-50", "warn-75", "breach"],
                None,
                false,
            ),
            (
                "reminders: only the newest is listed",
                reminders(spec(4)),
                6.5,
                6.5,
                vec!["warn-50", "warn-75", "breach", "repeat-2"],
                Some(("repeat-3", Some(7.0))),
                false,
            ),
            (
                "acknowledged: no reminder after",
                ClockSpec {
                    acknowledged_at: Some(h(5.5)),
                    ..reminders(spec(4))
                },
                8.0,
                8.0,
                vec!["warn-50", "warn-75", "breach", "repeat-1"],
                None,
                false,
            ),
            (
                "an acknowledgement before the breach does not silence it",
                ClockSpec {
                    acknowledged_at: Some(h(3.0)),
                    ..reminders(spec(4))
                },
                6.5,
                6.5,
                vec!["warn-50", "warn-75", "breach", "repeat-2"],
                Some(("repeat-3", Some(7.0))),
                false,
            ),
            (
                "an acknowledgement in the future of --at does not count",
                ClockSpec {
                    acknowledged_at: Some(h(9.0)),
                    ..reminders(spec(4))
                },
                8.0,
                8.0,
                vec!["warn-50", "warn-75", "breach", "repeat-4"],
                Some(("repeat-5", Some(9.0))),
                false,
            ),
            (
                "read before it started",
                spec(4),
                -1.0,
                0.0,
                vec![],
                Some(("warn-50", Some(2.0))),
                false,
            ),
        ];
        for (what, clock, now, elapsed, crossed, next, paused) in cases {
            let r = clock.read(&Calendar::Always, h(now));
            assert_eq!(r.elapsed, (elapsed * 3600.0) as i64, "{what}: elapsed");
            assert_eq!(keys(&r), crossed, "{what}: crossed");
            assert_eq!(
                r.next.map(|(t, at)| (t.key(), at)),
                next.map(|(k, at)| (k.to_string(), at.map(h))),
                "{what}: next"
            );
            assert_eq!(r.paused, paused, "{what}: paused");
        }
    }

    #[test]
    fn a_friday_evening_emergency_waits_for_monday() {
        // Friday 2026-11-20 17:00 in Berlin (16:00 UTC), 4 business hours, 09:00–17:00.
        let berlin = Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, Vec::new()).unwrap();
        let clock = spec(4);
        let saturday = clock.read(&berlin, h(20.0));
        assert_eq!(saturday.elapsed, 0);
        let monday = |hh, mm| Utc.with_ymd_and_hms(2026, 11, 23, hh, mm, 0).unwrap();
        assert_eq!(
            saturday.next,
            Some((Threshold::Warning(50), Some(monday(10, 0))))
        );
        let later = clock.read(&berlin, monday(11, 30));
        assert_eq!(keys(&later), vec!["warn-50", "warn-75"]);
        assert_eq!(later.next, Some((Threshold::Breach, Some(monday(12, 0)))));
        let breach = clock.read(&berlin, monday(13, 0));
        assert!(breach.breached());
        assert_eq!(breach.crossed.last().map(|c| c.at()), Some(monday(12, 0)));
    }

    #[test]
    fn a_hold_spanning_days_in_business_time() {
        let berlin = Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, Vec::new()).unwrap();
        let at = |d, hh| Utc.with_ymd_and_hms(2026, 11, d, hh, 0, 0).unwrap();
        // Monday 09:00 Berlin (08:00 UTC), 8 business hours, on hold from Monday 15:00 to
        // Wednesday 10:00 Berlin.
        let clock = ClockSpec {
            start: at(23, 8),
            goal: 8 * 3600,
            pauses: vec![(at(23, 14), Some(at(25, 9)))],
            ..spec(8)
        };
        let wednesday = clock.read(&berlin, at(25, 12));
        assert_eq!(
            wednesday.elapsed,
            9 * 3600,
            "6 h on Monday and 3 h on Wednesday"
        );
        let crossed: Vec<_> = wednesday
            .crossed
            .iter()
            .map(|c| (c.threshold.key(), c.at()))
            .collect();
        assert_eq!(
            crossed,
            vec![
                ("warn-50".to_string(), at(23, 12)),
                ("warn-75".to_string(), at(23, 14)),
                ("breach".to_string(), at(25, 11)),
            ]
        );
        let tuesday = clock.read(&berlin, at(24, 12));
        assert!(tuesday.paused && tuesday.elapsed == 6 * 3600);
        assert_eq!(tuesday.next, Some((Threshold::Breach, Some(at(25, 11)))));
        // The index reads it identically.
        let index = berlin.index(at(1, 0), at(30, 0));
        assert_eq!(clock.read(&index, at(25, 12)), wednesday);
        assert_eq!(clock.due(&index), Some(at(25, 11)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// A clock reads the same through the calendar and through its index, and its elapsed
        /// time never goes backwards as time passes.
        #[test]
        fn readings_agree_and_never_go_backwards(
            start in 0i64..(30 * 86_400),
            goal in 60i64..(5 * 86_400),
            pause in proptest::option::of((0i64..(20 * 86_400), proptest::option::of(60i64..(3 * 86_400)))),
            now in 0i64..(40 * 86_400),
            later in 0i64..(3 * 86_400),
            berlin in proptest::bool::ANY,
        ) {
            let base = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
            let calendar = if berlin {
                Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, Vec::new()).unwrap()
            } else {
                Calendar::weekdays("America/New_York", 8 * 60, 18 * 60, Vec::new()).unwrap()
            };
            let index = calendar.index(base - Duration::days(10), base + Duration::days(60));
            let clock = ClockSpec {
                start: base + Duration::seconds(start),
                goal,
                pauses: pause
                    .map(|(from, len)| {
                        let from = base + Duration::seconds(start + from);
                        (from, len.map(|l| from + Duration::seconds(l)))
                    })
                    .into_iter()
                    .collect(),
                repeat_every: Some(3600),
                ..spec(1)
            };
            let now = base + Duration::seconds(now);
            let direct = clock.read(&calendar, now);
            proptest::prop_assert_eq!(&direct, &clock.read(&index, now));
            let after = clock.read(&calendar, now + Duration::seconds(later));
            proptest::prop_assert!(after.elapsed >= direct.elapsed);
            proptest::prop_assert!(direct.elapsed <= (now - clock.start).num_seconds().max(0));
        }
    }

    #[test]
    fn threshold_keys_round_trip() {
        for t in [
            Threshold::Warning(50),
            Threshold::Breach,
            Threshold::Repeat(12),
        ] {
            assert_eq!(Threshold::from_key(&t.key()), Some(t));
        }
        assert_eq!(Threshold::from_key("warn-x"), None);
    }

    #[test]
    fn policies_refuse_impossible_numbers() {
        let ok = Alerting::new("24x7");
        let cases: Vec<([Option<i64>; 4], Alerting, &str)> = vec![
            ([None, None, None, Some(0)], ok.clone(), "the total goal must be longer than zero (got 0 s)"),
            ([Some(-60), None, None, None], ok.clone(), "the goal to approve must be longer than zero (got -60 s)"),
            ([None; 4], ok.clone(), "a policy needs at least one goal (approve, verify, deploy or total)"),
            ([Some(60), None, None, None], Alerting { warnings: vec![50, 100], ..ok.clone() }, "a warning at 100 % is not possible; warnings are between 1 % and 99 % (the breach is 100 %)"),
            ([Some(60), None, None, None], Alerting { escalation: vec![EscalationStep { at: Threshold::Warning(60), notify: vec!["assignee".into()] }], ..ok.clone() }, "the escalation chain has a step at 60 % but the policy has no such warning"),
            ([Some(60), None, None, None], Alerting { repeat_every: Some(0), ..ok.clone() }, "the reminder interval must be longer than zero (got 0 s)"),
            ([Some(60), None, None, None], Alerting { escalation: vec![EscalationStep { at: Threshold::Breach, notify: vec![" ".into()] }], ..ok.clone() }, "the escalation step at breach names nobody to tell"),
        ];
        for (goals, alerting, want) in cases {
            let got = SlaPolicy::new(RequestKind::Emergency, Severity::Sev1, goals, alerting);
            assert_eq!(got.unwrap_err().to_string(), want);
        }
        assert!(AgingPolicy::new("staging", 0, ok).is_err());
    }

    #[test]
    fn a_request_has_a_clock_per_stage_that_has_begun() {
        let at = |m: i64| t0() + Duration::minutes(m);
        let rule = ApprovalRule::default_for(RequestKind::Emergency);
        let mut r = Request::open(
            at(-30),
            "ana@x",
            Opening {
                project: "payments".into(),
                kind: RequestKind::Emergency,
                severity: Severity::Sev1,
                title: "Refunds fail".into(),
                description: String::new(),
                requester: "ana@x".into(),
                assignee: None,
                target_environment: None,
            },
        )
        .unwrap();
        for (m, who, event) in [
            (0, "ana@x", RequestEvent::Submitted),
            (
                10,
                "rm@x",
                RequestEvent::Approved {
                    role: "release-manager".into(),
                },
            ),
            (
                20,
                "ana@x",
                RequestEvent::Held {
                    reason: "vendor".into(),
                },
            ),
            (50, "ana@x", RequestEvent::Resumed),
            (60, "qa@x", RequestEvent::Approved { role: "qa".into() }),
        ] {
            r.apply(
                Entry {
                    at: at(m),
                    actor: who.into(),
                    event,
                },
                &rule,
            )
            .unwrap();
        }
        let policy = SlaPolicy::new(
            RequestKind::Emergency,
            Severity::Sev1,
            [Some(3600), Some(7200), None, Some(4 * 3600)],
            Alerting::new("24x7"),
        )
        .unwrap();
        let clocks = request_clocks(7, &r, &policy, &[]);
        let summary: Vec<_> = clocks
            .iter()
            .map(|(s, c)| (*s, c.key.as_str(), c.start, c.stop))
            .collect();
        assert_eq!(
            summary,
            vec![
                (SlaStage::Approve, "cr/7/approve", at(0), Some(at(60))),
                (SlaStage::Verify, "cr/7/verify", at(60), None),
                (SlaStage::Total, "cr/7/total", at(-30), None),
            ]
        );
        // The approval took 60 minutes of which 30 on hold.
        let approve = clocks[0].1.read(&Calendar::Always, at(120));
        assert_eq!((approve.elapsed, approve.stopped), (30 * 60, true));
        // With `--run-on-hold` the hold counts: all 60 minutes.
        let mut running = policy.clone();
        running.alerting.pause_on_hold = false;
        let clocks = request_clocks(7, &r, &running, &[]);
        let approve = clocks[0].1.read(&Calendar::Always, at(120));
        assert_eq!(approve.elapsed, 60 * 60);
        // Freeze windows pause only where the policy says so.
        let freeze = [(at(0), at(10))];
        let frozen = request_clocks(7, &r, &running, &freeze)[0]
            .1
            .read(&Calendar::Always, at(120));
        assert_eq!(frozen.elapsed, 50 * 60);
        running.alerting.pause_in_freeze = false;
        let unfrozen = request_clocks(7, &r, &running, &freeze)[0]
            .1
            .read(&Calendar::Always, at(120));
        assert_eq!(unfrozen.elapsed, 60 * 60);
    }
}

#[cfg(test)]
mod overflow_tests {
    use super::*;
    use chrono::TimeZone;

    /// Goals, intervals and instants at the ends of the range (a policy stored before
    /// durations were bounded, or a hand-edited row) read without a panic or a wrap: what
    /// can never be reached reads as never reached.
    #[test]
    fn extreme_goals_and_instants_read_without_overflow() {
        let start = Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap();
        let weekdays = Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, vec![]).unwrap();
        let calendars = [Calendar::Always, weekdays];
        let goals = [1, i64::MAX / 2, i64::MAX - 1, i64::MAX];
        let repeats = [None, Some(1), Some(i64::MAX)];
        let nows = [
            start,
            start + chrono::Duration::days(400),
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MIN_UTC,
        ];
        for calendar in &calendars {
            for &goal in &goals {
                for &repeat_every in &repeats {
                    let clock = ClockSpec {
                        key: "cr/1/total".into(),
                        start,
                        stop: None,
                        goal,
                        pauses: vec![(start + chrono::Duration::hours(1), None)],
                        warnings: vec![50, 75, 100],
                        repeat_every,
                        acknowledged_at: None,
                    };
                    for &now in &nows {
                        let reading = clock.read(calendar, now);
                        assert!(reading.remaining <= goal, "{goal} {repeat_every:?} {now}");
                        assert!(reading.elapsed >= 0, "{goal} {repeat_every:?} {now}");
                        if goal > i64::MAX / 4 {
                            assert!(
                                reading.crossed.is_empty(),
                                "nothing is crossed of a goal never reached: {goal} {now}"
                            );
                        }
                        let _ = clock.due(calendar);
                    }
                }
            }
        }
    }
}
