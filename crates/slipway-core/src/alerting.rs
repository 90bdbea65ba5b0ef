//! How a clock warns and escalates: its thresholds (warnings, the breach, reminders after it),
//! the escalation chain, and who each step tells.

use crate::Opening;

/// A point on a clock that is worth telling someone about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Threshold {
    /// A warning at this percent of the goal.
    Warning(u8),
    /// The goal is used up.
    Breach,
    /// The n-th reminder after the breach (1-based), until someone acknowledges.
    Repeat(u32),
}

impl Threshold {
    /// Stable key, unique per clock: `warn-50`, `breach`, `repeat-3`.
    pub fn key(self) -> String {
        match self {
            Threshold::Warning(p) => format!("warn-{p}"),
            Threshold::Breach => "breach".into(),
            Threshold::Repeat(n) => format!("repeat-{n}"),
        }
    }

    /// Reads a key back.
    pub fn from_key(key: &str) -> Option<Threshold> {
        if key == "breach" {
            return Some(Threshold::Breach);
        }
        if let Some(p) = key.strip_prefix("warn-") {
            return p.parse().ok().map(Threshold::Warning);
        }
        key.strip_prefix("repeat-")?
            .parse()
            .ok()
            .map(Threshold::Repeat)
    }

    /// The threshold as people say it ("75 % of the goal used").
    pub fn words(self) -> String {
        match self {
            Threshold::Warning(p) => format!("{p} % of the goal used"),
            Threshold::Breach => "goal breached".to_string(),
            Threshold::Repeat(n) => format!("still breached (reminder {n})"),
        }
    }

    /// Business seconds into the clock at which it is crossed. Saturating: a goal stored
    /// before durations were bounded (or written by hand) reads as "never", not as a wrap.
    pub(crate) fn at(self, goal: i64, repeat_every: Option<i64>) -> i64 {
        match self {
            Threshold::Warning(p) => {
                i64::try_from(i128::from(goal) * i128::from(p) / 100).unwrap_or(i64::MAX)
            }
            Threshold::Breach => goal,
            Threshold::Repeat(n) => {
                goal.saturating_add(i64::from(n).saturating_mul(repeat_every.unwrap_or(goal)))
            }
        }
    }
}

/// One rung of an escalation chain: at a threshold, who is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationStep {
    /// A warning or the breach (repeats go to the breach step's people).
    pub at: Threshold,
    /// Who: `assignee`, `requester`, `role:NAME`, or an email address.
    pub notify: Vec<String>,
}

/// How a clock warns and escalates: shared by SLA policies and aging policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alerting {
    /// The calendar's name (business time is measured in it).
    pub calendar: String,
    /// Warning percentages, ascending, each in 1–99.
    pub warnings: Vec<u8>,
    /// Who is told at each threshold.
    pub escalation: Vec<EscalationStep>,
    /// Business seconds between reminders after a breach; `None`: no reminders.
    pub repeat_every: Option<i64>,
    /// Whether the clock stops while its request is on hold.
    pub pause_on_hold: bool,
    /// Whether the clock stops during freeze windows.
    pub pause_in_freeze: bool,
}

impl Alerting {
    /// Default warnings (50 % and 75 %), no escalation, no reminders, paused on hold.
    pub fn new(calendar: &str) -> Alerting {
        Alerting {
            calendar: calendar.to_string(),
            warnings: vec![50, 75],
            escalation: Vec::new(),
            repeat_every: None,
            pause_on_hold: true,
            pause_in_freeze: true,
        }
    }

    /// Checks the numbers: warnings strictly inside 1–99, repeats a positive interval, every
    /// escalation step at a threshold that exists.
    pub fn check(&mut self) -> Result<(), PolicyError> {
        if let Some(&bad) = self.warnings.iter().find(|&&p| p == 0 || p >= 100) {
            return Err(PolicyError::Warning(bad));
        }
        self.warnings.sort_unstable();
        self.warnings.dedup();
        if let Some(every) = self.repeat_every.filter(|&s| s <= 0) {
            return Err(PolicyError::Goal {
                what: "the reminder interval",
                seconds: every,
            });
        }
        for step in &self.escalation {
            match step.at {
                Threshold::Warning(p) if !self.warnings.contains(&p) => {
                    return Err(PolicyError::Escalation(p))
                }
                Threshold::Repeat(_) => return Err(PolicyError::Escalation(100)),
                _ => {}
            }
            if step.notify.iter().all(|w| w.trim().is_empty()) {
                return Err(PolicyError::NobodyToTell(step.at.key()));
            }
        }
        Ok(())
    }

    /// Who is told when `threshold` is crossed.
    pub fn recipients(&self, threshold: Threshold) -> &[String] {
        let level = match threshold {
            Threshold::Repeat(_) => Threshold::Breach,
            t => t,
        };
        self.escalation
            .iter()
            .find(|s| s.at == level)
            .map_or(&[], |s| &s.notify)
    }

    /// The addresses told when `threshold` is crossed: the escalation step's entries with
    /// `assignee` and `requester` (of a request; a queued change has neither) and `role:NAME`
    /// (everyone in `people` holding it, matched without case) resolved; each address once.
    pub fn resolve(
        &self,
        threshold: Threshold,
        request: Option<&Opening>,
        people: &[(String, Vec<String>)],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for who in self.recipients(threshold) {
            let resolved: Vec<String> = match (who.as_str(), request) {
                ("assignee", Some(o)) => o.assignee.iter().cloned().collect(),
                ("requester", Some(o)) => vec![o.requester.clone()],
                ("assignee" | "requester", None) => Vec::new(),
                (word, _) => match word.strip_prefix("role:") {
                    Some(want) => people
                        .iter()
                        .filter(|(_, roles)| roles.iter().any(|r| r.eq_ignore_ascii_case(want)))
                        .map(|(email, _)| email.clone())
                        .collect(),
                    None => vec![word.to_string()],
                },
            };
            for r in resolved {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// Why a policy cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Zero or negative duration.
    #[error("{what} must be longer than zero (got {seconds} s)")]
    Goal {
        /// Which number.
        what: &'static str,
        /// The value.
        seconds: i64,
    },
    /// No stage has a goal.
    #[error("a policy needs at least one goal (approve, verify, deploy or total)")]
    NoGoal,
    /// Warning outside 1–99.
    #[error("a warning at {0} % is not possible; warnings are between 1 % and 99 % (the breach is 100 %)")]
    Warning(u8),
    /// An escalation step at a threshold the policy does not have.
    #[error("the escalation chain has a step at {0} % but the policy has no such warning")]
    Escalation(u8),
    /// An escalation step with nobody in it.
    #[error("the escalation step at {0} names nobody to tell")]
    NobodyToTell(String),
}
