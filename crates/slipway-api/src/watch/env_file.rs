//! `slipway watch --env-file FILE`: the watcher's settings as a service keeps them
//! (`/etc/slipway/watch.env`), read by the watcher itself so a file it cannot read, or a
//! setting it does not know, is said in its own words before anything starts.

use std::path::{Path, PathBuf};

use crate::error::{ApiError, ErrorCode};

/// The settings a watcher's environment file may hold.
const WATCH_ENV_KEYS: &[&str] = &["SLIPWAY_WORKSPACE", "SLIPWAY_LISTEN", "SLIPWAY_INTERVAL"];

/// What a watcher's environment file says; what it leaves out is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchEnv {
    /// The workspace folder.
    pub workspace: Option<PathBuf>,
    /// Where to serve /healthz and /metrics (`Some("")` in the file: serve nothing).
    pub listen: Option<String>,
    /// Seconds between safety passes.
    pub interval: Option<u64>,
}

fn refused(path: &Path, why: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        format!(
            "Cannot use the environment file {}: {why}; nothing was started.",
            path.display()
        ),
    )
}

/// Reads `path` (`KEY=value` lines, `#` comments, quotes as a shell writes them).
pub fn read_watch_env(path: &Path) -> Result<WatchEnv, ApiError> {
    let lines = dotenvy::from_path_iter(path).map_err(|e| match &e {
        dotenvy::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::NotFound => refused(path, "there is no such file"),
            std::io::ErrorKind::PermissionDenied => refused(
                path,
                "permission denied (the service reads it as the slipway user: make it readable by that user)",
            ),
            _ => refused(path, io),
        },
        other => refused(path, other),
    })?;
    let mut env = WatchEnv::default();
    for line in lines {
        let (key, value) = line.map_err(|e| match e {
            dotenvy::Error::LineParse(text, at) => refused(
                path,
                format!("line {text:?} is not KEY=value (at character {at})"),
            ),
            dotenvy::Error::Io(io) if io.kind() == std::io::ErrorKind::IsADirectory => {
                refused(path, "it is a folder, not a file")
            }
            other => refused(path, other),
        })?;
        match key.as_str() {
            "SLIPWAY_WORKSPACE" => {
                env.workspace = (!value.trim().is_empty()).then(|| PathBuf::from(value.trim()))
            }
            "SLIPWAY_LISTEN" => env.listen = Some(value.trim().to_string()),
            "SLIPWAY_INTERVAL" => {
                env.interval = Some(
                    value
                        .trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| {
                            refused(
                                path,
                                format!(
                                    "SLIPWAY_INTERVAL is {value:?}, not a whole number of seconds above 0"
                                ),
                            )
                        })?,
                )
            }
            other => {
                return Err(refused(
                    path,
                    format!(
                        "{other} is not a setting of slipway watch (it knows {}; set anything else in the unit's Environment=)",
                        WATCH_ENV_KEYS.join(", ")
                    ),
                ))
            }
        }
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watch_env_file_says_what_it_holds_or_why_not() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let cases: Vec<(&str, &str, Result<WatchEnv, &str>)> = vec![
            (
                "full",
                "# a comment\nSLIPWAY_WORKSPACE=/srv/ws\nSLIPWAY_LISTEN=\"127.0.0.1:9464\"\nSLIPWAY_INTERVAL=15\n",
                Ok(WatchEnv {
                    workspace: Some("/srv/ws".into()),
                    listen: Some("127.0.0.1:9464".into()),
                    interval: Some(15),
                }),
            ),
            ("empty", "", Ok(WatchEnv::default())),
            (
                "listen off",
                "SLIPWAY_LISTEN=\n",
                Ok(WatchEnv {
                    listen: Some(String::new()),
                    ..WatchEnv::default()
                }),
            ),
            ("zero", "SLIPWAY_INTERVAL=0\n", Err("not a whole number of seconds")),
            ("words", "SLIPWAY_INTERVAL=soon\n", Err("not a whole number of seconds")),
            ("typo", "SLIPWAY_WORKSPAC=/srv\n", Err("SLIPWAY_WORKSPAC is not a setting")),
            ("not key=value", "just words\n", Err("is not KEY=value")),
        ];
        for (name, text, want) in cases {
            let got = read_watch_env(&write(name, text));
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{name}"),
                (Err(e), Err(says)) => {
                    assert!(e.message.contains(says), "{name}: {}", e.message);
                    assert!(e.message.contains("nothing was started"), "{name}");
                }
                (got, want) => panic!("{name}: {got:?}, wanted {want:?}"),
            }
        }
        let missing = read_watch_env(&dir.path().join("none")).unwrap_err();
        assert!(
            missing.message.contains("there is no such file"),
            "{}",
            missing.message
        );
        let folder = read_watch_env(dir.path()).unwrap_err();
        assert!(
            folder.message.contains("Cannot use the environment file"),
            "{}",
            folder.message
        );
    }
}
