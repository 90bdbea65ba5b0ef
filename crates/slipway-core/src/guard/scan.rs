//! Reading the lines a promotion would ship, and the verdicts the findings give.

use std::sync::LazyLock;

use super::learn::is_comment;
use super::{
    Finding, FindingKind, Guard, GuardMode, GuardReport, ShippedFile, Skipped, MAX_FILE_BYTES,
};
use crate::{GateKind, GateVerdict, Outcome};

/// What secret-looking text the scan knows, and how it names each.
static SECRETS: LazyLock<Vec<(regex::Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----",
            "a private key",
        ),
        (r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", "an AWS access key"),
        (r"\bAIza[0-9A-Za-z_\-]{35}\b", "a Google API key"),
        (r"\bgh[pousr]_[A-Za-z0-9]{36,}\b", "a GitHub token"),
        (r"\bxox[abprs]-[A-Za-z0-9-]{10,}", "a Slack token"),
        (
            r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{20,}=*",
            "a bearer token",
        ),
        (
            r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@]+:[^/\s@]+@[^\s/]+",
            "a URL with a password",
        ),
    ]
    .into_iter()
    .map(|(p, name)| (regex::Regex::new(p).expect("built-in secret pattern"), name))
    .collect()
});

/// The first four characters of a secret and its length: enough to find it, not to use it.
pub fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}… ({} characters)", secret.chars().count())
}

impl Guard {
    /// Reads the files a promotion would ship and returns what it found, in file and line
    /// order. The changes that introduced each line are not known here: the caller asks the
    /// repository and fills in [`Finding::change`].
    pub fn scan(&self, files: &[ShippedFile]) -> GuardReport {
        let mut report = GuardReport {
            environment: self.target.clone(),
            mode: Some(self.mode),
            ..GuardReport::default()
        };
        if self.mode == GuardMode::Off {
            return report;
        }
        let blocks = self.mode == GuardMode::Block;
        for file in files {
            if file.binary {
                report.skipped.push(Skipped {
                    path: file.path.clone(),
                    why: "binary".into(),
                });
                continue;
            }
            if file.size > MAX_FILE_BYTES {
                report.skipped.push(Skipped {
                    path: file.path.clone(),
                    why: "over 1 MB".into(),
                });
                continue;
            }
            report.files_read += 1;
            report.lines_read += file.added.len();
            let owner = self.owners.owner(&file.path);
            // Another environment's own file: it does not configure the target.
            if let Some(owner) = owner.filter(|o| *o != self.target) {
                if let Some(first) = file.added.first() {
                    report.findings.push(Finding {
                        kind: FindingKind::PathScope,
                        path: file.path.clone(),
                        line: first.line,
                        matched: file.path.clone(),
                        environment: owner.to_string(),
                        rule: format!(
                            "{owner}'s own file changes in a promotion to {}",
                            self.target
                        ),
                        blocks: false,
                        change: None,
                    });
                }
            }
            for added in &file.added {
                self.secrets_in(file, added, &mut report.findings);
                if owner.is_some_and(|o| o != self.target) || is_comment(&added.text) {
                    continue;
                }
                self.markers_in(file, added, blocks, &mut report.findings);
                self.denied_in(file, added, blocks, &mut report.findings);
            }
        }
        report
    }

