//! The report as the page, `--json` and `--csv` see it: figures with their words, bands and
//! trends, the stages, the weeks, and the deployments and changes behind each figure.

use std::collections::HashMap;

use slipway_core::dora::{DoraReport, FailureRule, Spread, Unplanned};
use slipway_core::{format_age, Project};

use super::dto::*;
use crate::error::{ApiError, ErrorCode};
use crate::time::{rfc3339, short};

fn rule_words(rule: FailureRule, window_hours: i64) -> String {
    match rule {
        FailureRule::RecordedFailed => "its Slipway run moved the ref and then failed".into(),
        FailureRule::RolledBack => "it was rolled back".into(),
        FailureRule::HotfixFollowed => {
            format!("a hotfix followed within {window_hours} h")
        }
        FailureRule::Reverted => {
            format!("a revert of a change it shipped followed within {window_hours} h")
        }
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(
        || "no deployments".into(),
        |r| format!("{:.0} %", r * 100.0),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn spread_words(s: Option<Spread>) -> String {
    s.map_or_else(String::new, |s| format!("p85 {}", format_age(s.p85)))
}

pub(super) fn to_dto(
    r: &DoraReport,
    project: &Project,
    projects: &[Project],
    failure_hours: i64,
) -> DoraDto {
    let count = r.deployments.len();
    let env = &r.environment;
    let week_rate = |f: fn(&slipway_core::dora::Week) -> usize| -> Vec<Option<f64>> {
        r.weeks
            .iter()
            .map(|w| (w.deployments > 0).then(|| f(w) as f64 / w.deployments as f64))
            .collect()
    };
    let median_trend = |f: fn(&slipway_core::dora::Week) -> Option<Spread>| -> Vec<Option<f64>> {
        r.weeks
            .iter()
            .map(|w| f(w).map(|s| s.median as f64))
            .collect()
    };
    let deployments_basis = plural(count, "deployment", "deployments");
    let figures = vec![
        DoraFigureDto {
            metric: DoraMetricDto::DeploymentFrequency,
            name: "Deployment frequency".into(),
            value: r.per_week,
            shown: r.per_week.map_or_else(
                || "no deployments".into(),
                |w| format!("{} a week", trim_float(w)),
            ),
            detail: format!("{deployments_basis} in {} days", (r.to - r.from).num_days().max(1)),
            count: count as i64,
            basis: format!("from {deployments_basis}"),
            band: r.frequency_band.map(Into::into),
            band_label: r.frequency_band.map(|b| b.label().to_string()),
            band_rank: r.frequency_band.map(|b| b as u8),
            definition: format!(
                "Successful moves of {env}'s tracking ref — Slipway's promotions, rollbacks, redeploys and hotfixes, and moves read from the reflog, tags or recorded deployments — per week."
            ),
            trend: r.weeks.iter().map(|w| Some(w.deployments as f64)).collect(),
        },
        DoraFigureDto {
            metric: DoraMetricDto::LeadTime,
            name: "Change lead time".into(),
            value: r.lead.map(|s| s.median as f64),
            shown: r.lead.map_or_else(|| "no changes deployed".into(), |s| format_age(s.median)),
            detail: match (r.lead, r.lead_from_merge) {
                (Some(l), Some(m)) => format!(
                    "p85 {} · from merge: median {}, p85 {}",
                    format_age(l.p85),
                    format_age(m.median),
                    format_age(m.p85)
                ),
                _ => String::new(),
            },
            count: r.changes.len() as i64,
            basis: format!("from {}", plural(r.changes.len(), "change", "changes")),
            band: r.lead_band.map(Into::into),
            band_label: r.lead_band.map(|b| b.label().to_string()),
            band_rank: r.lead_band.map(|b| b as u8),
            definition: format!(
                "Median time from a change's first commit (the earliest author time it brought; a squash merge's own) to its first deployment to {env}; beside it, from its merge."
            ),
            trend: median_trend(|w| w.lead),
        },
        DoraFigureDto {
            metric: DoraMetricDto::ChangeFailRate,
            name: "Change fail rate".into(),
            value: r.change_fail.rate,
            shown: percent(r.change_fail.rate),
            detail: format!("{} of {count}", plural(r.change_fail.count, "failed deployment", "failed deployments")),
            count: count as i64,
            basis: format!("from {deployments_basis}"),
            band: r.change_fail.band.map(Into::into),
            band_label: r.change_fail.band.map(|b| b.label().to_string()),
            band_rank: r.change_fail.band.map(|b| b as u8),
            definition: format!(
                "Deployments that needed immediate intervention: recorded failed, rolled back, or followed within {failure_hours} h by a hotfix or by a revert of something they shipped."
            ),
            trend: week_rate(|w| w.failed),
        },
        DoraFigureDto {
            metric: DoraMetricDto::RecoveryTime,
            name: "Failed deployment recovery time".into(),
            value: r.recovery.map(|s| s.median as f64),
            shown: r.recovery.map_or_else(
                || {
                    if r.unrecovered > 0 {
                        "not recovered yet".into()
                    } else {
                        "no failed deployments".into()
                    }
                },
                |s| format_age(s.median),
            ),
            detail: {
                let mut parts = vec![spread_words(r.recovery)];
                if r.unrecovered > 0 {
                    parts.push(format!("{} not recovered", r.unrecovered));
                }
                parts.retain(|p| !p.is_empty());
                parts.join(" · ")
            },
            count: r.recovered as i64,
            basis: format!("from {}", plural(r.recovered, "recovered failure", "recovered failures")),
            band: r.recovery_band.map(Into::into),
            band_label: r.recovery_band.map(|b| b.label().to_string()),
            band_rank: r.recovery_band.map(|b| b as u8),
            definition: "Median time from a failed deployment to the deployment that restored service: the rollback, the hotfix, the revert shipped, or the next run that did not fail.".into(),
            trend: median_trend(|w| w.recovery),
        },
        DoraFigureDto {
            metric: DoraMetricDto::ReworkRate,
            name: "Deployment rework rate".into(),
            value: r.rework.rate,
            shown: percent(r.rework.rate),
            detail: format!("{} of {count}", plural(r.rework.count, "unplanned deployment", "unplanned deployments")),
            count: count as i64,
            basis: format!("from {deployments_basis}"),
            band: r.rework.band.map(Into::into),
            band_label: r.rework.band.map(|b| b.label().to_string()),
            band_rank: r.rework.band.map(|b| b as u8),
            definition: "Unplanned deployments — rollbacks, hotfix-lane runs, and deployments that shipped a change linked to an emergency change request — over all deployments.".into(),
            trend: week_rate(|w| w.unplanned),
        },
    ];
    let mut by_source: HashMap<DeploymentSourceDto, usize> = HashMap::new();
    for d in &r.deployments {
        *by_source.entry(d.deployment.source.into()).or_default() += 1;
    }
    DoraDto {
        project: project.name.clone(),
        environment: env.clone(),
        projects: projects.iter().map(|p| p.name.clone()).collect(),
        environments: project
            .pipeline
            .environments
            .iter()
            .map(|e| e.name.clone())
            .collect(),
        from: rfc3339(r.from),
        to: rfc3339(r.to),
        days: (r.to - r.from).num_days(),
        failure_window_hours: failure_hours,
        figures,
        empty: (count == 0).then(|| {
            format!(
                "No deployments to {env} of {} between {} and {}.",
                project.name,
                r.from.format("%Y-%m-%d %H:%M"),
                r.to.format("%Y-%m-%d %H:%M")
            )
        }),
        sources: sources_sentence(&by_source),
        stages: r
            .stages
            .iter()
            .zip(&r.stage_waits)
            .map(|((up, to), s)| DoraStageDto {
                label: format!("{} → {to}", up.as_deref().unwrap_or("merged")),
                environment: to.clone(),
                median_seconds: s.map(|s| s.median),
                p85_seconds: s.map(|s| s.p85),
            })
            .collect(),
        weeks: r
            .weeks
            .iter()
            .map(|w| DoraWeekDto {
                start: rfc3339(w.start),
                deployments: w.deployments as i64,
                failed: w.failed as i64,
                unplanned: w.unplanned as i64,
                changes: w.changes as i64,
                stage_medians: w.stages.iter().map(|s| s.map(|s| s.median)).collect(),
                stage_p85s: w.stages.iter().map(|s| s.map(|s| s.p85)).collect(),
            })
            .collect(),
        deployments: r
            .deployments
            .iter()
            .map(|d| DoraDeploymentDto {
                at: rfc3339(d.deployment.at),
                kind: d.deployment.kind.into(),
                source: d.deployment.source.into(),
                short_sha: short(&d.deployment.sha).to_string(),
                sha: d.deployment.sha.clone(),
                run: d.deployment.run,
                changes: d.brought.clone(),
                failure: d.failure.as_ref().map(|f| DoraFailureDto {
                    rule: f.rule.into(),
                    why: rule_words(f.rule, failure_hours),
                    restored_at: f.restored.as_ref().map(|x| rfc3339(x.at)),
                    restored_sha: f.restored.as_ref().map(|x| x.sha.clone()),
                    restored_kind: f.restored.as_ref().map(|x| x.kind.into()),
                    recovery_seconds: f.restored.as_ref().map(|x| x.after_seconds),
                }),
                unplanned: d.unplanned.map(|u| match u {
                    Unplanned::Rollback => UnplannedDto::Rollback,
                    Unplanned::Hotfix => UnplannedDto::Hotfix,
                    Unplanned::Emergency(_) => UnplannedDto::Emergency,
                }),
                request: match d.unplanned {
                    Some(Unplanned::Emergency(id)) => Some(id),
                    _ => None,
                },
            })
            .collect(),
        changes: r
            .changes
            .iter()
            .map(|c| DoraChangeDto {
                short_sha: short(&c.change.sha).to_string(),
                sha: c.change.sha.clone(),
                title: c.change.title.clone(),
                off_trunk: c.off_trunk,
                first_commit_at: rfc3339(c.change.first_commit_at),
                merged_at: rfc3339(c.change.merged_at),
                deployed_at: rfc3339(c.deployed_at),
                lead_seconds: c.lead_seconds,
                from_merge_seconds: c.from_merge_seconds,
                stage_waits: c.stage_waits.clone(),
            })
            .collect(),
    }
}

fn sources_sentence(by_source: &HashMap<DeploymentSourceDto, usize>) -> String {
    let order = [
        (DeploymentSourceDto::Slipway, "Slipway's runs"),
        (DeploymentSourceDto::Reflog, "the branch's reflog"),
        (DeploymentSourceDto::Tag, "tag dates"),
        (DeploymentSourceDto::Record, "recorded deployments"),
    ];
    let parts: Vec<String> = order
        .iter()
        .filter_map(|(s, words)| by_source.get(s).map(|n| format!("{n} from {words}")))
        .collect();
    if parts.is_empty() {
        "No deployments in the window.".into()
    } else {
        format!("Deployments: {}.", parts.join(", "))
    }
}

/// 4.5 → "4.5", 4.0 → "4", 0.25 → "0.25".
fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The metrics as CSV: a row for the whole window, then one per week, with the same columns
/// (durations in seconds, rates between 0 and 1, empty where there is nothing to compute).
pub fn dora_csv(dto: &DoraDto) -> Result<String, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed =
        |e: csv::Error| ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}."));
    let mut header = vec![
        "period".to_string(),
        "start".into(),
        "deployments".into(),
        "per_week".into(),
        "lead_median_s".into(),
        "change_fail_rate".into(),
        "recovery_median_s".into(),
        "rework_rate".into(),
        "failed".into(),
        "unplanned".into(),
        "changes".into(),
    ];
    header.extend(
        dto.stages
            .iter()
            .map(|s| format!("wait {} median_s", s.label)),
    );
    writer.write_record(&header).map_err(failed)?;
    let cell = |v: Option<f64>| v.map_or_else(String::new, trim_float_precise);
    let whole = |m: DoraMetricDto| {
        dto.figures
            .iter()
            .find(|f| f.metric == m)
            .and_then(|f| f.value)
    };
    let mut row = vec![
        "window".to_string(),
        dto.from.clone(),
        dto.deployments.len().to_string(),
        cell(whole(DoraMetricDto::DeploymentFrequency)),
        cell(whole(DoraMetricDto::LeadTime)),
        cell(whole(DoraMetricDto::ChangeFailRate)),
        cell(whole(DoraMetricDto::RecoveryTime)),
        cell(whole(DoraMetricDto::ReworkRate)),
        dto.deployments
            .iter()
            .filter(|d| d.failure.is_some())
            .count()
            .to_string(),
        dto.deployments
            .iter()
            .filter(|d| d.unplanned.is_some())
            .count()
            .to_string(),
        dto.changes.len().to_string(),
    ];
    row.extend(
        dto.stages
            .iter()
            .map(|s| s.median_seconds.map_or_else(String::new, |v| v.to_string())),
    );
    writer.write_record(&row).map_err(failed)?;
    let trend = |m: DoraMetricDto, i: usize| {
        dto.figures
            .iter()
            .find(|f| f.metric == m)
            .and_then(|f| f.trend.get(i).copied().flatten())
    };
    for (i, w) in dto.weeks.iter().enumerate() {
        let mut row = vec![
            "week".to_string(),
            w.start.clone(),
            w.deployments.to_string(),
            String::new(),
            cell(trend(DoraMetricDto::LeadTime, i)),
            cell(trend(DoraMetricDto::ChangeFailRate, i)),
            cell(trend(DoraMetricDto::RecoveryTime, i)),
            cell(trend(DoraMetricDto::ReworkRate, i)),
            w.failed.to_string(),
            w.unplanned.to_string(),
            w.changes.to_string(),
        ];
        row.extend(
            w.stage_medians
                .iter()
                .map(|v| v.map_or_else(String::new, |v| v.to_string())),
        );
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| failed(e.into_error().into()))?;
    String::from_utf8(bytes)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}.")))
}

/// A value for CSV: whole numbers without a fraction, others to four places.
fn trim_float_precise(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
