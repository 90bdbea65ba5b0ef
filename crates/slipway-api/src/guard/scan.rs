//! The guard's look at one promotion: markers learned from the files that would ship, the
//! added lines read, and each finding's introducing change found.

use slipway_core::guard::{learn_markers, Guard, GuardReport, GuardSettings};
use slipway_core::{Change, EnvironmentGates, GateVerdict, Outcome, Project, SignoffVerdict};
use slipway_git::Repo;

use crate::error::{invalid, ApiError};

/// Reads what promoting `project`'s `environment` from `from` to the last of `shipping`
/// would ship, and what the guard finds in it, with markers learned from the files at
/// `reference`. Runs on a blocking thread (git).
pub(crate) fn scan_promotion(
    repo: &Repo,
    project: &Project,
    settings: &GuardSettings,
    environment: &str,
    from: &str,
    reference: &str,
    shipping: &[Change],
) -> Result<GuardReport, ApiError> {
    let in_project = |e: slipway_git::GitError| ApiError::from(e).in_project(&project.name);
    let Some(to) = shipping.last() else {
        return Ok(GuardReport {
            environment: environment.to_string(),
            ..GuardReport::default()
        });
    };
    let pipeline: Vec<String> = project
        .pipeline
        .environments
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let bad_settings = |e: slipway_core::guard::GuardError| {
        invalid(format!(
            "The config guard's settings of project {:?} are not usable: {e}; fix them with slipway guard.",
            project.name
        ))
    };
    let owners = slipway_core::guard::FileOwners::new(
        &slipway_core::guard::known_environments(settings, &pipeline),
        &settings.globs(),
    )
    .map_err(bad_settings)?;
    // Markers are learned at `reference` (what the last environment runs): a leak travelling
    // down the pipeline must not teach the guard that the leaked value is shared.
    let learned = learn_markers(
        &repo
            .environment_files(reference, &owners)
            .map_err(in_project)?,
    );
    let guard = Guard::new(settings, &pipeline, environment, learned).map_err(bad_settings)?;
    let files = repo.shipped_lines(from, &to.sha).map_err(in_project)?;
    let mut report = guard.scan(&files);
    if !report.findings.is_empty() {
        let lines: Vec<(String, String)> = report
            .findings
            .iter()
            .map(|f| {
                let text = files
                    .iter()
                    .find(|file| file.path == f.path)
                    .and_then(|file| file.added.iter().find(|l| l.line == f.line))
                    .map(|l| l.text.clone())
                    .unwrap_or_default();
                (f.path.clone(), text)
            })
            .collect();
        let shas: Vec<String> = shipping.iter().map(|c| c.sha.clone()).collect();
        let found = repo.introducers(&lines, &shas).map_err(in_project)?;
        for (finding, change) in report.findings.iter_mut().zip(found) {
            finding.change = change;
        }
    }
    Ok(report)
}

/// The guard's verdicts on a promotion to the last of `shipping`: a block is lifted by a
/// reason, or — when the project names an override role — only by an approving sign-off of
/// the target change by someone who holds it.
pub(crate) fn guard_verdicts(
    report: &GuardReport,
    settings: &GuardSettings,
    gates: &EnvironmentGates,
    target: Option<&str>,
    reason: Option<&str>,
) -> Vec<GateVerdict> {
    use slipway_core::guard::GuardOverride;
    let signer = settings.override_role.as_deref().and_then(|role| {
        let target = target?;
        let mut newest: Vec<&slipway_core::Signoff> = Vec::new();
        for s in gates.signoffs.iter().filter(|s| s.sha == target) {
            match newest.iter_mut().find(|n| n.by.eq_ignore_ascii_case(&s.by)) {
                Some(n) if n.at <= s.at => *n = s,
                Some(_) => {}
                None => newest.push(s),
            }
        }
        newest
            .into_iter()
            .find(|s| {
                s.verdict == SignoffVerdict::Approve
                    && gates
                        .roles_of(&s.by)
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(role))
            })
            .map(|s| s.by.clone())
    });
    let lifted = match (&signer, reason) {
        (Some(who), _) => GuardOverride::SignedOffBy(who),
        (None, Some(reason)) => GuardOverride::Reason(reason),
        (None, None) => GuardOverride::None,
    };
    slipway_core::guard::verdicts(report, settings.override_role.as_deref(), &lifted)
}

/// The audit words of a guard override that was used, if one was: how it was lifted and
/// where the findings are ("overridden: … (config/production.toml:3)").
pub(crate) fn used_guard_override(
    verdicts: &[GateVerdict],
    report: &GuardReport,
) -> Option<String> {
    let first = verdicts
        .iter()
        .find(|v| v.outcome == Outcome::Overridden && v.kind == slipway_core::GateKind::Config)?;
    let how = first.sentence.rsplit(" — ").next().unwrap_or_default();
    let mut at: Vec<String> = Vec::new();
    for f in report.findings.iter().filter(|f| f.blocks) {
        let place = format!("{}:{}", f.path, f.line);
        if !at.contains(&place) {
            at.push(place);
        }
    }
    Some(format!("{how} ({})", at.join(", ")))
}
