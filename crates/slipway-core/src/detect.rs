//! Proposing a pipeline from what a clone holds: which branch is trunk, which branches and
//! tags track environments, and in which order. The git adapter lists the refs and measures
//! where each stands on trunk's first-parent line; these rules decide what they mean.

use crate::age::format_age;
use crate::pipeline::{check_environment_name, TrackingRef};

/// Environment names Slipway recognises on their own (`qa`, `release/qa`, tags `qa/*`), in
/// the order they usually come in a pipeline.
pub const WELL_KNOWN_ENVIRONMENTS: [&str; 11] = [
    "dev",
    "test",
    "qa",
    "uat",
    "staging",
    "stage",
    "preprod",
    "canary",
    "production",
    "prod",
    "live",
];

/// Trunk names tried, in order, when the remote's HEAD does not say.
pub const CONVENTIONAL_TRUNKS: [&str; 3] = ["main", "master", "trunk"];

/// How a ref came to be read as an environment. The order is the preference when one
/// environment is found several ways (a branch moved by promotion beats tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefFamily {
    /// A branch `deploy/<env>`.
    DeployBranch,
    /// A branch `env/<env>`.
    EnvBranch,
    /// A branch `environment/<env>`.
    EnvironmentBranch,
    /// A branch `release/<env>` (a well-known name only: `release/1.2` is a version).
    ReleaseBranch,
    /// A branch named like a well-known environment (`staging`).
    NamedBranch,
    /// Tags `<env>/*` (`production/2026-11-03`).
    SlashTags,
    /// Tags `<env>-*` (`prod-42`).
    DashTags,
    /// Tags `v*-<env>` (`v1.4.0-production`).
    VersionTags,
}

impl RefFamily {
    /// Every family, in order of preference.
    pub const ALL: [RefFamily; 8] = [
        RefFamily::DeployBranch,
        RefFamily::EnvBranch,
        RefFamily::EnvironmentBranch,
        RefFamily::ReleaseBranch,
        RefFamily::NamedBranch,
        RefFamily::SlashTags,
        RefFamily::DashTags,
        RefFamily::VersionTags,
    ];

    /// The family as a pattern (`deploy/*`, `<env>/*` tags), for messages.
    pub fn pattern(self) -> &'static str {
        match self {
            RefFamily::DeployBranch => "branches deploy/<env>",
            RefFamily::EnvBranch => "branches env/<env>",
            RefFamily::EnvironmentBranch => "branches environment/<env>",
            RefFamily::ReleaseBranch => "branches release/<env>",
            RefFamily::NamedBranch => "branches named <env>",
            RefFamily::SlashTags => "tags <env>/*",
            RefFamily::DashTags => "tags <env>-*",
            RefFamily::VersionTags => "tags v*-<env>",
        }
    }

    /// Whether any name counts (`deploy/eu-west`), or only a well-known one.
    fn any_name(self) -> bool {
        matches!(
            self,
            RefFamily::DeployBranch | RefFamily::EnvBranch | RefFamily::EnvironmentBranch
        )
    }

    fn is_tags(self) -> bool {
        matches!(
            self,
            RefFamily::SlashTags | RefFamily::DashTags | RefFamily::VersionTags
        )
    }

    /// The environment a branch name (without any remote prefix) stands for in this family.
    fn branch_environment(self, name: &str) -> Option<&str> {
        let env = match self {
            RefFamily::DeployBranch => name.strip_prefix("deploy/")?,
            RefFamily::EnvBranch => name.strip_prefix("env/")?,
            RefFamily::EnvironmentBranch => name.strip_prefix("environment/")?,
            RefFamily::ReleaseBranch => name.strip_prefix("release/")?,
            RefFamily::NamedBranch => name,
            _ => return None,
        };
        (self.any_name() && !env.contains('/') || is_well_known(env)).then_some(env)
    }

    /// The tag pattern this family uses for `env`.
    fn tag_pattern(self, env: &str) -> Option<String> {
        match self {
            RefFamily::SlashTags => Some(format!("{env}/*")),
            RefFamily::DashTags => Some(format!("{env}-*")),
            RefFamily::VersionTags => Some(format!("v*-{env}")),
            _ => None,
        }
    }

    /// Whether `tag` is one of this family's tags for `env`.
    fn tag_matches(self, env: &str, tag: &str) -> bool {
        match self {
            RefFamily::SlashTags => tag
                .strip_prefix(env)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| !r.is_empty()),
            RefFamily::DashTags => tag
                .strip_prefix(env)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|r| !r.is_empty()),
            RefFamily::VersionTags => tag
                .strip_suffix(env)
                .and_then(|r| r.strip_suffix('-'))
                .and_then(|r| r.strip_prefix('v'))
                .is_some_and(|r| !r.is_empty()),
            _ => false,
        }
    }
}

