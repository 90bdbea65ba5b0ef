//! DORA's performance bands, as its Quick Check asks them: durations in six steps (under an
//! hour, a day, a week, a month, six months, more), deployment frequency in the same steps
//! read as the mean interval between deployments, and rates in steps of 15 %.

const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
const MONTH: i64 = 30 * DAY;
const SIX_MONTHS: i64 = 182 * DAY;

fn step(seconds: i64) -> usize {
    [HOUR, DAY, WEEK, MONTH, SIX_MONTHS]
        .iter()
        .position(|&limit| seconds < limit)
        .unwrap_or(5)
}

/// A lead or recovery time's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DurationBand {
    /// Less than one hour.
    UnderAnHour,
    /// Between an hour and a day.
    UnderADay,
    /// Between a day and a week.
    UnderAWeek,
    /// Between a week and a month.
    UnderAMonth,
    /// Between a month and six months.
    UnderSixMonths,
    /// More than six months.
    Longer,
}

impl DurationBand {
    /// The band of a duration in seconds.
    pub fn of(seconds: i64) -> DurationBand {
        [
            DurationBand::UnderAnHour,
            DurationBand::UnderADay,
            DurationBand::UnderAWeek,
            DurationBand::UnderAMonth,
            DurationBand::UnderSixMonths,
            DurationBand::Longer,
        ][step(seconds)]
    }

    /// The Quick Check's words.
    pub fn label(self) -> &'static str {
        match self {
            DurationBand::UnderAnHour => "less than one hour",
            DurationBand::UnderADay => "between one hour and one day",
            DurationBand::UnderAWeek => "between one day and one week",
            DurationBand::UnderAMonth => "between one week and one month",
            DurationBand::UnderSixMonths => "between one month and six months",
            DurationBand::Longer => "more than six months",
        }
    }
}

/// A deployment frequency's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FrequencyBand {
    /// More than once an hour on average: on demand.
    OnDemand,
    /// Between once an hour and once a day.
    Daily,
    /// Between once a day and once a week.
    Weekly,
    /// Between once a week and once a month.
    Monthly,
    /// Between once a month and once every six months.
    HalfYearly,
    /// Fewer than once every six months.
    Rarer,
}

impl FrequencyBand {
    /// The band of a mean interval between deployments, in seconds.
    pub fn of(mean_interval_seconds: i64) -> FrequencyBand {
        [
            FrequencyBand::OnDemand,
            FrequencyBand::Daily,
            FrequencyBand::Weekly,
            FrequencyBand::Monthly,
            FrequencyBand::HalfYearly,
            FrequencyBand::Rarer,
        ][step(mean_interval_seconds)]
    }

    /// The Quick Check's words.
    pub fn label(self) -> &'static str {
        match self {
            FrequencyBand::OnDemand => "on demand (several deploys an hour)",
            FrequencyBand::Daily => "between once per hour and once per day",
            FrequencyBand::Weekly => "between once per day and once per week",
            FrequencyBand::Monthly => "between once per week and once per month",
            FrequencyBand::HalfYearly => "between once per month and once every six months",
            FrequencyBand::Rarer => "fewer than once every six months",
        }
    }
}

/// A change fail or rework rate's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RateBand {
    /// 0–15 %.
    UpTo15,
    /// 16–30 %.
    UpTo30,
    /// 31–45 %.
    UpTo45,
    /// 46–60 %.
    UpTo60,
    /// Over 60 %.
    Over60,
}

impl RateBand {
    /// The band of a rate between 0 and 1.
    pub fn of(rate: f64) -> RateBand {
        let percent = rate * 100.0;
        if percent <= 15.0 {
            RateBand::UpTo15
        } else if percent <= 30.0 {
            RateBand::UpTo30
        } else if percent <= 45.0 {
            RateBand::UpTo45
        } else if percent <= 60.0 {
            RateBand::UpTo60
        } else {
            RateBand::Over60
        }
    }

    /// Its words.
    pub fn label(self) -> &'static str {
        match self {
            RateBand::UpTo15 => "0–15 %",
            RateBand::UpTo30 => "16–30 %",
            RateBand::UpTo45 => "31–45 %",
            RateBand::UpTo60 => "46–60 %",
            RateBand::Over60 => "over 60 %",
        }
    }
}
