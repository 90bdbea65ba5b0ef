//! The config guard on the wire: its report on a promotion, and its settings as edited.

use serde::{Deserialize, Serialize};
use slipway_core::guard::{Finding, FindingKind, GuardMode, GuardReport};
use ts_rs::TS;

use crate::dto::wire_words;

/// How findings weigh for a target environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GuardModeDto {
    /// Marker and denied-setting findings stop the promotion until overridden.
    Block,
    /// Findings are shown; the promotion goes ahead.
    Warn,
    /// The guard does not look.
    Off,
}

impl From<GuardMode> for GuardModeDto {
    fn from(m: GuardMode) -> Self {
        match m {
            GuardMode::Block => GuardModeDto::Block,
            GuardMode::Warn => GuardModeDto::Warn,
            GuardMode::Off => GuardModeDto::Off,
        }
    }
}

impl GuardModeDto {
    pub(crate) fn domain(self) -> GuardMode {
        match self {
            GuardModeDto::Block => GuardMode::Block,
            GuardModeDto::Warn => GuardMode::Warn,
            GuardModeDto::Off => GuardMode::Off,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingKindDto {
    /// Another environment's marker in the target's or a shared file.
    ForeignMarker,
    /// A setting denied for the target.
    DeniedSetting,
    /// Another environment's own file changes.
    PathScope,
    /// Text that looks like a secret (shown redacted).
    Secret,
}

impl From<FindingKind> for FindingKindDto {
    fn from(k: FindingKind) -> Self {
        match k {
            FindingKind::ForeignMarker => FindingKindDto::ForeignMarker,
            FindingKind::DeniedSetting => FindingKindDto::DeniedSetting,
            FindingKind::PathScope => FindingKindDto::PathScope,
            FindingKind::Secret => FindingKindDto::Secret,
        }
    }
}

/// One thing the guard found in what would ship.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FindingDto {
    /// What kind.
    pub kind: FindingKindDto,
    /// The file.
    pub path: String,
    /// The line (1-based).
    pub line: u32,
    /// The matched text (a secret is redacted).
    pub matched: String,
    /// The environment it belongs to (the marker's or file's owner; the target for a
    /// denied setting or a secret).
    pub environment: String,
    /// Why it is a finding ("learned from config/perf.toml:1", "a mock").
    pub rule: String,
    /// Whether it blocks the promotion (before an override).
    pub blocks: bool,
    /// The whole finding as a sentence.
    pub sentence: String,
    /// The shipping change that introduced the line (full sha).
    pub change: Option<String>,
    /// That change's title.
    pub change_title: Option<String>,
}

/// A file the guard did not read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SkippedDto {
    /// The file.
    pub path: String,
    /// Why ("binary", "over 1 MB").
    pub why: String,
}

/// What the config guard found in one promotion.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuardReportDto {
    /// The target environment.
    pub environment: String,
    /// Its mode.
    pub mode: GuardModeDto,
    /// Findings, in file and line order.
    pub findings: Vec<FindingDto>,
    /// Files not read, and why.
    pub skipped: Vec<SkippedDto>,
    /// Files read.
    #[ts(type = "number")]
    pub files_read: usize,
    /// Added lines read.
    #[ts(type = "number")]
    pub lines_read: usize,
    /// Whether a finding blocks (before an override).
    pub blocks: bool,
    /// The override the project allows: a reason, or a sign-off of this role.
    pub override_role: Option<String>,
}

impl GuardReportDto {
    pub(crate) fn of(
        report: &GuardReport,
        title_of: impl Fn(&str) -> Option<String>,
        override_role: Option<String>,
    ) -> GuardReportDto {
        GuardReportDto {
            environment: report.environment.clone(),
            mode: report.mode.unwrap_or(GuardMode::Off).into(),
            findings: report
                .findings
                .iter()
                .map(|f: &Finding| FindingDto {
                    kind: f.kind.into(),
                    path: f.path.clone(),
                    line: f.line,
                    matched: f.matched.clone(),
                    environment: f.environment.clone(),
                    rule: f.rule.clone(),
                    blocks: f.blocks,
                    sentence: f.sentence(),
                    change_title: f.change.as_deref().and_then(&title_of),
                    change: f.change.clone(),
                })
                .collect(),
            skipped: report
                .skipped
                .iter()
                .map(|s| SkippedDto {
                    path: s.path.clone(),
                    why: s.why.clone(),
                })
                .collect(),
            files_read: report.files_read,
            lines_read: report.lines_read,
            blocks: report.blocks(),
            override_role,
        }
    }
}