fn is_well_known(name: &str) -> bool {
    WELL_KNOWN_ENVIRONMENTS.contains(&name)
}

/// A branch the clone has: local (`remote` is `None`) or remote-tracking (`name` without the
/// remote's prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchName {
    /// The branch's name on its side (`deploy/qa`).
    pub name: String,
    /// The remote of a remote-tracking branch (`origin`).
    pub remote: Option<String>,
}

impl BranchName {
    /// A local branch.
    pub fn local(name: &str) -> BranchName {
        BranchName {
            name: name.to_string(),
            remote: None,
        }
    }

    /// A remote-tracking branch.
    pub fn remote(remote: &str, name: &str) -> BranchName {
        BranchName {
            name: name.to_string(),
            remote: Some(remote.to_string()),
        }
    }

    /// The name git resolves (`deploy/qa`, `origin/deploy/qa`).
    pub fn short(&self) -> String {
        match &self.remote {
            Some(r) => format!("{r}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The names the branches go by in a pipeline: the local branch where there is one, else the
/// remote-tracking one (of `remote`, the project's fetch remote).
fn usable_branches<'a>(branches: &'a [BranchName], remote: &str) -> Vec<&'a BranchName> {
    let mut usable: Vec<&BranchName> = branches.iter().filter(|b| b.remote.is_none()).collect();
    for b in branches {
        if b.remote.as_deref() == Some(remote)
            && b.name != "HEAD"
            && !usable.iter().any(|u| u.name == b.name)
        {
            usable.push(b);
        }
    }
    usable
}

/// Why a branch was taken as trunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrunkSource {
    /// The remote's HEAD points at it.
    RemoteHead,
    /// No remote HEAD: the first of main, master, trunk the clone has.
    Conventional,
}

/// The proposed trunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkChoice {
    /// The name to track (`main`, or `origin/main` when there is no local branch).
    pub branch: String,
    /// Why.
    pub source: TrunkSource,
}

impl TrunkChoice {
    /// "origin/HEAD points at main" or "no origin/HEAD; main is the first of main, master, trunk".
    pub fn evidence(&self, remote: &str) -> String {
        match self.source {
            TrunkSource::RemoteHead => format!("{remote}/HEAD points at {}", self.branch),
            TrunkSource::Conventional => format!(
                "{remote}/HEAD is not set; {} is the first of {} the clone has",
                self.branch,
                CONVENTIONAL_TRUNKS.join(", ")
            ),
        }
    }
}

/// Trunk: the branch `remote_head` names (what `origin/HEAD` points at, without the prefix),
/// else the first of main, master, trunk; local branches are preferred to remote-tracking.
pub fn choose_trunk(
    branches: &[BranchName],
    remote: &str,
    remote_head: Option<&str>,
) -> Option<TrunkChoice> {
    let usable = usable_branches(branches, remote);
    let find = |name: &str| usable.iter().find(|b| b.name == name).map(|b| b.short());
    if let Some(branch) = remote_head.and_then(find) {
        return Some(TrunkChoice {
            branch,
            source: TrunkSource::RemoteHead,
        });
    }
    CONVENTIONAL_TRUNKS
        .iter()
        .find_map(|n| find(n))
        .map(|branch| TrunkChoice {
            branch,
            source: TrunkSource::Conventional,
        })
}

