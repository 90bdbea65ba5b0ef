//! The config guard: what configuration a promotion carries, looked at before it ships.
//!
//! A release that carried the performance-test environment's settings into production is
//! the story Slipway comes from. The guard reads the added and changed lines of the diff a
//! promotion would ship and looks for three things:
//!
//! - **another environment's markers** — the strings that identify an environment (host
//!   names, URLs, database and queue names, account ids), learned from that environment's
//!   own files ([`learn_markers`]) or added by hand — in a file that configures the target
//!   or that every environment shares. A marker in its own environment's file is no finding.
//! - **denied settings** for the target: patterns such as `loadtest`, `mock` or
//!   `debug = true` in the target's own or shared files ([`default_denied`] for production).
//! - **path scope**: a promotion to X that changes another environment's own files (a
//!   warning: such files usually ride along harmlessly, but a release manager should know).
//!
//! Which environment owns a file is decided by the globs ([`DEFAULT_GLOBS`], `<env>`
//! standing for the environment's name), over the pipeline's environments and the other
//! known non-production ones ([`DEFAULT_OTHER_ENVIRONMENTS`]: perf, loadtest, sandbox…). A
//! file no environment owns is shared. Comment lines configure nothing and are not read
//! (except by the secret scan). Binary files and files over [`MAX_FILE_BYTES`] are skipped
//! with a note.
//!
//! The verdict per environment is [`GuardMode`]: block (the pipeline's last environment by
//! default), warn (every other one) or off. A block is lifted by an override with a reason
//! (audited), or — when the project names an override role — only by an approving sign-off
//! of someone holding that role. A small secret scan (private keys, cloud access keys,
//! bearer tokens, URLs with passwords) of the same lines always only warns, and never
//! repeats the secret it found.

mod drift;
mod learn;
mod scan;
mod settings;
#[cfg(test)]
mod tests;

use globset::{GlobSet, GlobSetBuilder};

pub use drift::is_config_path;
pub use learn::learn_markers;
pub use scan::{redact, verdicts, GuardOverride};
use settings::build_glob;
pub use settings::{
    check_glob, check_marker, check_pattern, default_denied, DeniedSetting, GuardError, GuardMode,
    GuardSettings, ManualMarker,
};

/// A file larger than this (bytes) is skipped with a note.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The shortest marker the guard accepts: shorter strings match everywhere.
pub const MIN_MARKER_CHARS: usize = 4;

/// The per-environment file patterns used unless a project sets its own; `<env>` stands for
/// the environment's name.
pub const DEFAULT_GLOBS: &[&str] = &[
    "config/<env>.*",
    "config/<env>/**",
    "**/config/<env>.*",
    "<env>.env",
    ".env.<env>",
    "**/.env.<env>",
    "values-<env>.yaml",
    "values-<env>.yml",
    "**/values-<env>.yaml",
    "overlays/<env>/**",
    "**/overlays/<env>/**",
    "environments/<env>/**",
];

/// Non-production environments that are often not in a pipeline but have their own files.
pub const DEFAULT_OTHER_ENVIRONMENTS: &[&str] = &[
    "perf",
    "perftest",
    "loadtest",
    "load-test",
    "sandbox",
    "dev",
    "local",
    "test",
];

/// Which environment's own files a path belongs to, over a fixed list of environments.
#[derive(Debug, Clone)]
pub struct FileOwners {
    environments: Vec<String>,
    sets: Vec<GlobSet>,
}

impl FileOwners {
    /// Compiles `globs` for each of `environments` (pipeline first, then the other known).
    pub fn new(environments: &[String], globs: &[String]) -> Result<FileOwners, GuardError> {
        let mut sets = Vec::with_capacity(environments.len());
        for env in environments {
            let mut set = GlobSetBuilder::new();
            for glob in globs {
                check_glob(glob)?;
                set.add(build_glob(&glob.replace("<env>", env))?);
            }
            sets.push(set.build().map_err(|e| GuardError::BadGlob {
                glob: globs.join(", "),
                why: e.to_string(),
            })?);
        }
        Ok(FileOwners {
            environments: environments.to_vec(),
            sets,
        })
    }