/// Where a marker in the settings came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MarkerOriginDto {
    /// Learned from the environment's own file.
    Learned,
    /// Added by hand.
    Manual,
    /// Learned, then dismissed by a person (not used).
    Ignored,
}

/// A marker as the settings show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MarkerDto {
    /// Whose marker.
    pub environment: String,
    /// The text.
    pub text: String,
    /// Where it came from.
    pub origin: MarkerOriginDto,
    /// "learned from config/perf.toml:1", "added by hand".
    pub source: String,
}

/// A denied setting.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeniedDto {
    /// The target environment it is denied in.
    pub environment: String,
    /// The regular expression.
    pub pattern: String,
    /// Why.
    pub why: String,
}

/// One environment's mode.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuardEnvironmentDto {
    /// The environment.
    pub environment: String,
    /// Its mode.
    pub mode: GuardModeDto,
    /// Whether it is the default (block for the last environment, warn for others).
    pub default: bool,
}

/// A project's config guard settings, with what was learned from where.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuardSettingsDto {
    /// Project name.
    pub project: String,
    /// The per-environment file patterns (`<env>` stands for the name).
    pub globs: Vec<String>,
    /// Whether they are the defaults.
    pub globs_default: bool,
    /// Known environments beyond the pipeline's.
    pub other_environments: Vec<String>,
    /// Every marker: learned (from what the last environment runs), by hand, dismissed.
    pub markers: Vec<MarkerDto>,
    /// The denied settings in force.
    pub denied: Vec<DeniedDto>,
    /// Whether they are the defaults.
    pub denied_default: bool,
    /// Each pipeline environment's mode.
    pub modes: Vec<GuardEnvironmentDto>,
    /// When set, a block is lifted only by an approving sign-off of this role.
    pub override_role: Option<String>,
    /// The commit markers were learned from (what the last environment runs), short.
    pub learned_at: String,
}

/// One change to a project's guard settings.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum GuardChangeDto {
    /// Add a marker by hand.
    AddMarker {
        /// Whose marker.
        environment: String,
        /// The text (at least 4 characters).
        text: String,
    },
    /// Remove a hand-added marker, or dismiss a learned one.
    RemoveMarker {
        /// The text.
        text: String,
    },
    /// Use a dismissed learned marker again.
    RestoreMarker {
        /// The text.
        text: String,
    },
    /// Deny a setting in an environment.
    AddDenied {
        /// The target environment.
        environment: String,
        /// A regular expression.
        pattern: String,
        /// Why, for the finding.
        why: String,
    },
    /// Stop denying a setting.
    RemoveDenied {
        /// The target environment.
        environment: String,
        /// The pattern, as listed.
        pattern: String,
    },
    /// Go back to the default denied settings.
    ResetDenied,
    /// Set an environment's mode.
    SetMode {
        /// The environment.
        environment: String,
        /// block, warn or off.
        mode: GuardModeDto,
    },
    /// Set the file patterns (none: the defaults).
    SetGlobs {
        /// The patterns, each with `<env>`.
        globs: Option<Vec<String>>,
    },
    /// Set the known environments beyond the pipeline's (none: the defaults).
    SetOtherEnvironments {
        /// Their names.
        names: Option<Vec<String>>,
    },
    /// Lift blocks only with a sign-off of this role (none: a reason lifts them).
    SetOverrideRole {
        /// The role.
        role: Option<String>,
    },
}

wire_words!(GuardModeDto, FindingKindDto, MarkerOriginDto);