/// A ref that looks like an environment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The environment's name.
    pub environment: String,
    /// How to track it.
    pub tracking: TrackingRef,
    /// Which family it was found by.
    pub family: RefFamily,
    /// For tags: how many the pattern matches.
    pub tags: usize,
    /// The same environment found by other families too, described ("tags production/*").
    pub also: Vec<String>,
}

/// Every environment the clone's branches and tags suggest, one candidate per environment
/// (the most specific family wins; the others are listed in `also`). `trunk` is never one.
pub fn environment_candidates(
    branches: &[BranchName],
    tags: &[String],
    remote: &str,
    trunk: &str,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let usable = usable_branches(branches, remote);
    for family in RefFamily::ALL {
        if family.is_tags() {
            let mut envs: Vec<(&str, usize)> = Vec::new();
            for env in WELL_KNOWN_ENVIRONMENTS {
                let count = tags.iter().filter(|t| family.tag_matches(env, t)).count();
                if count > 0 {
                    envs.push((env, count));
                }
            }
            for (env, count) in envs {
                if let Some(pattern) = family.tag_pattern(env) {
                    add(&mut found, env, TrackingRef::Tags(pattern), family, count);
                }
            }
        } else {
            for b in &usable {
                let short = b.short();
                if short == trunk || b.name == trunk {
                    continue;
                }
                if let Some(env) = family.branch_environment(&b.name) {
                    add(&mut found, env, TrackingRef::Branch(short), family, 0);
                }
            }
        }
    }
    found
}

fn add(
    found: &mut Vec<Candidate>,
    env: &str,
    tracking: TrackingRef,
    family: RefFamily,
    tags: usize,
) {
    let env = env.to_ascii_lowercase();
    if check_environment_name(&env).is_err() {
        return;
    }
    let described = describe(&tracking, family, tags);
    match found.iter_mut().find(|c| c.environment == env) {
        Some(existing) => existing.also.push(described),
        None => found.push(Candidate {
            environment: env,
            tracking,
            family,
            tags,
            also: Vec::new(),
        }),
    }
}

fn describe(tracking: &TrackingRef, family: RefFamily, tags: usize) -> String {
    match tracking {
        TrackingRef::Tags(p) => format!("{tags} tag{} {p}", if tags == 1 { "" } else { "s" }),
        TrackingRef::Branch(b) => format!("branch {b}"),
        TrackingRef::Database => family.pattern().to_string(),
    }
}

/// Where a candidate's commit stands against trunk, as the git adapter measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// Trunk's first-parent commits it does not contain (its queue, were trunk upstream).
    pub behind: usize,
    /// Seconds from the newest trunk commit it contains to trunk's tip (0 when level).
    pub behind_seconds: i64,
    /// First-parent commits it has that trunk does not (a hotfix, a detached branch).
    pub ahead: usize,
}

/// An environment of the proposal, with why it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedEnvironment {
    /// The candidate.
    pub candidate: Candidate,
    /// Where it stands.
    pub standing: Standing,
    /// "branch deploy/qa, 3 changes behind trunk (3 h)".
    pub evidence: String,
}

/// Orders the candidates as a pipeline: nearest trunk first, the one furthest behind last;
/// ties go by the usual order of well-known names (qa before staging before production).
pub fn order_pipeline(measured: Vec<(Candidate, Standing)>) -> Vec<ProposedEnvironment> {
    let mut out: Vec<ProposedEnvironment> = measured
        .into_iter()
        .map(|(candidate, standing)| ProposedEnvironment {
            evidence: evidence(&candidate, standing),
            candidate,
            standing,
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.standing.behind,
            rank(&a.candidate.environment),
            &a.candidate.environment,
        )
            .cmp(&(
                b.standing.behind,
                rank(&b.candidate.environment),
                &b.candidate.environment,
            ))
    });
    out
}

/// Where a name usually comes in a pipeline; an unknown name sits with staging.
fn rank(env: &str) -> usize {
    WELL_KNOWN_ENVIRONMENTS
        .iter()
        .position(|w| *w == env)
        .unwrap_or(4)
}

