//! Learning each environment's markers from its own files.
//!
//! A line `key = value`, `key: value` or `KEY=value` gives a candidate when its value is a
//! URL (its host), looks like a host name (`orders.perf.internal`), or its key names
//! something that identifies an environment (host, url, endpoint, database, queue, topic,
//! bucket, account, cluster, dsn…). A candidate is a marker of its environment only when no
//! other environment's own files contain it: `timeout = 30` or `db = orders` everywhere
//! identifies nothing.

use super::{EnvFile, Marker, MarkerSource, MIN_MARKER_CHARS};

/// Key words whose values identify an environment.
const IDENTIFYING_KEYS: &[&str] = &[
    "host",
    "hostname",
    "url",
    "uri",
    "endpoint",
    "server",
    "database",
    "db",
    "dbname",
    "schema",
    "queue",
    "topic",
    "bucket",
    "account",
    "cluster",
    "dsn",
    "domain",
    "project",
    "tenant",
    "namespace",
    "source",
    "stream",
];

/// The markers each environment's own files give, with where each was found.
pub fn learn_markers(files: &[EnvFile]) -> Vec<Marker> {
    let mut candidates: Vec<Marker> = Vec::new();
    for file in files {
        for (i, line) in file.text.lines().enumerate() {
            for text in candidates_of(line) {
                let known = candidates.iter().any(|m| {
                    m.environment == file.environment && m.text.eq_ignore_ascii_case(&text)
                });
                if !known {
                    candidates.push(Marker {
                        environment: file.environment.clone(),
                        text,
                        source: MarkerSource::Learned {
                            path: file.path.clone(),
                            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        },
                    });
                }
            }
        }
    }
    let lowered: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.environment.clone(), f.text.to_ascii_lowercase()))
        .collect();
    candidates.retain(|m| {
        let needle = m.text.to_ascii_lowercase();
        !lowered
            .iter()
            .any(|(env, text)| env != &m.environment && text.contains(&needle))
    });
    candidates
}

/// Whether a line is a comment in the usual config syntaxes.
pub(crate) fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with(';') || t.starts_with("--")
}

/// The identifying values of one line.
fn candidates_of(line: &str) -> Vec<String> {
    if is_comment(line) {
        return Vec::new();
    }
    let Some((key, value)) = split_setting(line) else {
        return Vec::new();
    };
    let key = key.to_ascii_lowercase();
    let identifying_key = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| IDENTIFYING_KEYS.contains(&word))
        || IDENTIFYING_KEYS.iter().any(|k| key.ends_with(k));
    let mut found = Vec::new();
    for value in values_of(value) {
        if let Some(host) = url_host(&value) {
            found.push(host);
        } else if looks_like_host(&value) || (identifying_key && identifies(&value)) {
            found.push(value);
        }
    }
    found.retain(|v| v.chars().count() >= MIN_MARKER_CHARS);
    found
}

/// `key = value`, `key: value`, `KEY=value`, `export KEY=value`; the first separator wins.
fn split_setting(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let line = line.strip_prefix("export ").unwrap_or(line);
    let line = line.strip_prefix("- ").unwrap_or(line);
    let at = line.find(['=', ':'])?;
    let (key, rest) = line.split_at(at);
    let key = key.trim().trim_matches(['"', '\'']);
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some((key, &rest[1..]))
}

/// A value without quotes and trailing comment; an inline list gives each element.
fn values_of(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let raw = match raw.find(" #") {
        Some(at) if !raw.starts_with('"') && !raw.starts_with('\'') => &raw[..at],
        _ => raw,
    };
    let raw = raw.trim().trim_end_matches(',');
    let inner = raw
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(raw);
    inner
        .split(',')
        .map(|v| v.trim().trim_matches(['"', '\'']).trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The host of `scheme://[user[:pw]@]host[:port]/…`.
fn url_host(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// `orders.perf.internal`, `db-perf-1.example.com`: dotted names with a letter.
fn looks_like_host(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && value.chars().any(|c| c.is_ascii_alphabetic())
        && !labels.last().is_some_and(|l| {
            // file names and versions are not hosts
            ["toml", "yaml", "yml", "json", "env", "txt", "log", "sql"].contains(l)
        })
}

/// A value worth identifying by: not a bare word of a few letters, not a small number, not
/// a boolean.
fn identifies(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if ["true", "false", "yes", "no", "on", "off", "null", "none"].contains(&lower.as_str()) {
        return false;
    }
    if value.chars().all(|c| c.is_ascii_digit()) {
        return value.len() >= 6;
    }
    !value.contains(char::is_whitespace)
}
