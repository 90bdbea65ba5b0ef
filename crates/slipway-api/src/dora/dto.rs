//! The delivery metrics as the Metrics page and `slipway dora --json` see them.

use serde::{Deserialize, Serialize};
use slipway_core::dora::{DeploymentSource, DurationBand, FailureRule, FrequencyBand, RateBand};
use ts_rs::TS;

use crate::dto::{wire_words, DeploymentKindDto};

wire_words!(
    DoraMetricDto,
    DoraBandDto,
    FailureRuleDto,
    UnplannedDto,
    DeploymentSourceDto
);

/// What to compute; every field may be left out.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct DoraAskDto {
    /// The project (may be left out when the workspace has one).
    pub project: Option<String>,
    /// The environment (production, or the pipeline's last, by default).
    pub environment: Option<String>,
    /// The window's start: a date (`2026-11-01`) or a time; up to now.
    pub since: Option<String>,
    /// Or the window's length in days up to now (default 30).
    #[ts(type = "number | null")]
    pub days: Option<i64>,
    /// Hours after a deployment within which a hotfix or revert marks it failed (default 72).
    #[ts(type = "number | null")]
    pub failure_window_hours: Option<i64>,
}

/// One of DORA's five metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DoraMetricDto {
    /// Deployments per week.
    DeploymentFrequency,
    /// First commit to first deployment.
    LeadTime,
    /// Failed deployments over all.
    ChangeFailRate,
    /// Failed deployment to the one that restored service.
    RecoveryTime,
    /// Unplanned deployments over all.
    ReworkRate,
}

/// A figure's performance band (DORA's Quick Check steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DoraBandDto {
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
    /// Several deployments an hour.
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

impl From<DurationBand> for DoraBandDto {
    fn from(b: DurationBand) -> Self {
        match b {
            DurationBand::UnderAnHour => DoraBandDto::UnderAnHour,
            DurationBand::UnderADay => DoraBandDto::UnderADay,
            DurationBand::UnderAWeek => DoraBandDto::UnderAWeek,
            DurationBand::UnderAMonth => DoraBandDto::UnderAMonth,
            DurationBand::UnderSixMonths => DoraBandDto::UnderSixMonths,
            DurationBand::Longer => DoraBandDto::Longer,
        }
    }
}

impl From<FrequencyBand> for DoraBandDto {
    fn from(b: FrequencyBand) -> Self {
        match b {
            FrequencyBand::OnDemand => DoraBandDto::OnDemand,
            FrequencyBand::Daily => DoraBandDto::Daily,
            FrequencyBand::Weekly => DoraBandDto::Weekly,
            FrequencyBand::Monthly => DoraBandDto::Monthly,
            FrequencyBand::HalfYearly => DoraBandDto::HalfYearly,
            FrequencyBand::Rarer => DoraBandDto::Rarer,
        }
    }
}

impl From<RateBand> for DoraBandDto {
    fn from(b: RateBand) -> Self {
        match b {
            RateBand::UpTo15 => DoraBandDto::UpTo15,
            RateBand::UpTo30 => DoraBandDto::UpTo30,
            RateBand::UpTo45 => DoraBandDto::UpTo45,
            RateBand::UpTo60 => DoraBandDto::UpTo60,
            RateBand::Over60 => DoraBandDto::Over60,
        }
    }
}

/// One metric over the window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraFigureDto {
    /// Which metric.
    pub metric: DoraMetricDto,
    /// Its name.
    pub name: String,
    /// The value: deployments a week, seconds (median), or a share between 0 and 1;
    /// `null` when there is nothing to compute it from.
    pub value: Option<f64>,
    /// The value as shown ("4.5 a week", "1 d 2 h", "44 %", or "no deployments").
    pub shown: String,
    /// What is shown beside it (the p85, the lead time from merge, the counts).
    pub detail: String,
    /// How many deployments, changes or failures it is computed from.
    #[ts(type = "number")]
    pub count: i64,
    /// The count in words ("from 9 deployments").
    pub basis: String,
    /// Its performance band.
    pub band: Option<DoraBandDto>,
    /// The band in DORA's words.
    pub band_label: Option<String>,
    /// 0 for the best band, up to 5.
    #[ts(type = "number | null")]
    pub band_rank: Option<u8>,
    /// How Slipway measures it.
    pub definition: String,
    /// The same figure for each week of the trend (`null` for a week without data).
    pub trend: Vec<Option<f64>>,
}

/// Which rule marked a deployment failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FailureRuleDto {
    /// A Slipway run moved the ref and then failed.
    RecordedFailed,
    /// The next deployment rolled it back.
    RolledBack,
    /// A hotfix came next within the failure window.
    HotfixFollowed,
    /// A revert of something it shipped followed within the failure window.
    Reverted,
}

impl From<FailureRule> for FailureRuleDto {
    fn from(r: FailureRule) -> Self {
        match r {
            FailureRule::RecordedFailed => FailureRuleDto::RecordedFailed,
            FailureRule::RolledBack => FailureRuleDto::RolledBack,
            FailureRule::HotfixFollowed => FailureRuleDto::HotfixFollowed,
            FailureRule::Reverted => FailureRuleDto::Reverted,
        }
    }
}