    /// The environment whose own file `path` is, if any (the first listed wins).
    pub fn owner(&self, path: &str) -> Option<&str> {
        self.sets
            .iter()
            .position(|s| s.is_match(path))
            .map(|i| self.environments[i].as_str())
    }

    /// The environments, in order.
    pub fn environments(&self) -> &[String] {
        &self.environments
    }
}

/// Where a marker came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkerSource {
    /// Learned from an environment's own file, at this line.
    Learned {
        /// The file.
        path: String,
        /// Its line (1-based).
        line: u32,
    },
    /// Added by a person.
    Manual,
}

/// A string that identifies an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Whose it is.
    pub environment: String,
    /// The text (matched without case).
    pub text: String,
    /// Where it came from.
    pub source: MarkerSource,
}

impl Marker {
    /// "learned from config/perf.toml:3" or "added by hand".
    pub fn provenance(&self) -> String {
        match &self.source {
            MarkerSource::Learned { path, line } => format!("learned from {path}:{line}"),
            MarkerSource::Manual => "added by hand".to_string(),
        }
    }
}

/// One environment's own file, as read for learning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFile {
    /// The environment that owns it.
    pub environment: String,
    /// Its path.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// An added or changed line of the diff that would ship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedLine {
    /// Its line number in the new file (1-based).
    pub line: u32,
    /// Its text, without the line ending.
    pub text: String,
}

/// One file of the diff that would ship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedFile {
    /// Its path after the change.
    pub path: String,
    /// Git sees it as binary.
    pub binary: bool,
    /// Its size after the change, bytes.
    pub size: u64,
    /// The lines added or changed (empty for a binary or too-large file).
    pub added: Vec<AddedLine>,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// Another environment's marker in the target's or a shared file.
    ForeignMarker,
    /// A setting denied for the target.
    DeniedSetting,
    /// Another environment's own file changes.
    PathScope,
    /// Something that looks like a secret.
    Secret,
}

impl FindingKind {
    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ForeignMarker => "foreign_marker",
            FindingKind::DeniedSetting => "denied_setting",
            FindingKind::PathScope => "path_scope",
            FindingKind::Secret => "secret",
        }
    }
}

/// One thing the guard found in what would ship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// The file.
    pub path: String,
    /// The line (1-based; for path scope, the file's first changed line).
    pub line: u32,
    /// The matched text (a secret is redacted).
    pub matched: String,
    /// The environment it belongs to: the marker's or file's owner; for a denied setting
    /// or a secret, the target.
    pub environment: String,
    /// Why it is a finding, in words.
    pub rule: String,
    /// Whether it blocks (before any override) or warns.
    pub blocks: bool,
    /// The shipping change that introduced the line, once the repository has been asked.
    pub change: Option<String>,
}

impl Finding {
    /// "config/production.toml:3 sets perf's host orders.perf.internal (learned from …)".
    pub fn sentence(&self) -> String {
        let at = format!("{}:{}", self.path, self.line);
        match self.kind {
            FindingKind::ForeignMarker => format!(
                "{at} carries {}'s “{}” ({})",
                self.environment, self.matched, self.rule
            ),
            FindingKind::DeniedSetting => format!(
                "{at} has “{}”, {} — denied in {}",
                self.matched, self.rule, self.environment
            ),
            FindingKind::PathScope => format!("{at}: {}", self.rule),
            FindingKind::Secret => format!(
                "{at} looks like it holds {} ({}); secrets belong in a secret store, not the repository",
                self.rule, self.matched
            ),
        }
    }
}

/// A file the guard did not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// "binary", "over 1 MB".
    pub why: String,
}

