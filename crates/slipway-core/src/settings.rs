//! The settings a person can change, and what each accepts: who they are, their roles, the
//! workspace's fetch interval, the theme, desktop notices, the workspace in use. Values are
//! typed text (from `slipway settings set` or the settings page); a bad one is an error that
//! names the setting, the value and what it takes.

use std::fmt;

/// The longest fetch interval, in minutes (a day).
pub const MAX_FETCH_INTERVAL_MINUTES: u64 = 24 * 60;

/// A setting's name, as `slipway settings set KEY VALUE` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKey {
    /// Your name.
    Name,
    /// Your email: who you act as.
    Email,
    /// Your roles in the workspace (qa, release-manager…).
    Roles,
    /// Minutes between background fetches (the workspace's).
    FetchInterval,
    /// system, light or dark.
    Theme,
    /// Whether desktop notices pop up.
    DesktopNotices,
    /// The workspace folder in use.
    Workspace,
}

impl SettingKey {
    /// Every key, in the order they are shown.
    pub const ALL: [SettingKey; 7] = [
        SettingKey::Name,
        SettingKey::Email,
        SettingKey::Roles,
        SettingKey::FetchInterval,
        SettingKey::Theme,
        SettingKey::DesktopNotices,
        SettingKey::Workspace,
    ];

    /// The key's name.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingKey::Name => "name",
            SettingKey::Email => "email",
            SettingKey::Roles => "roles",
            SettingKey::FetchInterval => "fetch-interval",
            SettingKey::Theme => "theme",
            SettingKey::DesktopNotices => "desktop-notices",
            SettingKey::Workspace => "workspace",
        }
    }

    /// Reads a key's name.
    pub fn parse(text: &str) -> Result<SettingKey, SettingError> {
        SettingKey::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
            .ok_or_else(|| SettingError::UnknownKey(text.to_string()))
    }

    /// Whether the workspace holds it (in its database or `slipway.toml`), rather than the
    /// person's settings file on this machine.
    pub fn belongs_to_workspace(self) -> bool {
        matches!(self, SettingKey::Roles | SettingKey::FetchInterval)
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The window's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// A checked value for a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    /// A name (empty clears it).
    Name(String),
    /// An email address (`None` clears it: git's user.email is used again).
    Email(Option<String>),
    /// Roles, each lower-case letters, digits and '-'.
    Roles(Vec<String>),
    /// Minutes; 0 turns background fetching off.
    FetchInterval(u64),
    /// The theme.
    Theme(Theme),
    /// Desktop notices on or off.
    DesktopNotices(bool),
    /// A workspace folder, as typed (the API makes it absolute and checks it).
    Workspace(String),
}

/// What is wrong with a setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// No such key.
    #[error("there is no setting {0:?}; the settings are name, email, roles, fetch-interval, theme, desktop-notices and workspace")]
    UnknownKey(String),
    /// A value the setting does not take.
    #[error("the setting {key} cannot be {value:?}: it takes {takes}")]
    Invalid {
        /// The setting.
        key: SettingKey,
        /// The value given.
        value: String,
        /// What it takes.
        takes: String,
    },
}

