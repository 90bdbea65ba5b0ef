//! Business time for SLA clocks: which instants count, and how many of them lie between two.
//!
//! All arithmetic runs on whole Unix seconds; sub-second parts of inputs are dropped (floored), so
//! `between` is exactly additive and `add` is its exact inverse.

use std::iter::successors;

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc,
};
use chrono_tz::Tz;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// `add` gives up this far ahead, so a calendar closed for centuries by holidays still terminates.
const SEARCH_CAP: i64 = 36_525 * DAY;
/// Business instants are clamped to years 1–9999 so date arithmetic can never overflow.
const FIRST_SECOND: i64 = -62_135_596_800;
const LAST_SECOND: i64 = 253_402_300_799;
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Opening hours of one weekday, as minutes since local midnight: [open, close), close <= 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    /// Minute of the local day the clock starts running.
    pub open: u16,
    /// Minute of the local day the clock stops; 1440 is the next local midnight.
    pub close: u16,
}

/// A named holiday: every local date from `from` to `to` inclusive is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// What people call it; error messages quote it.
    pub name: String,
    /// First closed local date.
    pub from: NaiveDate,
    /// Last closed local date.
    pub to: NaiveDate,
}

/// When business time runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calendar {
    /// 24×7: every second counts.
    Always,
    /// Opening hours in a time zone, minus holidays.
    Business(BusinessCalendar),
}

/// Weekly hours in one zone, with holidays; only [`Calendar::business`] builds one, so it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    zone: Tz,
    week: [Option<Hours>; 7],
    holidays: Vec<Holiday>,
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The zone name is not in the tz database.
    #[error("“{0}” is not a time zone; use a name such as Europe/Berlin")]
    UnknownZone(String),
    /// One weekday's hours are empty, reversed or run past midnight.
    #[error(
        "{day}'s hours {} to {} are not valid: opening must come before closing, and closing can be 24:00 at the latest",
        clock_time(*.open),
        clock_time(*.close)
    )]
    BadHours {
        /// The weekday, in English.
        day: String,
        /// The opening minute as given.
        open: u16,
        /// The closing minute as given.
        close: u16,
    },
    /// No weekday has any hours, so the clock would never run.
    #[error("the calendar is never open; give at least one weekday opening hours, or use the 24×7 calendar")]
    NoOpenHours,
    /// Two holidays share a date; merging silently could hide a typo.
    #[error("holidays “{first}” and “{second}” overlap on {on}; merge them into one holiday or change their dates")]
    OverlappingHolidays {
        /// The holiday that starts first.
        first: String,
        /// The holiday that starts later.
        second: String,
        /// The first date both cover.
        on: NaiveDate,
    },
    /// A holiday ends before it starts.
    #[error("holiday “{name}” ends on {to}, before it starts on {from}; check its dates")]
    HolidayBackwards {
        /// The holiday's name.
        name: String,
        /// Its first date as given.
        from: NaiveDate,
        /// Its last date as given.
        to: NaiveDate,
    },
}

