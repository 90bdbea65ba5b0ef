//! The config guard's settings as a project keeps them, their defaults, and the checks
//! every setting a person types passes before it is saved.

use globset::GlobBuilder;

use super::{DEFAULT_GLOBS, DEFAULT_OTHER_ENVIRONMENTS, MIN_MARKER_CHARS};

/// How findings weigh for one target environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardMode {
    /// A marker or denied-setting finding stops the promotion (until overridden).
    Block,
    /// Findings are shown; the promotion goes ahead.
    Warn,
    /// The guard does not look at promotions to this environment.
    Off,
}

impl GuardMode {
    /// `block`, `warn` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            GuardMode::Block => "block",
            GuardMode::Warn => "warn",
            GuardMode::Off => "off",
        }
    }

    /// Reads `block`, `warn` or `off`.
    pub fn parse(word: &str) -> Option<GuardMode> {
        match word {
            "block" => Some(GuardMode::Block),
            "warn" => Some(GuardMode::Warn),
            "off" => Some(GuardMode::Off),
            _ => None,
        }
    }
}

/// A setting refused for the target environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeniedSetting {
    /// The target environment it is denied in.
    pub environment: String,
    /// A regular expression (Rust `regex` syntax) matched against each added line.
    pub pattern: String,
    /// Why, for the finding's sentence ("a load-test setting").
    pub why: String,
}

/// A string that identifies an environment, added by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualMarker {
    /// Whose marker it is (a pipeline environment or another known one).
    pub environment: String,
    /// The text.
    pub text: String,
}

/// A project's guard settings as stored; `None` means the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuardSettings {
    /// The per-environment file patterns (`<env>` stands for the name); default
    /// [`DEFAULT_GLOBS`].
    pub globs: Option<Vec<String>>,
    /// Known environments beyond the pipeline's; default [`DEFAULT_OTHER_ENVIRONMENTS`].
    pub other_environments: Option<Vec<String>>,
    /// Markers added by hand.
    pub markers: Vec<ManualMarker>,
    /// Learned marker texts a person dismissed.
    pub ignored: Vec<String>,
    /// Denied settings; default [`default_denied`] for the pipeline's last environment.
    pub denied: Option<Vec<DeniedSetting>>,
    /// Modes set per environment; others take the default (block for the last, warn else).
    pub modes: Vec<(String, GuardMode)>,
    /// When set, a block is lifted only by an approving sign-off of a person with this role.
    pub override_role: Option<String>,
}

impl GuardSettings {
    /// The file patterns in force.
    pub fn globs(&self) -> Vec<String> {
        self.globs
            .clone()
            .unwrap_or_else(|| DEFAULT_GLOBS.iter().map(|g| g.to_string()).collect())
    }

    /// The known environments beyond the pipeline's, in force.
    pub fn other_environments(&self) -> Vec<String> {
        self.other_environments.clone().unwrap_or_else(|| {
            DEFAULT_OTHER_ENVIRONMENTS
                .iter()
                .map(|g| g.to_string())
                .collect()
        })
    }

    /// The denied settings in force for a pipeline whose last environment is `last`.
    pub fn denied(&self, last: &str) -> Vec<DeniedSetting> {
        self.denied.clone().unwrap_or_else(|| default_denied(last))
    }

    /// The mode of `environment` in a pipeline whose last environment is `last`.
    pub fn mode(&self, environment: &str, last: &str) -> GuardMode {
        self.modes
            .iter()
            .find(|(e, _)| e == environment)
            .map(|(_, m)| *m)
            .unwrap_or(if environment == last {
                GuardMode::Block
            } else {
                GuardMode::Warn
            })
    }

    /// Checks everything a person can type into the settings; refuses the first bad one.
    pub fn check(&self) -> Result<(), GuardError> {
        if let Some(globs) = &self.globs {
            for glob in globs {
                check_glob(glob)?;
            }
        }
        for env in self.other_environments.iter().flatten() {
            crate::check_environment_name(env)
                .map_err(|_| GuardError::BadEnvironment(env.clone()))?;
        }
        for marker in &self.markers {
            check_marker(&marker.text)?;
        }
        for denied in self.denied.iter().flatten() {
            check_pattern(&denied.pattern)?;
        }
        Ok(())
    }
}

/// The denied settings of a production environment unless a project sets its own.
pub fn default_denied(environment: &str) -> Vec<DeniedSetting> {
    [
        (r"(?i)\bload[-_ ]?test", "a load-test setting"),
        (
            r"(?i)\bperf(test|-test|_test)?\b",
            "a performance-test setting",
        ),
        (r"(?i)\bmock(ed|s)?\b", "a mock"),
        (r"(?i)\bstub(bed|s)?\b", "a stub"),
        (
            r#"(?i)\bdebug\w*\s*[:=]\s*["']?(true|1|yes|on)\b"#,
            "debug switched on",
        ),
        (r"(?i)\bdisable[-_]?auth", "authentication switched off"),
        (
            r"(?i)\bsandbox\b",
            "a sandbox endpoint (such as a payment gateway's)",
        ),
    ]
    .iter()
    .map(|(p, why)| DeniedSetting {
        environment: environment.to_string(),
        pattern: p.to_string(),
        why: why.to_string(),
    })
    .collect()
}

/// Why guard settings are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// A marker too short to mean anything.
    #[error("the marker “{0}” is too short: a marker has at least 4 characters, or it would match everywhere")]
    MarkerTooShort(String),
    /// A marker that spans lines or holds control characters.
    #[error("a marker is one line of text without control characters")]
    MarkerNotOneLine,
    /// A glob that does not parse.
    #[error("the file pattern “{glob}” is not a valid glob: {why}")]
    BadGlob {
        /// The glob.
        glob: String,
        /// The parser's words.
        why: String,
    },
    /// A glob without the environment's place.
    #[error("the file pattern “{0}” has no <env>: each pattern says where an environment's name goes, such as config/<env>.*")]
    GlobWithoutEnvironment(String),
    /// A denied pattern that is not a regular expression.
    #[error("the denied pattern “{pattern}” is not a valid regular expression: {why}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// The parser's words.
        why: String,
    },
    /// An environment name that is not one.
    #[error("“{0}” is not an environment name (lower-case letters, digits, - and _)")]
    BadEnvironment(String),
}

/// Refuses a marker shorter than [`MIN_MARKER_CHARS`] or not on one line.
pub fn check_marker(text: &str) -> Result<(), GuardError> {
    if text.chars().any(char::is_control) {
        return Err(GuardError::MarkerNotOneLine);
    }
    if text.trim().chars().count() < MIN_MARKER_CHARS {
        return Err(GuardError::MarkerTooShort(text.to_string()));
    }
    Ok(())
}

/// Refuses a glob that does not parse or has no `<env>`.
pub fn check_glob(glob: &str) -> Result<(), GuardError> {
    if !glob.contains("<env>") {
        return Err(GuardError::GlobWithoutEnvironment(glob.to_string()));
    }
    build_glob(&glob.replace("<env>", "env")).map(|_| ())
}

pub(super) fn build_glob(glob: &str) -> Result<globset::Glob, GuardError> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|e| GuardError::BadGlob {
            glob: glob.to_string(),
            why: e.kind().to_string(),
        })
}

/// Refuses a denied pattern that is not a regular expression.
pub fn check_pattern(pattern: &str) -> Result<(), GuardError> {
    regex::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| GuardError::BadPattern {
            pattern: pattern.to_string(),
            why: e
                .to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string(),
        })
}