    /// Other environments' markers in one line: each environment once, its longest marker.
    fn markers_in(
        &self,
        file: &ShippedFile,
        added: &super::AddedLine,
        blocks: bool,
        out: &mut Vec<Finding>,
    ) {
        let Some(automaton) = &self.marker_automaton else {
            return;
        };
        let mut best: Vec<(usize, usize, usize)> = Vec::new(); // (marker, start, end)
        for m in automaton.find_overlapping_iter(added.text.as_str()) {
            let marker = &self.markers[m.pattern().as_usize()];
            let len = m.end() - m.start();
            match best
                .iter_mut()
                .find(|(i, _, _)| self.markers[*i].environment == marker.environment)
            {
                Some(slot) if slot.2 - slot.1 >= len => {}
                Some(slot) => *slot = (m.pattern().as_usize(), m.start(), m.end()),
                None => best.push((m.pattern().as_usize(), m.start(), m.end())),
            }
        }
        best.sort_by_key(|(_, start, end)| (*start, std::cmp::Reverse(*end - *start)));
        for (i, start, end) in best {
            let marker = &self.markers[i];
            out.push(Finding {
                kind: FindingKind::ForeignMarker,
                path: file.path.clone(),
                line: added.line,
                matched: added.text[start..end].to_string(),
                environment: marker.environment.clone(),
                rule: marker.provenance(),
                blocks,
                change: None,
            });
        }
    }

    /// The target's denied settings in one line.
    fn denied_in(
        &self,
        file: &ShippedFile,
        added: &super::AddedLine,
        blocks: bool,
        out: &mut Vec<Finding>,
    ) {
        for i in self.denied_set.matches(&added.text).iter() {
            let Some(m) = self.denied_each[i].find(&added.text) else {
                continue;
            };
            out.push(Finding {
                kind: FindingKind::DeniedSetting,
                path: file.path.clone(),
                line: added.line,
                matched: m.as_str().to_string(),
                environment: self.target.clone(),
                rule: self.denied[i].why.clone(),
                blocks,
                change: None,
            });
        }
    }

    /// Secret-looking text in one line, redacted: always a warning.
    fn secrets_in(&self, file: &ShippedFile, added: &super::AddedLine, out: &mut Vec<Finding>) {
        for (pattern, name) in SECRETS.iter() {
            if let Some(m) = pattern.find(&added.text) {
                out.push(Finding {
                    kind: FindingKind::Secret,
                    path: file.path.clone(),
                    line: added.line,
                    matched: redact(m.as_str()),
                    environment: self.target.clone(),
                    rule: (*name).to_string(),
                    blocks: false,
                    change: None,
                });
            }
        }
    }
}

/// How a blocking finding may be lifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardOverride<'a> {
    /// Nobody asked to.
    None,
    /// A person gave this reason (audited).
    Reason(&'a str),
    /// An approving sign-off by this person, who holds the project's override role.
    SignedOffBy(&'a str),
}

/// The gate verdicts of a report: one per finding, blocking ones first. A block is
/// overridden by a reason — unless the project names an override role (`role`), when only
/// a sign-off by someone holding it lifts it.
pub fn verdicts(
    report: &GuardReport,
    role: Option<&str>,
    lifted: &GuardOverride<'_>,
) -> Vec<GateVerdict> {
    let lift = match (role, lifted) {
        (_, GuardOverride::SignedOffBy(who)) => Some(format!("signed off by {who}")),
        (None, GuardOverride::Reason(reason)) if !reason.trim().is_empty() => {
            Some(format!("overridden: {}", reason.trim()))
        }
        _ => None,
    };
    let how = match role {
        Some(role) => format!("a sign-off by a {role} lifts it"),
        None => "override with a reason to ship it anyway".to_string(),
    };
    let mut out: Vec<GateVerdict> = report
        .findings
        .iter()
        .map(|f| {
            let kind = if f.kind == FindingKind::Secret {
                GateKind::Secret
            } else {
                GateKind::Config
            };
            let (outcome, tail) = match (f.blocks, &lift) {
                (false, _) => (Outcome::Warn, String::new()),
                (true, Some(lift)) => (Outcome::Overridden, format!(" — {lift}")),
                (true, None) => (Outcome::Block, format!(" — {how}")),
            };
            GateVerdict {
                kind,
                outcome,
                sentence: format!("{}{tail}", f.sentence()),
                sha: f.change.clone(),
            }
        })
        .collect();
    out.sort_by_key(|v| v.outcome != Outcome::Block);
    out
}