/// What the guard found in one promotion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuardReport {
    /// The target environment.
    pub environment: String,
    /// Its mode.
    pub mode: Option<GuardMode>,
    /// Findings, in file and line order.
    pub findings: Vec<Finding>,
    /// Files not read.
    pub skipped: Vec<Skipped>,
    /// How many files and added lines were read.
    pub files_read: usize,
    /// How many added lines were read.
    pub lines_read: usize,
}

impl GuardReport {
    /// Whether any finding blocks (before overrides).
    pub fn blocks(&self) -> bool {
        self.findings.iter().any(|f| f.blocks)
    }
}

/// Everything the guard needs for one promotion, compiled once.
pub struct Guard {
    target: String,
    mode: GuardMode,
    owners: FileOwners,
    markers: Vec<Marker>,
    marker_automaton: Option<aho_corasick::AhoCorasick>,
    denied: Vec<DeniedSetting>,
    denied_set: regex::RegexSet,
    denied_each: Vec<regex::Regex>,
}

impl Guard {
    /// The guard of a promotion to `target` of a pipeline `pipeline` (in order), with the
    /// settings and the markers learned from the files it would ship.
    pub fn new(
        settings: &GuardSettings,
        pipeline: &[String],
        target: &str,
        learned: Vec<Marker>,
    ) -> Result<Guard, GuardError> {
        let last = pipeline.last().map(String::as_str).unwrap_or(target);
        let owners = FileOwners::new(&known_environments(settings, pipeline), &settings.globs())?;
        let mut markers: Vec<Marker> = learned
            .into_iter()
            .filter(|m| {
                !settings
                    .ignored
                    .iter()
                    .any(|i| i.eq_ignore_ascii_case(&m.text))
            })
            .collect();
        for m in &settings.markers {
            check_marker(&m.text)?;
            markers.push(Marker {
                environment: m.environment.clone(),
                text: m.text.trim().to_string(),
                source: MarkerSource::Manual,
            });
        }
        // Only other environments' markers can be foreign to the target.
        markers.retain(|m| m.environment != target);
        let marker_automaton = if markers.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(markers.iter().map(|m| m.text.as_str()))
                    .map_err(|e| GuardError::BadPattern {
                        pattern: "markers".into(),
                        why: e.to_string(),
                    })?,
            )
        };
        let denied: Vec<DeniedSetting> = settings
            .denied(last)
            .into_iter()
            .filter(|d| d.environment == target)
            .collect();
        let mut denied_each = Vec::with_capacity(denied.len());
        for d in &denied {
            check_pattern(&d.pattern)?;
            denied_each.push(regex::Regex::new(&d.pattern).map_err(|e| {
                GuardError::BadPattern {
                    pattern: d.pattern.clone(),
                    why: e.to_string(),
                }
            })?);
        }
        let denied_set =
            regex::RegexSet::new(denied.iter().map(|d| d.pattern.as_str())).map_err(|e| {
                GuardError::BadPattern {
                    pattern: "denied settings".into(),
                    why: e.to_string(),
                }
            })?;
        Ok(Guard {
            target: target.to_string(),
            mode: settings.mode(target, last),
            owners,
            markers,
            marker_automaton,
            denied,
            denied_set,
            denied_each,
        })
    }

    /// The target environment's mode.
    pub fn mode(&self) -> GuardMode {
        self.mode
    }

    /// The markers foreign to the target, learned and by hand.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// Which environment owns a path.
    pub fn owner(&self, path: &str) -> Option<&str> {
        self.owners.owner(path)
    }
}

/// The pipeline's environments, then the other known ones not already among them.
pub fn known_environments(settings: &GuardSettings, pipeline: &[String]) -> Vec<String> {
    let mut all = pipeline.to_vec();
    for other in settings.other_environments() {
        if !all.contains(&other) {
            all.push(other);
        }
    }
    all
}
