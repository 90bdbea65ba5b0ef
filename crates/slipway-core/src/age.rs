/// How worrying a wait is; the board colours queued changes by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgeBand {
    /// Under four hours: normal flow.
    Fresh,
    /// Four hours to a day: someone should look.
    Waiting,
    /// One to three days: aging.
    Aging,
    /// Three days or more: late.
    Late,
}

impl AgeBand {
    /// Every band, least worrying first.
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Fresh,
        AgeBand::Waiting,
        AgeBand::Aging,
        AgeBand::Late,
    ];

    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Fresh => "fresh",
            AgeBand::Waiting => "waiting",
            AgeBand::Aging => "aging",
            AgeBand::Late => "late",
        }
    }

    /// The band's span as people read it, from the same thresholds as [`AgeBand::of`].
    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Fresh => "under 4 h",
            AgeBand::Waiting => "4 h – 1 d",
            AgeBand::Aging => "1 – 3 d",
            AgeBand::Late => "3 d or more",
        }
    }

    /// The band of a wait of `seconds`.
    pub fn of(seconds: i64) -> Self {
        const HOUR: i64 = 3600;
        match seconds {
            s if s < 4 * HOUR => AgeBand::Fresh,
            s if s < 24 * HOUR => AgeBand::Waiting,
            s if s < 72 * HOUR => AgeBand::Aging,
            _ => AgeBand::Late,
        }
    }
}

/// A duration as a person reads it on the board: "3 d 4 h", "5 h 12 min", "42 min".
///
/// Two units at most, the larger first; negative durations (clock skew) read as "0 min".
pub fn format_age(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) if mins == 0 => format!("{h} h"),
        (0, h) => format!("{h} h {mins} min"),
        (d, 0) => format!("{d} d"),
        (d, h) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_their_thresholds_and_labels() {
        let cases = [
            (0, AgeBand::Fresh),
            (4 * 3600 - 1, AgeBand::Fresh),
            (4 * 3600, AgeBand::Waiting),
            (24 * 3600, AgeBand::Aging),
            (72 * 3600, AgeBand::Late),
        ];
        for (seconds, band) in cases {
            assert_eq!(AgeBand::of(seconds), band, "{seconds}");
        }
        let labels: Vec<&str> = AgeBand::ALL.iter().map(|b| b.label()).collect();
        assert_eq!(labels, ["under 4 h", "4 h – 1 d", "1 – 3 d", "3 d or more"]);
    }

    #[test]
    fn formats_ages_as_people_read_them() {
        let cases: &[(i64, &str)] = &[
            (-30, "0 min"),
            (0, "0 min"),
            (59, "0 min"),
            (60, "1 min"),
            (42 * 60, "42 min"),
            (3600, "1 h"),
            (5 * 3600 + 12 * 60, "5 h 12 min"),
            (86_400, "1 d"),
            (86_400 + 59 * 60, "1 d"),
            (3 * 86_400 + 4 * 3600, "3 d 4 h"),
            (3 * 86_400 + 4 * 3600 + 59 * 60, "3 d 4 h"),
            (400 * 86_400, "400 d"),
        ];
        for (seconds, want) in cases {
            assert_eq!(format_age(*seconds), *want, "format_age({seconds})");
        }
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let cases: &[(i64, AgeBand)] = &[
            (0, AgeBand::Fresh),
            (4 * 3600 - 1, AgeBand::Fresh),
            (4 * 3600, AgeBand::Waiting),
            (24 * 3600 - 1, AgeBand::Waiting),
            (24 * 3600, AgeBand::Aging),
            (72 * 3600 - 1, AgeBand::Aging),
            (72 * 3600, AgeBand::Late),
        ];
        for (seconds, want) in cases {
            assert_eq!(AgeBand::of(*seconds), *want, "AgeBand::of({seconds})");
        }
    }
}
