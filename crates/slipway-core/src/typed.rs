//! What people type for calendars and policies — durations, opening hours, holidays — read
//! strictly, or refused with a sentence that says how to write it.

use chrono::NaiveDate;

use crate::calendar::{Calendar, Holiday, Hours};

/// Typed text that is not what was asked for; the message says how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TypedError(String);

/// Reads a duration: `90s`, `30m`, `4h`, `2h30m`, `3d` (24-hour days) or `1bd` (business
/// days: the longest opening day of `calendar`).
pub fn parse_duration(text: &str, calendar: &Calendar) -> Result<i64, TypedError> {
    let bad = || {
        TypedError(format!(
            "“{text}” is not a duration; write 90s, 30m, 4h, 2h30m, 3d or 1bd (business days)."
        ))
    };
    let compact: String = text.split_whitespace().collect();
    if compact.is_empty() {
        return Err(bad());
    }
    let business_day = match calendar.week() {
        Some(week) => week
            .iter()
            .flatten()
            .map(|h| i64::from(h.close - h.open) * 60)
            .max()
            .unwrap_or(86_400),
        None => 86_400,
    };
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'b' if chars.next_if_eq(&'d').is_some() => business_day,
            _ => return Err(bad()),
        };
        total = total
            .checked_add(n.checked_mul(unit).ok_or_else(bad)?)
            .ok_or_else(bad)?;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    // Goals and reminder intervals are hours to weeks; past a year a clock's instants would
    // leave the range the calendar code is meant for.
    if total > MAX_DURATION_SECS {
        return Err(TypedError(format!(
            "“{text}” is longer than a year; a goal or reminder interval is at most 366d."
        )));
    }
    Ok(total)
}

/// The longest duration a person may type: 366 days.
pub const MAX_DURATION_SECS: i64 = 366 * 86_400;

const DAYS: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// Reads opening hours as people write them: `Mon-Fri 09:00-17:00; Sat 10:00-14:00`.
pub fn parse_week(text: &str) -> Result<[Option<Hours>; 7], TypedError> {
    let bad = |part: &str| {
        TypedError(format!(
            "“{part}” is not opening hours; write for example Mon-Fri 09:00-17:00; Sat 10:00-14:00."
        ))
    };
    let mut week = [None; 7];
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, times) = part.split_once(' ').ok_or_else(|| bad(part))?;
        let (open, close) = times.trim().split_once('-').ok_or_else(|| bad(part))?;
        let minute = |t: &str| -> Result<u16, TypedError> {
            let (h, m) = t.trim().split_once(':').ok_or_else(|| bad(part))?;
            let (h, m): (u16, u16) = (
                h.parse().map_err(|_| bad(part))?,
                m.parse().map_err(|_| bad(part))?,
            );
            if m >= 60 || h > 24 || (h == 24 && m > 0) {
                return Err(bad(part));
            }
            Ok(h * 60 + m)
        };
        let hours = Hours {
            open: minute(open)?,
            close: minute(close)?,
        };
        let day = |d: &str| {
            let d = d.trim().to_ascii_lowercase();
            DAYS.iter()
                .position(|(short, long)| d == *short || d == *long)
                .ok_or_else(|| bad(part))
        };
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(days)?, day(days)?),
        };
        if last < first {
            return Err(bad(part));
        }
        for slot in &mut week[first..=last] {
            *slot = Some(hours);
        }
    }
    Ok(week)
}

/// Reads a holiday as people write it: `Christmas=2026-12-24..2026-12-26` or `2027-01-01`.
pub fn parse_holiday(text: &str) -> Result<Holiday, TypedError> {
    let bad = || {
        TypedError(format!(
            "“{text}” is not a holiday; write Christmas=2026-12-24..2026-12-26 or 2027-01-01."
        ))
    };
    let (name, dates) = match text.split_once('=') {
        Some((n, d)) => (n.trim().to_string(), d.trim()),
        None => (text.trim().to_string(), text.trim()),
    };
    let date = |d: &str| d.trim().parse::<NaiveDate>().map_err(|_| bad());
    let (from, to) = match dates.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => (date(dates)?, date(dates)?),
    };
    Ok(Holiday { name, from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        let office = Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, Vec::new()).unwrap();
        let cases: [(&str, &Calendar, Result<i64, ()>); 14] = [
            ("90s", &Calendar::Always, Ok(90)),
            ("30m", &Calendar::Always, Ok(1800)),
            ("2h30m", &Calendar::Always, Ok(9000)),
            ("2h 30m", &Calendar::Always, Ok(9000)),
            ("3d", &Calendar::Always, Ok(3 * 86_400)),
            ("1bd", &office, Ok(8 * 3600)),
            ("1bd", &Calendar::Always, Ok(86_400)),
            ("4", &Calendar::Always, Err(())),
            ("soon", &Calendar::Always, Err(())),
            ("99999999999999999999h", &Calendar::Always, Err(())),
            ("366d", &Calendar::Always, Ok(366 * 86_400)),
            ("367d", &Calendar::Always, Err(())),
            ("99999999999999d", &Calendar::Always, Err(())),
            ("9223372036854775807s", &Calendar::Always, Err(())),
        ];
        for (text, calendar, want) in cases {
            assert_eq!(
                parse_duration(text, calendar).map_err(|_| ()),
                want,
                "{text}"
            );
        }
        assert!(parse_duration("9223372036854775807s", &Calendar::Always)
            .unwrap_err()
            .to_string()
            .contains("is longer than a year"));
    }

    #[test]
    fn opening_hours_and_holidays_are_read_strictly() {
        let week = parse_week("Mon-Fri 09:00-17:00; Sat 10:00-14:00").unwrap();
        assert_eq!(
            week[0],
            Some(Hours {
                open: 540,
                close: 1020
            })
        );
        assert_eq!(
            week[5],
            Some(Hours {
                open: 600,
                close: 840
            })
        );
        assert_eq!(week[6], None);
        assert_eq!(
            parse_week("sunday 00:00-24:00").unwrap()[6],
            Some(Hours {
                open: 0,
                close: 1440
            })
        );
        for bad in [
            "Mon,Wed 09:00-12:00",
            "Monkey 09:00-17:00",
            "Fri-Mon 09:00-17:00",
            "Mon 9-17",
            "Mon 09:00-24:30",
        ] {
            assert!(parse_week(bad).is_err(), "{bad}");
        }
        let h = parse_holiday("Christmas=2026-12-24..2026-12-26").unwrap();
        assert_eq!(
            (h.name.as_str(), h.from.to_string(), h.to.to_string()),
            ("Christmas", "2026-12-24".into(), "2026-12-26".into())
        );
        assert_eq!(
            parse_holiday("2027-01-01").unwrap().to.to_string(),
            "2027-01-01"
        );
        assert!(parse_holiday("Christmas=24.12.2026").is_err());
    }
}
