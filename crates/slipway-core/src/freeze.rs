//! Weekly freeze windows ("fri 16:00 - mon 08:00" in a time zone): read strictly, and whether
//! one is on at an instant.

use chrono::{Datelike, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::gate::GateError;

/// A freeze that comes back every week, such as Friday 16:00 to Monday 08:00 in Berlin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyFreeze {
    /// The zone its times are read in.
    pub zone: Tz,
    /// When it starts: weekday and local time.
    pub start: (Weekday, NaiveTime),
    /// When it ends: weekday and local time (may wrap into the next week).
    pub end: (Weekday, NaiveTime),
}

fn minute_of_week(day: Weekday, time: NaiveTime) -> u32 {
    day.num_days_from_monday() * 1440 + time.hour() * 60 + time.minute()
}

fn parse_day_time(text: &str) -> Option<(Weekday, NaiveTime)> {
    let mut parts = text.split_whitespace();
    let day: Weekday = parts.next()?.parse().ok()?;
    let time = NaiveTime::parse_from_str(parts.next()?, "%H:%M").ok()?;
    parts.next().is_none().then_some((day, time))
}

impl WeeklyFreeze {
    /// Reads `"fri 16:00 - mon 08:00"` in the IANA zone `zone`.
    pub fn parse(window: &str, zone: &str) -> Result<WeeklyFreeze, GateError> {
        let zone: Tz = zone
            .parse()
            .map_err(|_| GateError::Zone(zone.to_string()))?;
        let bad = || GateError::Window(window.to_string());
        let (from, to) = window.split_once('-').ok_or_else(bad)?;
        let start = parse_day_time(from).ok_or_else(bad)?;
        let end = parse_day_time(to).ok_or_else(bad)?;
        if minute_of_week(start.0, start.1) == minute_of_week(end.0, end.1) {
            return Err(bad());
        }
        Ok(WeeklyFreeze { zone, start, end })
    }

    /// The window written back the way `parse` reads it.
    pub fn window(&self) -> String {
        let day = |d: Weekday| d.to_string().to_lowercase();
        format!(
            "{} {} - {} {}",
            day(self.start.0),
            self.start.1.format("%H:%M"),
            day(self.end.0),
            self.end.1.format("%H:%M")
        )
    }

    /// Whether the freeze is on at `unix`.
    pub fn active_at(&self, unix: i64) -> bool {
        let Some(utc) = Utc.timestamp_opt(unix, 0).single() else {
            return false;
        };
        let local = utc.with_timezone(&self.zone);
        let now = minute_of_week(local.weekday(), local.time());
        let from = minute_of_week(self.start.0, self.start.1);
        let to = minute_of_week(self.end.0, self.end.1);
        if from < to {
            (from..to).contains(&now)
        } else {
            now >= from || now < to
        }
    }
}