fn clock_time(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Whole Unix seconds back to an instant, saturating so extreme inputs never panic.
fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(if seconds < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

impl Calendar {
    /// A calendar open `week` (Monday first) in `zone`, closed on `holidays`.
    pub fn business(
        zone: &str,
        week: [Option<Hours>; 7],
        mut holidays: Vec<Holiday>,
    ) -> Result<Calendar, CalendarError> {
        let zone: Tz = zone
            .parse()
            .map_err(|_| CalendarError::UnknownZone(zone.to_string()))?;
        for (day, hours) in WEEKDAYS.iter().zip(&week) {
            if let Some(Hours { open, close }) = *hours {
                if open >= close || close > 1440 {
                    return Err(CalendarError::BadHours {
                        day: day.to_string(),
                        open,
                        close,
                    });
                }
            }
        }
        if week.iter().all(Option::is_none) {
            return Err(CalendarError::NoOpenHours);
        }
        if let Some(h) = holidays.iter().find(|h| h.to < h.from) {
            return Err(CalendarError::HolidayBackwards {
                name: h.name.clone(),
                from: h.from,
                to: h.to,
            });
        }
        holidays.sort_by(|a, b| (a.from, a.to, &a.name).cmp(&(b.from, b.to, &b.name)));
        // Sorted by start, any overlap shows up between neighbours.
        if let Some(pair) = holidays.windows(2).find(|p| p[1].from <= p[0].to) {
            return Err(CalendarError::OverlappingHolidays {
                first: pair[0].name.clone(),
                second: pair[1].name.clone(),
                on: pair[1].from,
            });
        }
        Ok(Calendar::Business(BusinessCalendar {
            zone,
            week,
            holidays,
        }))
    }

    /// Monday to Friday from `open` to `close` (minutes since local midnight) in `zone`.
    pub fn weekdays(
        zone: &str,
        open: u16,
        close: u16,
        holidays: Vec<Holiday>,
    ) -> Result<Calendar, CalendarError> {
        let hours = Some(Hours { open, close });
        Calendar::business(
            zone,
            [hours, hours, hours, hours, hours, None, None],
            holidays,
        )
    }

    /// Business seconds in [from, to); 0 when `to <= from`.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        let (from, to) = (from.timestamp(), to.timestamp());
        if to <= from {
            return 0;
        }
        match self {
            Calendar::Always => to - from,
            Calendar::Business(b) => b.between(from, to),
        }
    }

    /// The earliest instant `t >= from` with `between(from, t) == seconds`; `from` for `seconds <= 0`.
    ///
    /// A business calendar searches at most 100 years ahead and answers that limit if the
    /// time never accrues (for example, holidays cover everything).
    pub fn add(&self, from: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        if seconds <= 0 {
            return from;
        }
        instant(match self {
            Calendar::Always => from.timestamp().saturating_add(seconds),
            Calendar::Business(b) => b.add(from.timestamp(), seconds),
        })
    }

    /// The close of the `days`-th business day after the day `from` falls on (that day
    /// itself does not count): a follow-up's due date. 24×7 counts whole days from `from`.
    /// A business calendar that never opens again within 100 years answers that limit.
    pub fn add_business_days(&self, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        match self {
            Calendar::Always => instant(
                from.timestamp()
                    .saturating_add(i64::from(days).saturating_mul(DAY)),
            ),
            Calendar::Business(b) => instant(b.add_days(from.timestamp(), days)),
        }
    }

    /// The close of local `date` if it is a business day, else of the next one: what a due
    /// date typed as a day means. 24×7: the midnight that ends `date` (UTC).
    pub fn close_of_date(&self, date: NaiveDate) -> DateTime<Utc> {
        match self {
            Calendar::Always => instant(
                date.succ_opt()
                    .unwrap_or(date)
                    .and_time(NaiveTime::MIN)
                    .and_utc()
                    .timestamp(),
            ),
            Calendar::Business(b) => {
                let start = b.utc_of(date.and_time(NaiveTime::MIN));
                instant(
                    b.closes_from(date, start + SEARCH_CAP)
                        .next()
                        .unwrap_or(start + SEARCH_CAP),
                )
            }
        }
    }

    /// When the business day that `at` falls in (or, outside hours, the last one that
    /// opened before it) opened: a follow-up's reminder goes out then. 24×7: a day before.
    pub fn opening_of_day(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Calendar::Always => instant(at.timestamp().saturating_sub(DAY)),
            Calendar::Business(b) => instant(b.opening_before(at.timestamp())),
        }
    }

    /// Whether the business clock runs during the second containing `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let t = at.timestamp();
        match self {
            Calendar::Always => true,
            Calendar::Business(b) => b.between(t, t.saturating_add(1)) == 1,
        }
    }

    /// The IANA zone name; `None` for 24×7, which has no zone.
    pub fn zone_name(&self) -> Option<&str> {
        match self {
            Calendar::Always => None,
            Calendar::Business(b) => Some(b.zone_name()),
        }
    }

    /// Opening hours Monday first; `None` for 24×7.
    pub fn week(&self) -> Option<&[Option<Hours>; 7]> {
        match self {
            Calendar::Always => None,
            Calendar::Business(b) => Some(b.week()),
        }
    }

    /// Holidays sorted by date; none for 24×7.
    pub fn holidays(&self) -> &[Holiday] {
        match self {
            Calendar::Always => &[],
            Calendar::Business(b) => b.holidays(),
        }
    }

    /// A table of the business windows in [from, to], for evaluating many clocks at once.
    pub fn index(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> CalendarIndex {
        let start = from.timestamp();
        let end = to.timestamp().max(start);
        let spans: Vec<(i64, i64)> = match self {
            Calendar::Always => vec![(start, end)],
            Calendar::Business(b) => b.windows(start, end).collect(),
        };
        let mut before = 0;
        let windows = spans
            .into_iter()
            .map(|(s, e)| (s.max(start), e.min(end)))
            .filter(|(s, e)| s < e)
            .map(|(start, end)| {
                let window = Window { start, end, before };
                before += end - start;
                window
            })
            .collect();
        let windows: Vec<Window> = windows;
        // Hour buckets make both lookups a jump plus a step or two instead of a binary search:
        // a watcher pass reads every clock against the same index.
        let by_time = (0..=(end - start) / BUCKET)
            .map(|b| {
                let at = start + b * BUCKET;
                windows.partition_point(|w| w.end <= at) as u32
            })
            .collect();
        let by_position = (0..=before / BUCKET)
            .map(|b| windows.partition_point(|w| w.before + (w.end - w.start) < b * BUCKET) as u32)
            .collect();
        CalendarIndex {
            calendar: self.clone(),
            start,
            end,
            total: before,
            windows,
            by_time,
            by_position,
        }
    }
}

/// Bucket width of an index's lookup tables, in seconds (of wall time, and of business time).
const BUCKET: i64 = 3600;

impl BusinessCalendar {
    /// The IANA zone name.
    pub fn zone_name(&self) -> &str {
        self.zone.name()
    }

    /// Opening hours, Monday first.
    pub fn week(&self) -> &[Option<Hours>; 7] {
        &self.week
    }