/// Checks `value` for `key`.
pub fn parse_setting(key: SettingKey, value: &str) -> Result<SettingValue, SettingError> {
    let invalid = |takes: &str| SettingError::Invalid {
        key,
        value: value.to_string(),
        takes: takes.to_string(),
    };
    let trimmed = value.trim();
    match key {
        SettingKey::Name => {
            if trimmed.chars().count() > 100 || trimmed.chars().any(char::is_control) {
                return Err(invalid("a name of at most 100 characters, on one line"));
            }
            Ok(SettingValue::Name(trimmed.to_string()))
        }
        SettingKey::Email => {
            if trimmed.is_empty() {
                return Ok(SettingValue::Email(None));
            }
            crate::notify::check_email(trimmed)
                .map(|e| SettingValue::Email(Some(e)))
                .map_err(|_| {
                    invalid(
                        "an email address such as ana@example.com (empty uses git's user.email)",
                    )
                })
        }
        SettingKey::Roles => {
            let mut roles: Vec<String> = Vec::new();
            for role in trimmed.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                let ok = role.len() <= 32
                    && role
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !ok {
                    return Err(invalid(
                        "roles separated by commas, each lower-case letters, digits and '-' (qa, release-manager)",
                    ));
                }
                if !roles.iter().any(|r| r == role) {
                    roles.push(role.to_string());
                }
            }
            Ok(SettingValue::Roles(roles))
        }
        SettingKey::FetchInterval => trimmed
            .parse::<u64>()
            .ok()
            .filter(|m| *m <= MAX_FETCH_INTERVAL_MINUTES)
            .map(SettingValue::FetchInterval)
            .ok_or_else(|| {
                invalid(&format!(
                    "a whole number of minutes from 0 (off) to {MAX_FETCH_INTERVAL_MINUTES} (a day)"
                ))
            }),
        SettingKey::Theme => match trimmed {
            "system" => Ok(SettingValue::Theme(Theme::System)),
            "light" => Ok(SettingValue::Theme(Theme::Light)),
            "dark" => Ok(SettingValue::Theme(Theme::Dark)),
            _ => Err(invalid("system, light or dark")),
        },
        SettingKey::DesktopNotices => match trimmed {
            "on" | "true" | "yes" => Ok(SettingValue::DesktopNotices(true)),
            "off" | "false" | "no" => Ok(SettingValue::DesktopNotices(false)),
            _ => Err(invalid("on or off")),
        },
        SettingKey::Workspace => {
            if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
                return Err(invalid("a folder's path"));
            }
            Ok(SettingValue::Workspace(trimmed.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_takes_its_values_and_refuses_others() {
        use SettingValue as V;
        let cases: &[(&str, &str, Result<SettingValue, &str>)] = &[
            ("name", " Ana Lima ", Ok(V::Name("Ana Lima".into()))),
            (
                "name",
                "two\nlines",
                Err("a name of at most 100 characters"),
            ),
            (
                "email",
                "ana@example.com",
                Ok(V::Email(Some("ana@example.com".into()))),
            ),
            ("email", "", Ok(V::Email(None))),
            ("email", "ana at example", Err("an email address")),
            (
                "roles",
                "qa, release-manager,qa",
                Ok(V::Roles(vec!["qa".into(), "release-manager".into()])),
            ),
            ("roles", "", Ok(V::Roles(vec![]))),
            ("roles", "QA", Err("roles separated by commas")),
            ("fetch-interval", "0", Ok(V::FetchInterval(0))),
            ("fetch-interval", "1440", Ok(V::FetchInterval(1440))),
            ("fetch-interval", "1441", Err("from 0 (off) to 1440")),
            ("fetch-interval", "-1", Err("from 0 (off) to 1440")),
            ("fetch-interval", "5m", Err("a whole number of minutes")),
            ("theme", "dark", Ok(V::Theme(Theme::Dark))),
            ("theme", "blue", Err("system, light or dark")),
            ("desktop-notices", "off", Ok(V::DesktopNotices(false))),
            ("desktop-notices", "maybe", Err("on or off")),
            (
                "workspace",
                "~/work/slipway",
                Ok(V::Workspace("~/work/slipway".into())),
            ),
            ("workspace", "", Err("a folder's path")),
        ];
        for (key, value, want) in cases {
            let key = SettingKey::parse(key).unwrap();
            match (parse_setting(key, value), want) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{key} {value:?}"),
                (Err(e), Err(says)) => {
                    let text = e.to_string();
                    assert!(
                        text.contains(says)
                            && text.starts_with(&format!("the setting {key} cannot be")),
                        "{text}"
                    );
                }
                (got, want) => panic!("{key} {value:?}: {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn keys_are_read_by_name_and_know_where_they_live() {
        for key in SettingKey::ALL {
            assert_eq!(SettingKey::parse(key.as_str()), Ok(key));
        }
        assert!(SettingKey::parse("colour")
            .unwrap_err()
            .to_string()
            .contains("the settings are name, email"));
        let workspace: Vec<&str> = SettingKey::ALL
            .into_iter()
            .filter(|k| k.belongs_to_workspace())
            .map(SettingKey::as_str)
            .collect();
        assert_eq!(workspace, ["roles", "fetch-interval"]);
    }
}