/// Why a deployment counts as rework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UnplannedDto {
    /// A rollback.
    Rollback,
    /// A hotfix-lane run.
    Hotfix,
    /// It shipped an emergency request's linked change.
    Emergency,
}

/// Where a deployment was learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentSourceDto {
    /// A Slipway run.
    Slipway,
    /// The branch's reflog.
    Reflog,
    /// A tag's date.
    Tag,
    /// A recorded deployment.
    Record,
}

impl From<DeploymentSource> for DeploymentSourceDto {
    fn from(s: DeploymentSource) -> Self {
        match s {
            DeploymentSource::Slipway => DeploymentSourceDto::Slipway,
            DeploymentSource::Reflog => DeploymentSourceDto::Reflog,
            DeploymentSource::Tag => DeploymentSourceDto::Tag,
            DeploymentSource::Record => DeploymentSourceDto::Record,
        }
    }
}

/// How a failed deployment failed and what restored service.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraFailureDto {
    /// The rule.
    pub rule: FailureRuleDto,
    /// The rule in words.
    pub why: String,
    /// When service was restored (`null`: not yet).
    pub restored_at: Option<String>,
    /// By which commit.
    pub restored_sha: Option<String>,
    /// By what kind of deployment.
    pub restored_kind: Option<DeploymentKindDto>,
    /// Seconds from the failed deployment.
    #[ts(type = "number | null")]
    pub recovery_seconds: Option<i64>,
}

/// A deployment in the window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraDeploymentDto {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Its kind.
    pub kind: DeploymentKindDto,
    /// Where it was learned.
    pub source: DeploymentSourceDto,
    /// The commit deployed.
    pub sha: String,
    /// Its first 8 characters.
    pub short_sha: String,
    /// The Slipway run, when it was one.
    #[ts(type = "number | null")]
    pub run: Option<i64>,
    /// Changes it deployed for the first time (shas).
    pub changes: Vec<String>,
    /// Set when it failed.
    pub failure: Option<DoraFailureDto>,
    /// Set when it was unplanned.
    pub unplanned: Option<UnplannedDto>,
    /// The emergency request it served.
    #[ts(type = "number | null")]
    pub request: Option<i64>,
}

/// A change first deployed in the window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraChangeDto {
    /// Full sha.
    pub sha: String,
    /// First 8 characters.
    pub short_sha: String,
    /// Title.
    pub title: String,
    /// A commit off trunk's line (a hotfix's).
    pub off_trunk: bool,
    /// First commit, RFC 3339 UTC.
    pub first_commit_at: String,
    /// Merge.
    pub merged_at: String,
    /// First deployment here.
    pub deployed_at: String,
    /// Lead time from first commit, seconds.
    #[ts(type = "number")]
    pub lead_seconds: i64,
    /// From merge, seconds.
    #[ts(type = "number")]
    pub from_merge_seconds: i64,
    /// Its wait in each stage (`null` where a record does not reach back).
    #[ts(type = "Array<number | null>")]
    pub stage_waits: Vec<Option<i64>>,
}

/// One stage a change waits in on its way to the environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraStageDto {
    /// "merged → qa", "qa → staging".
    pub label: String,
    /// The environment it waits for.
    pub environment: String,
    /// Median wait, seconds.
    #[ts(type = "number | null")]
    pub median_seconds: Option<i64>,
    /// p85 wait, seconds.
    #[ts(type = "number | null")]
    pub p85_seconds: Option<i64>,
}

/// One week of the trend.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraWeekDto {
    /// Its first instant in the window.
    pub start: String,
    /// Deployments.
    #[ts(type = "number")]
    pub deployments: i64,
    /// Failed.
    #[ts(type = "number")]
    pub failed: i64,
    /// Unplanned.
    #[ts(type = "number")]
    pub unplanned: i64,
    /// Changes first deployed.
    #[ts(type = "number")]
    pub changes: i64,
    /// Median wait per stage, seconds (same order as the stages).
    #[ts(type = "Array<number | null>")]
    pub stage_medians: Vec<Option<i64>>,
    /// p85 wait per stage, seconds.
    #[ts(type = "Array<number | null>")]
    pub stage_p85s: Vec<Option<i64>>,
}

/// DORA's five metrics and the queue wait of one environment of one project.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DoraDto {
    /// The project.
    pub project: String,
    /// The environment.
    pub environment: String,
    /// Every project, to choose from.
    pub projects: Vec<String>,
    /// The project's environments, to choose from.
    pub environments: Vec<String>,
    /// Window start, RFC 3339 UTC.
    pub from: String,
    /// Window end.
    pub to: String,
    /// Its length in whole days.
    #[ts(type = "number")]
    pub days: i64,
    /// The failure window, hours.
    #[ts(type = "number")]
    pub failure_window_hours: i64,
    /// The five figures, in DORA's order.
    pub figures: Vec<DoraFigureDto>,
    /// A sentence when the window has no deployments.
    pub empty: Option<String>,
    /// Where the deployments came from, in words.
    pub sources: String,
    /// Where the time goes: the stages, with the window's median and p85.
    pub stages: Vec<DoraStageDto>,
    /// The weekly trend.
    pub weeks: Vec<DoraWeekDto>,
    /// Deployments in the window, oldest first.
    pub deployments: Vec<DoraDeploymentDto>,
    /// Changes first deployed in the window.
    pub changes: Vec<DoraChangeDto>,
}