fn evidence(c: &Candidate, s: Standing) -> String {
    let source = match &c.tracking {
        TrackingRef::Tags(p) => format!(
            "newest of {} tag{} {p}",
            c.tags,
            if c.tags == 1 { "" } else { "s" }
        ),
        other => describe(other, c.family, c.tags),
    };
    let place = match s.behind {
        0 => "level with trunk".to_string(),
        n => format!(
            "{n} change{} behind trunk ({})",
            if n == 1 { "" } else { "s" },
            format_age(s.behind_seconds)
        ),
    };
    let mut text = format!("{source}, {place}");
    if s.ahead > 0 {
        text.push_str(&format!(
            "; {} commit{} not on trunk",
            s.ahead,
            if s.ahead == 1 { "" } else { "s" }
        ));
    }
    if !c.also.is_empty() {
        text.push_str(&format!(" (also {})", c.also.join(", ")));
    }
    text
}

/// What Slipway looks for, for the message when it finds nothing (the front end adds how to
/// declare environments there).
pub fn looked_for() -> String {
    format!(
        "Slipway looks for branches deploy/<env>, env/<env>, environment/<env>, release/<env> or a branch named <env>, and tags <env>/*, <env>-* or v*-<env>, where <env> is one of {} (any name after deploy/, env/ or environment/).",
        WELL_KNOWN_ENVIRONMENTS.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(names: &[&str]) -> Vec<BranchName> {
        names.iter().map(|n| BranchName::local(n)).collect()
    }

    #[test]
    fn trunk_comes_from_the_remote_head_then_the_conventional_names() {
        type Case<'a> = (
            &'a [&'a str],
            &'a [&'a str],
            Option<&'a str>,
            Option<(&'a str, TrunkSource)>,
        );
        let cases: &[Case] = &[
            (
                &["main", "develop"],
                &[],
                Some("develop"),
                Some(("develop", TrunkSource::RemoteHead)),
            ),
            (
                &["main"],
                &[],
                None,
                Some(("main", TrunkSource::Conventional)),
            ),
            (
                &["trunk", "master"],
                &[],
                None,
                Some(("master", TrunkSource::Conventional)),
            ),
            (
                &[],
                &["main"],
                Some("main"),
                Some(("origin/main", TrunkSource::RemoteHead)),
            ),
            (
                &["main"],
                &["main"],
                Some("main"),
                Some(("main", TrunkSource::RemoteHead)),
            ),
            // A remote HEAD naming a branch the clone lacks falls back to the names.
            (
                &["master"],
                &[],
                Some("gone"),
                Some(("master", TrunkSource::Conventional)),
            ),
            (&["feature"], &[], None, None),
            (&[], &[], None, None),
        ];
        for (locals, remotes, head, want) in cases {
            let mut branches = local(locals);
            branches.extend(remotes.iter().map(|n| BranchName::remote("origin", n)));
            let got = choose_trunk(&branches, "origin", *head);
            let want = want.as_ref().map(|(b, s)| TrunkChoice {
                branch: b.to_string(),
                source: s.clone(),
            });
            assert_eq!(got, want, "{locals:?} {remotes:?} {head:?}");
        }
    }

    fn found(branches: &[BranchName], tags: &[&str]) -> Vec<(String, String, RefFamily)> {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        environment_candidates(branches, &tags, "origin", "main")
            .into_iter()
            .map(|c| {
                let spec = match &c.tracking {
                    TrackingRef::Branch(b) => format!("branch:{b}"),
                    TrackingRef::Tags(p) => format!("tag:{p}"),
                    TrackingRef::Database => "db".into(),
                };
                (c.environment, spec, c.family)
            })
            .collect()
    }

    #[test]
    fn each_family_is_recognised_and_only_it() {
        use RefFamily::*;
        type Case<'a> = (
            &'a [&'a str],
            &'a [&'a str],
            &'a [(&'a str, &'a str, RefFamily)],
        );
        let cases: &[Case] = &[
            (
                &["main", "deploy/qa", "deploy/eu-west"],
                &[],
                &[
                    ("qa", "branch:deploy/qa", DeployBranch),
                    ("eu-west", "branch:deploy/eu-west", DeployBranch),
                ],
            ),
            (&["env/dev"], &[], &[("dev", "branch:env/dev", EnvBranch)]),
            (
                &["environment/uat"],
                &[],
                &[("uat", "branch:environment/uat", EnvironmentBranch)],
            ),
            (
                &["release/staging", "release/1.2"],
                &[],
                &[("staging", "branch:release/staging", ReleaseBranch)],
            ),
            (
                &["staging", "feature/x", "hotfix"],
                &[],
                &[("staging", "branch:staging", NamedBranch)],
            ),
            (
                &[],
                &["production/2026-11-01", "production/2026-11-20"],
                &[("production", "tag:production/*", SlashTags)],
            ),
            (
                &[],
                &["prod-41", "prod-42", "production-1"],
                &[
                    ("production", "tag:production-*", DashTags),
                    ("prod", "tag:prod-*", DashTags),
                ],
            ),
            (
                &[],
                &["v1.4.0-production", "v1.2.0"],
                &[("production", "tag:v*-production", VersionTags)],
            ),
            // Version tags and unrelated names are not environments.
            (
                &["feature/deploy", "deploy/a/b"],
                &["v1.0", "release-2"],
                &[],
            ),
            // One environment found twice: the branch wins.
            (
                &["deploy/production"],
                &["production/1"],
                &[("production", "branch:deploy/production", DeployBranch)],
            ),
            // Names that are not valid environment names are left out.
            (&["deploy/Has Space"], &[], &[]),
        ];
        for (branches, tags, want) in cases {
            let want: Vec<(String, String, RefFamily)> = want
                .iter()
                .map(|(e, s, f)| (e.to_string(), s.to_string(), *f))
                .collect();
            assert_eq!(found(&local(branches), tags), want, "{branches:?} {tags:?}");
        }
    }

    #[test]
    fn remote_tracking_branches_count_when_there_is_no_local_one() {
        let branches = vec![
            BranchName::remote("origin", "HEAD"),
            BranchName::remote("origin", "main"),
            BranchName::remote("origin", "deploy/qa"),
            BranchName::remote("upstream", "deploy/staging"),
            BranchName::local("deploy/production"),
            BranchName::remote("origin", "deploy/production"),
        ];
        assert_eq!(
            found(&branches, &[]),
            vec![
                (
                    "production".into(),
                    "branch:deploy/production".into(),
                    RefFamily::DeployBranch
                ),
                (
                    "qa".into(),
                    "branch:origin/deploy/qa".into(),
                    RefFamily::DeployBranch
                ),
            ]
        );
    }

    #[test]
    fn the_pipeline_runs_from_nearest_trunk_to_furthest_behind() {
        let c = |env: &str| Candidate {
            environment: env.into(),
            tracking: TrackingRef::Branch(format!("deploy/{env}")),
            family: RefFamily::DeployBranch,
            tags: 0,
            also: Vec::new(),
        };
        let s = |behind, ahead| Standing {
            behind,
            behind_seconds: behind as i64 * 3600,
            ahead,
        };
        let ordered = order_pipeline(vec![
            (c("production"), s(9, 0)),
            (c("staging"), s(2, 0)),
            (c("qa"), s(2, 0)),
            (c("eu-west"), s(0, 1)),
        ]);
        let names: Vec<&str> = ordered
            .iter()
            .map(|p| p.candidate.environment.as_str())
            .collect();
        assert_eq!(names, ["eu-west", "qa", "staging", "production"]);
        let evidence: Vec<&str> = ordered.iter().map(|p| p.evidence.as_str()).collect();
        assert_eq!(
            evidence,
            [
                "branch deploy/eu-west, level with trunk; 1 commit not on trunk",
                "branch deploy/qa, 2 changes behind trunk (2 h)",
                "branch deploy/staging, 2 changes behind trunk (2 h)",
                "branch deploy/production, 9 changes behind trunk (9 h)",
            ]
        );
    }

    #[test]
    fn the_message_for_nothing_found_names_every_family() {
        let text = looked_for();
        for needle in ["deploy/<env>", "release/<env>", "v*-<env>", "production"] {
            assert!(text.contains(needle), "{needle} in {text}");
        }
    }
}