    /// Holidays sorted by date.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    fn between(&self, from: i64, to: i64) -> i64 {
        let (from, to) = (clamp(from), clamp(to));
        self.windows(from, to)
            .map(|(s, e)| (e.min(to) - s.max(from)).max(0))
            .sum()
    }

    fn add(&self, from: i64, seconds: i64) -> i64 {
        let from = clamp(from);
        let cap = from + SEARCH_CAP;
        let mut left = seconds;
        for (s, e) in self.windows(from, cap) {
            let s = s.max(from);
            if e <= s {
                continue;
            }
            if left <= e - s {
                return s + left;
            }
            left -= e - s;
        }
        cap
    }

    fn add_days(&self, from: i64, days: u32) -> i64 {
        let from = clamp(from);
        let cap = from + SEARCH_CAP;
        let today = instant(from).with_timezone(&self.zone).date_naive();
        let nth = days.max(1) as usize - 1;
        today
            .succ_opt()
            .and_then(|first| self.closes_from(first, cap).nth(nth))
            .unwrap_or(cap)
    }

    /// When each business day from local date `first` on closes, in order, until `cap`.
    fn closes_from(&self, first: NaiveDate, cap: i64) -> impl Iterator<Item = i64> + '_ {
        successors(Some(first), |d| d.succ_opt())
            .take_while(move |d| self.utc_of(d.and_time(NaiveTime::MIN)) < cap)
            .filter_map(|d| self.window_on(d).map(|(_, end)| end))
    }

    fn opening_before(&self, at: i64) -> i64 {
        let at = clamp(at);
        let floor = at - SEARCH_CAP;
        let mut day = instant(at).with_timezone(&self.zone).date_naive();
        loop {
            if let Some((start, _)) = self.window_on(day) {
                if start <= at {
                    return start;
                }
            }
            match day.pred_opt() {
                Some(d) if self.utc_of(d.and_time(NaiveTime::MIN)) > floor => day = d,
                _ => return floor,
            }
        }
    }

    /// Non-empty business windows, in order, of every local day that can reach into [from, until).
    fn windows(&self, from: i64, until: i64) -> impl Iterator<Item = (i64, i64)> + '_ {
        let today = instant(from).with_timezone(&self.zone).date_naive();
        // Start a day early: after a fall-back across midnight, yesterday's local date recurs.
        let first = today.pred_opt().unwrap_or(today);
        successors(Some(first), |d| d.succ_opt())
            .take_while(move |d| self.utc_of(d.and_time(NaiveTime::MIN)) < until)
            .filter_map(|d| self.window_on(d))
    }

    fn window_on(&self, day: NaiveDate) -> Option<(i64, i64)> {
        let hours = self.week[day.weekday().num_days_from_monday() as usize]?;
        if self.is_holiday(day) {
            return None;
        }
        let midnight = day.and_time(NaiveTime::MIN);
        let at = |minute: u16| self.utc_of(midnight + TimeDelta::minutes(minute.into()));
        let (start, end) = (at(hours.open), at(hours.close));
        // A window entirely inside a spring-forward gap has no instants.
        (start < end).then_some((start, end))
    }

    fn is_holiday(&self, day: NaiveDate) -> bool {
        let i = self.holidays.partition_point(|h| h.from <= day);
        i > 0 && self.holidays[i - 1].to >= day
    }

    /// The earliest instant whose local time is at or after `local`: ambiguous times take the
    /// earlier instant, times in a gap take the end of the gap.
    fn utc_of(&self, local: NaiveDateTime) -> i64 {
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp(),
            LocalResult::None => self.end_of_gap(local),
        }
    }

    /// Binary search for the transition: offsets stay within ±16 h (Manila's LMT came close), and
    /// no zone has a gap and an overlap within 32 h of each other, so local time is monotone there.
    fn end_of_gap(&self, local: NaiveDateTime) -> i64 {
        let target = local.and_utc().timestamp();
        let reached = |u: i64| {
            let offset = self.zone.offset_from_utc_datetime(&instant(u).naive_utc());
            u + i64::from(offset.fix().local_minus_utc()) >= target
        };
        let (mut lo, mut hi) = (target - 16 * HOUR, target + 16 * HOUR);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if reached(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

fn clamp(seconds: i64) -> i64 {
    seconds.clamp(FIRST_SECOND, LAST_SECOND)
}

/// One business window of an index, with the business seconds of all windows before it.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    end: i64,
    before: i64,
}

/// Business windows between two instants, precomputed so each lookup is a binary search.
#[derive(Debug, Clone)]
pub struct CalendarIndex {
    calendar: Calendar,
    start: i64,
    end: i64,
    total: i64,
    windows: Vec<Window>,
    /// For each hour from `start`: the first window ending after it.
    by_time: Vec<u32>,
    /// For each hour of business time: the first window reaching it.
    by_position: Vec<u32>,
}

impl CalendarIndex {
    /// The first covered instant (whole second).
    pub fn start(&self) -> DateTime<Utc> {
        instant(self.start)
    }

    /// The last covered instant (whole second).
    pub fn end(&self) -> DateTime<Utc> {
        instant(self.end)
    }

    /// Business seconds from the index start to `t`; `None` outside [start, end].
    pub fn position(&self, t: DateTime<Utc>) -> Option<i64> {
        self.position_of(t.timestamp())
    }

    /// [`CalendarIndex::position`] on Unix seconds.
    pub fn position_of(&self, t: i64) -> Option<i64> {
        if t < self.start || t > self.end {
            return None;
        }
        // The first window ending after t: before it everything counts, inside it part does.
        let mut j = self.by_time[((t - self.start) / BUCKET) as usize] as usize;
        while j < self.windows.len() && self.windows[j].end <= t {
            j += 1;
        }
        Some(match self.windows.get(j) {
            Some(w) => w.before + (t - w.start).max(0),
            None => self.total,
        })
    }

    /// The earliest instant at `position`; `None` when negative or past the end.
    pub fn instant_at(&self, position: i64) -> Option<DateTime<Utc>> {
        self.instant_of(position).map(instant)
    }

    /// [`CalendarIndex::instant_at`] on Unix seconds.
    pub fn instant_of(&self, position: i64) -> Option<i64> {
        if position < 0 || position > self.total {
            return None;
        }
        if position == 0 {
            return Some(self.start);
        }
        let mut i = self.by_position[(position / BUCKET) as usize] as usize;
        while self.windows[i].before + (self.windows[i].end - self.windows[i].start) < position {
            i += 1;
        }
        let w = self.windows[i];
        Some(w.start + position - w.before)
    }

    /// Like [`Calendar::add`], from the table when it covers the answer, else computed directly.
    pub fn add(&self, from: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        if seconds <= 0 {
            return from;
        }
        // With seconds > 0 the earliest instant at the later position is already past `from`.
        self.position(from)
            .and_then(|p| self.instant_at(p.checked_add(seconds)?))
            .unwrap_or_else(|| self.calendar.add(from, seconds))
    }

    /// Business seconds in [a, b), from the table when both are covered, else computed directly.
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        match (self.position(a), self.position(b)) {
            (Some(pa), Some(pb)) => (pb - pa).max(0),
            _ => self.calendar.between(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BERLIN: &str = "Europe/Berlin";
    const NEW_YORK: &str = "America/New_York";
    const KOLKATA: &str = "Asia/Kolkata";
    const LORD_HOWE: &str = "Australia/Lord_Howe";
    const ZONES: [&str; 4] = [BERLIN, NEW_YORK, KOLKATA, LORD_HOWE];

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn holiday(name: &str, from: &str, to: &str) -> Holiday {
        Holiday {
            name: name.into(),
            from: date(from),
            to: date(to),
        }
    }

    fn hm(h: u16, m: u16) -> u16 {
        h * 60 + m
    }

    fn every_day(open: u16, close: u16, zone: &str) -> Calendar {
        Calendar::business(zone, [Some(Hours { open, close }); 7], vec![]).unwrap()
    }

    /// "2026-03-27 17:00" is local to the calendar's zone (UTC for 24×7); a trailing Z means UTC.
    fn at(cal: &Calendar, s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%d %H:%M")
            .unwrap_or_else(|e| panic!("bad test time {s}: {e}"));
        match cal.zone_name() {
            Some(zone) if !s.ends_with('Z') => {
                let tz: Tz = zone.parse().unwrap();
                tz.from_local_datetime(&naive)
                    .single()
                    .unwrap_or_else(|| panic!("{s} is not a unique local time in {zone}"))
                    .with_timezone(&Utc)
            }
            _ => naive.and_utc(),
        }
    }

    /// `to` is `seconds` of business time after `from`: both between and add must agree.
    fn check(cal: &Calendar, from: &str, to: &str, seconds: i64) {
        let (f, t) = (at(cal, from), at(cal, to));
        assert_eq!(cal.between(f, t), seconds, "between({from}, {to})");
        if seconds > 0 {
            assert_eq!(cal.add(f, seconds), t, "add({from}, {seconds} s)");
        }
        let index = cal.index(f - TimeDelta::days(3), t + TimeDelta::days(3));
        assert_eq!(index.between(f, t), seconds, "index.between({from}, {to})");
    }

    #[test]
    fn business_time_table() {
        let h = HOUR;
        let berlin = Calendar::weekdays(
            BERLIN,
            hm(9, 0),
            hm(17, 0),
            vec![
                holiday("Christmas", "2026-12-24", "2026-12-26"),
                holiday("New Year", "2027-01-01", "2027-01-01"),
            ],
        )
        .unwrap();
        let new_york = Calendar::weekdays(NEW_YORK, hm(9, 0), hm(17, 0), vec![]).unwrap();
        let kolkata = Calendar::weekdays(KOLKATA, hm(9, 30), hm(18, 0), vec![]).unwrap();
        let apia = Calendar::weekdays("Pacific/Apia", hm(9, 0), hm(17, 0), vec![]).unwrap();
        let sundays = |zone| {
            let mut week = [None; 7];
            week[6] = Some(Hours {
                open: 0,
                close: 1440,
            });
            Calendar::business(zone, week, vec![]).unwrap()
        };
        let (berlin_sun, new_york_sun) = (sundays(BERLIN), sundays(NEW_YORK));
        let berlin_night = every_day(hm(2, 0), hm(4, 0), BERLIN);
        let berlin_half = every_day(hm(2, 30), hm(4, 0), BERLIN);
        let new_york_night = every_day(hm(1, 0), hm(4, 0), NEW_YORK);
        let lord_howe_night = every_day(hm(1, 0), hm(3, 0), LORD_HOWE);
        let lord_howe_gap = every_day(hm(2, 15), hm(3, 0), LORD_HOWE);
        let always = Calendar::Always;

        #[rustfmt::skip]
        let cases: &[(&Calendar, &str, &str, i64)] = &[
            // Plain weeks in Berlin (2026-03-02 is a Monday, before any DST change).
            (&berlin, "2026-03-02 09:00", "2026-03-02 17:00", 8 * h), // a full day ends at closing, not next morning
            (&berlin, "2026-03-02 09:00", "2026-03-06 17:00", 40 * h),
            (&berlin, "2026-03-02 09:00", "2026-03-09 10:00", 41 * h),
            (&berlin, "2026-03-03 07:00", "2026-03-03 10:00", h),      // opened before opening
            (&berlin, "2026-03-06 17:00", "2026-03-09 13:00", 4 * h),  // Friday 17:00 emergency
            (&berlin, "2026-03-07 22:00", "2026-03-09 09:00", 0),      // Saturday night: nothing until Monday
            (&berlin, "2026-03-07 22:00", "2026-03-09 10:00", h),      // ... then the clock starts at 09:00
            (&berlin, "2026-03-04 12:30", "2026-03-05 12:30", 8 * h),
            // Holidays: Thursday 24th to Saturday 26th, and Friday 1 January.
            (&berlin, "2026-12-23 16:00", "2026-12-28 10:00", 2 * h),
            (&berlin, "2026-12-24 10:00", "2026-12-28 09:30", h / 2),
            (&berlin, "2026-12-31 16:00", "2027-01-04 10:00", 2 * h),
            // Weekday calendars across a weekend with a DST change: local hours stay local.
            (&berlin, "2026-03-27 16:00", "2026-03-30 10:00", 2 * h),
            (&berlin, "2026-03-27 15:00Z", "2026-03-30 08:00Z", 2 * h), // CET +1 to CEST +2
            (&berlin, "2026-10-23 16:00", "2026-10-26 10:00", 2 * h),
            (&berlin, "2026-10-23 14:00Z", "2026-10-26 09:00Z", 2 * h), // CEST +2 to CET +1
            (&new_york, "2026-03-06 16:00", "2026-03-09 10:00", 2 * h),
            (&new_york, "2026-03-06 21:00Z", "2026-03-09 14:00Z", 2 * h), // EST -5 to EDT -4
            (&new_york, "2026-10-30 20:00Z", "2026-11-02 15:00Z", 2 * h), // EDT -4 to EST -5
            // Berlin and New York switch on different weekends: on 2026-03-20 they are 5 h apart, not 6.
            (&new_york, "2026-03-20 13:00Z", "2026-03-20 21:00Z", 8 * h),
            (&berlin, "2026-03-20 08:00Z", "2026-03-20 16:00Z", 8 * h),
            // Hours that touch the change itself.
            (&berlin_night, "2026-03-29 00:00Z", "2026-03-29 02:00Z", h),     // 02:00 does not exist: opens 03:00 (01:00 UTC)
            (&berlin_half, "2026-03-29 00:00Z", "2026-03-29 01:00Z", 0),      // 02:30 → 03:00 local = 01:00 UTC
            (&berlin_half, "2026-03-29 00:00Z", "2026-03-29 02:00Z", h),
            (&berlin_night, "2026-10-24 23:00Z", "2026-10-25 00:00Z", 0),     // 02:00 is ambiguous: the earlier one, 00:00 UTC
            (&berlin_night, "2026-10-24 23:00Z", "2026-10-25 03:00Z", 3 * h), // 02:00 CEST to 04:00 CET
            (&new_york_night, "2026-03-08 05:00Z", "2026-03-08 08:00Z", 2 * h),
            (&new_york_night, "2026-11-01 05:00Z", "2026-11-01 09:00Z", 4 * h),
            (&lord_howe_night, "2026-04-04 13:00Z", "2026-04-04 16:30Z", 5 * h / 2), // +11 back to +10:30
            (&lord_howe_night, "2026-10-03 14:00Z", "2026-10-03 16:00Z", 3 * h / 2), // +10:30 forward to +11
            (&lord_howe_gap, "2026-10-03 15:00Z", "2026-10-03 16:00Z", h / 2),       // 02:15 does not exist: opens 02:30
            (&lord_howe_gap, "2026-10-10 15:00Z", "2026-10-10 16:00Z", 3 * h / 4),   // an ordinary +11 day
            // Whole local days on change days last 23 h and 25 h.
            (&berlin_sun, "2026-03-28 12:00", "2026-03-30 00:00", 23 * h),
            (&berlin_sun, "2026-10-24 12:00", "2026-10-26 00:00", 25 * h),
            (&berlin_sun, "2026-10-24 22:00Z", "2026-10-25 23:00Z", 25 * h),
            (&new_york_sun, "2026-03-07 12:00", "2026-03-09 00:00", 23 * h),
            (&new_york_sun, "2026-11-01 04:00Z", "2026-11-02 05:00Z", 25 * h),
            (&berlin_sun, "2026-03-07 12:00", "2026-03-09 00:00", 24 * h), // New York's change is not Berlin's
            // Half-hour offset, no DST.
            (&kolkata, "2026-03-06 17:00", "2026-03-09 10:30", 2 * h),
            (&kolkata, "2026-03-06 11:30Z", "2026-03-09 05:00Z", 2 * h),
            (&kolkata, "2026-03-29 00:00Z", "2026-03-30 12:30Z", 8 * h + h / 2),
            // Samoa skipped Friday 2011-12-30 entirely: Thursday runs straight into Monday.
            (&apia, "2011-12-29 16:00", "2012-01-02 10:00", 2 * h),
            // 24×7.
            (&always, "2026-03-29 00:00", "2026-03-30 00:00", 24 * h),
            (&always, "2026-03-06 17:00", "2026-03-09 13:00", 68 * h),
            (&always, "2026-03-06 17:00", "2026-03-06 17:00", 0),
        ];
        for &(cal, from, to, seconds) in cases {
            check(cal, from, to, seconds);
        }
    }

    #[test]
    fn reversed_or_empty_ranges_are_zero_and_add_zero_stays_put() {
        let cal = Calendar::weekdays(BERLIN, hm(9, 0), hm(17, 0), vec![]).unwrap();
        let (a, b) = (at(&cal, "2026-03-02 10:00"), at(&cal, "2026-03-02 12:00"));
        assert_eq!(cal.between(b, a), 0);
        assert_eq!(cal.add(a, 0), a);
        assert_eq!(cal.add(a, -5), a);
        let saturday = at(&cal, "2026-03-07 12:00");
        assert_eq!(cal.add(saturday, 0), saturday);
    }

    #[test]
    fn sub_second_parts_are_floored() {
        let cal = Calendar::weekdays(BERLIN, hm(9, 0), hm(17, 0), vec![]).unwrap();
        let a = at(&cal, "2026-03-02 10:00") + TimeDelta::milliseconds(700);
        let b = at(&cal, "2026-03-02 10:01") + TimeDelta::milliseconds(200);
        assert_eq!(cal.between(a, b), 60);
        assert_eq!(cal.add(a, 60), at(&cal, "2026-03-02 10:01"));
    }

    #[test]
    fn is_open_follows_local_hours_and_holidays() {
        let cal = Calendar::weekdays(
            BERLIN,
            hm(9, 0),
            hm(17, 0),
            vec![holiday("Christmas", "2026-12-24", "2026-12-26")],
        )
        .unwrap();
        let cases = [
            ("2026-03-06 08:59", false),
            ("2026-03-06 09:00", true),
            ("2026-03-06 16:59", true),
            ("2026-03-06 17:00", false),
            ("2026-03-07 12:00", false),
            ("2026-03-30 09:00", true),
            ("2026-12-23 12:00", true),
            ("2026-12-24 12:00", false),
        ];
        for (t, open) in cases {
            assert_eq!(cal.is_open(at(&cal, t)), open, "{t}");
        }
        assert!(Calendar::Always.is_open(at(&Calendar::Always, "2026-03-07 03:00")));
    }

    #[test]
    fn add_gives_up_after_a_century_of_holidays() {
        let cal = Calendar::weekdays(
            BERLIN,
            hm(9, 0),
            hm(17, 0),
            vec![holiday("Forever", "2026-01-01", "9999-12-31")],
        )
        .unwrap();
        let from = at(&cal, "2026-03-02 10:00Z");
        assert_eq!(cal.add(from, 3600), from + TimeDelta::seconds(SEARCH_CAP));
        let open = Calendar::weekdays(BERLIN, hm(9, 0), hm(17, 0), vec![]).unwrap();
        assert_eq!(
            open.add(from, i64::MAX),
            from + TimeDelta::seconds(SEARCH_CAP)
        );
        assert_eq!(
            Calendar::Always.add(from, i64::MAX),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn accessors_return_what_was_given_with_holidays_sorted() {
        let cal = Calendar::weekdays(
            KOLKATA,
            hm(9, 30),
            hm(18, 0),
            vec![
                holiday("Diwali", "2026-11-08", "2026-11-08"),
                holiday("Holi", "2026-03-04", "2026-03-04"),
            ],
        )
        .unwrap();
        assert_eq!(cal.zone_name(), Some(KOLKATA));
        assert_eq!(
            cal.week().unwrap()[4],
            Some(Hours {
                open: 570,
                close: 1080
            })
        );
        assert_eq!(cal.week().unwrap()[5], None);
        let names: Vec<_> = cal.holidays().iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["Holi", "Diwali"]);
        assert_eq!(Calendar::Always.zone_name(), None);
        assert!(Calendar::Always.holidays().is_empty());
    }

    #[test]
    fn invalid_calendars_are_refused_with_actionable_messages() {
        let nine_to_five = Some(Hours {
            open: 540,
            close: 1020,
        });
        let mut backwards_week = [nine_to_five; 7];
        backwards_week[2] = Some(Hours {
            open: 1020,
            close: 540,
        });
        let mut long_week = [None; 7];
        long_week[0] = Some(Hours {
            open: 0,
            close: 1441,
        });
        let cases: Vec<(Result<Calendar, CalendarError>, &str)> = vec![
            (
                Calendar::weekdays("Europe/Berln", 540, 1020, vec![]),
                "“Europe/Berln” is not a time zone; use a name such as Europe/Berlin",
            ),
            (
                Calendar::business(BERLIN, backwards_week, vec![]),
                "Wednesday's hours 17:00 to 09:00 are not valid: opening must come before closing, and closing can be 24:00 at the latest",
            ),
            (
                Calendar::weekdays(BERLIN, 600, 600, vec![]),
                "Monday's hours 10:00 to 10:00 are not valid: opening must come before closing, and closing can be 24:00 at the latest",
            ),
            (
                Calendar::business(BERLIN, long_week, vec![]),
                "Monday's hours 00:00 to 24:01 are not valid: opening must come before closing, and closing can be 24:00 at the latest",
            ),
            (
                Calendar::business(BERLIN, [None; 7], vec![]),
                "the calendar is never open; give at least one weekday opening hours, or use the 24×7 calendar",
            ),
            (
                Calendar::weekdays(
                    BERLIN,
                    540,
                    1020,
                    vec![holiday("Easter", "2026-04-06", "2026-04-03")],
                ),
                "holiday “Easter” ends on 2026-04-03, before it starts on 2026-04-06; check its dates",
            ),
            (
                Calendar::weekdays(
                    BERLIN,
                    540,
                    1020,
                    vec![
                        holiday("Winter break", "2026-12-24", "2027-01-06"),
                        holiday("Christmas", "2026-12-24", "2026-12-26"),
                    ],
                ),
                "holidays “Christmas” and “Winter break” overlap on 2026-12-24; merge them into one holiday or change their dates",
            ),
            (
                Calendar::weekdays(
                    BERLIN,
                    540,
                    1020,
                    vec![
                        holiday("A", "2026-05-01", "2026-05-10"),
                        holiday("B", "2026-05-10", "2026-05-12"),
                    ],
                ),
                "holidays “A” and “B” overlap on 2026-05-10; merge them into one holiday or change their dates",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
        assert!(matches!(
            Calendar::weekdays("Mars/Olympus", 540, 1020, vec![]),
            Err(CalendarError::UnknownZone(z)) if z == "Mars/Olympus"
        ));
        // Touching holidays are fine.
        Calendar::weekdays(
            BERLIN,
            540,
            1020,
            vec![
                holiday("A", "2026-05-01", "2026-05-09"),
                holiday("B", "2026-05-10", "2026-05-12"),
            ],
        )
        .unwrap();
    }

    #[test]
    fn index_answers_like_the_calendar() {
        let cal = Calendar::weekdays(BERLIN, hm(9, 0), hm(17, 0), vec![]).unwrap();
        let index = cal.index(at(&cal, "2026-03-27 12:00"), at(&cal, "2026-04-03 12:00"));
        assert_eq!(index.position(at(&cal, "2026-03-27 11:00")), None);
        assert_eq!(index.position(at(&cal, "2026-03-27 12:00")), Some(0));
        assert_eq!(index.position(at(&cal, "2026-03-28 12:00")), Some(5 * HOUR));
        assert_eq!(index.position(at(&cal, "2026-03-30 10:00")), Some(6 * HOUR));
        assert_eq!(
            index.position(at(&cal, "2026-04-03 12:00")),
            Some(40 * HOUR)
        );
        assert_eq!(index.position(at(&cal, "2026-04-03 12:01")), None);
        assert_eq!(index.instant_at(0), Some(at(&cal, "2026-03-27 12:00")));
        assert_eq!(
            index.instant_at(5 * HOUR),
            Some(at(&cal, "2026-03-27 17:00"))
        );
        assert_eq!(
            index.instant_at(5 * HOUR + 1),
            Some(at(&cal, "2026-03-30 09:00") + TimeDelta::seconds(1))
        );
        assert_eq!(
            index.instant_at(40 * HOUR),
            Some(at(&cal, "2026-04-03 12:00"))
        );
        assert_eq!(index.instant_at(40 * HOUR + 1), None);
        assert_eq!(index.instant_at(-1), None);
        // Out of range falls back to direct computation.
        let (a, b) = (at(&cal, "2026-03-20 09:00"), at(&cal, "2026-03-30 10:00"));
        assert_eq!(index.between(a, b), cal.between(a, b));
        assert_eq!(index.add(a, 50 * HOUR), cal.add(a, 50 * HOUR));
        assert_eq!(index.add(b, 0), b);
        assert_eq!(
            index.add(at(&cal, "2026-03-27 16:00"), 2 * HOUR),
            at(&cal, "2026-03-30 10:00")
        );

        let always = Calendar::Always.index(a, b);
        assert_eq!(always.position(b), Some((b - a).num_seconds()));
        assert_eq!(always.instant_at(60), Some(a + TimeDelta::seconds(60)));
        let empty = cal.index(b, a);
        assert_eq!((empty.start(), empty.end()), (b, b));
        assert_eq!(empty.position(b), Some(0));
    }

    #[test]
    fn index_evaluates_a_hundred_thousand_clocks() {
        let cal = Calendar::weekdays(BERLIN, hm(9, 0), hm(17, 0), vec![]).unwrap();
        let start = at(&cal, "2026-01-01 00:00Z");
        let index = cal.index(start, at(&cal, "2028-01-01 00:00Z"));
        let span = 2 * 365 * DAY;
        let total: i64 = (0..100_000i64)
            .map(|i| {
                let opened = start + TimeDelta::seconds(i * 7_919 % span);
                let now = start + TimeDelta::seconds(span);
                index.between(opened, now)
            })
            .sum();
        assert!(total > 0);
    }

    fn calendar() -> impl Strategy<Value = Calendar> {
        let hours = (0u16..1440).prop_flat_map(|open| (Just(open), open + 1..=1440));
        let day = prop_oneof![
            2 => hours.prop_map(|(open, close)| Some(Hours { open, close })),
            1 => Just(Some(Hours { open: 0, close: 1440 })),
            1 => Just(None),
        ];
        let holidays = prop::collection::vec((0i64..40, 0i64..10), 0..6);
        (0..ZONES.len(), prop::array::uniform7(day), holidays).prop_map(|(zone, mut week, gaps)| {
            if week.iter().all(Option::is_none) {
                week[0] = Some(Hours {
                    open: 540,
                    close: 1020,
                });
            }
            // Holidays laid end to end with gaps, so they never overlap.
            let mut next = date("2026-01-01");
            let mut holidays = vec![];
            for (i, (gap, len)) in gaps.into_iter().enumerate() {
                let from = next + TimeDelta::days(gap);
                let to = from + TimeDelta::days(len);
                holidays.push(Holiday {
                    name: format!("H{i}"),
                    from,
                    to,
                });
                next = to + TimeDelta::days(1);
            }
            Calendar::business(ZONES[zone], week, holidays).unwrap()
        })
    }

    /// An instant in 2026–2027, whole seconds.
    fn instant_2026() -> impl Strategy<Value = DateTime<Utc>> {
        (1_767_225_600i64..1_830_297_600).prop_map(instant)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn between_is_additive(cal in calendar(), mut t in prop::array::uniform3(instant_2026())) {
            t.sort();
            let [a, b, c] = t;
            prop_assert_eq!(cal.between(a, b) + cal.between(b, c), cal.between(a, c));
        }

        #[test]
        fn between_never_exceeds_elapsed(cal in calendar(), a in instant_2026(), b in instant_2026()) {
            let business = cal.between(a, b);
            prop_assert!(business >= 0);
            prop_assert!(business <= (b - a).num_seconds().max(0));
        }

        #[test]
        fn add_inverts_between(cal in calendar(), a in instant_2026(), s in 0i64..60 * DAY) {
            let t = cal.add(a, s);
            prop_assert!(t >= a);
            if cal.between(a, t) < s {
                // A calendar with too little business time (minutes a week) cannot give `s`
                // within the search cap: `add` stops there instead of searching for ever.
                prop_assert_eq!(t, a + TimeDelta::seconds(SEARCH_CAP));
                return Ok(());
            }
            prop_assert_eq!(cal.between(a, t), s);
            // Earliest: one second earlier is one business second short.
            if s > 0 {
                prop_assert_eq!(cal.between(a, t - TimeDelta::seconds(1)), s - 1);
            }
        }

        #[test]
        fn add_is_monotone(cal in calendar(), a in instant_2026(), s1 in 0i64..30 * DAY, s2 in 0i64..30 * DAY) {
            let (lo, hi) = (s1.min(s2), s1.max(s2));
            prop_assert!(cal.add(a, lo) <= cal.add(a, hi));
        }

        #[test]
        fn index_agrees_with_direct_computation(
            cal in calendar(),
            a in instant_2026(),
            b in instant_2026(),
            s in 1i64..20 * DAY,
        ) {
            let start = instant(1_767_225_600 - 3 * DAY);
            let index = cal.index(start, instant(1_830_297_600 + 3 * DAY));
            let (pa, pb) = (index.position(a).unwrap(), index.position(b).unwrap());
            prop_assert_eq!(pa, cal.between(start, a));
            prop_assert_eq!(index.between(a, b), cal.between(a, b));
            if a <= b {
                prop_assert_eq!(pb - pa, cal.between(a, b));
            }
            let target = cal.add(a, s);
            if target <= index.end() {
                prop_assert_eq!(index.instant_at(pa + s), Some(target));
            } else {
                prop_assert_eq!(index.instant_at(pa + s), None);
            }
            prop_assert_eq!(index.add(a, s), target);
            prop_assert_eq!(index.add(a, 40 * DAY), cal.add(a, 40 * DAY));
        }

        #[test]
        fn always_counts_every_second(a in instant_2026(), b in instant_2026(), s in 0i64..400 * DAY) {
            let cal = Calendar::Always;
            prop_assert_eq!(cal.between(a, b), (b - a).num_seconds().max(0));
            prop_assert_eq!(cal.add(a, s), a + TimeDelta::seconds(s));
            let index = cal.index(a.min(b), a.max(b));
            prop_assert_eq!(index.between(a.min(b), a.max(b)), (b - a).num_seconds().abs());
        }
    }
}
