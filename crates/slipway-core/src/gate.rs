//! Gates on promotion: sign-offs, freeze windows, holds and changes marked bad. Each gate
//! gives a verdict in words; a promotion goes ahead only when no verdict blocks it.

/// How many distinct people must sign a change off before it enters an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffRule {
    /// Distinct approvers needed (at least 1).
    pub required: u32,
    /// The role each approver must hold (such as `qa`), if any.
    pub role: Option<String>,
}

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignoffVerdict {
    /// The signer approves the change for the environment.
    Approve,
    /// The signer rejects it: one rejection blocks.
    Reject,
}

impl SignoffVerdict {
    /// `approve` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignoffVerdict::Approve => "approve",
            SignoffVerdict::Reject => "reject",
        }
    }

    /// Reads `approve` or `reject`.
    pub fn parse(word: &str) -> Option<SignoffVerdict> {
        match word {
            "approve" => Some(SignoffVerdict::Approve),
            "reject" => Some(SignoffVerdict::Reject),
            _ => None,
        }
    }
}

/// One person's verdict on one change for one environment (the newest per person counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signoff {
    /// The change's full sha.
    pub sha: String,
    /// The signer's email.
    pub by: String,
    /// Their verdict.
    pub verdict: SignoffVerdict,
    /// Why, in their words.
    pub comment: String,
    /// When (Unix seconds).
    pub at: i64,
}

/// A change as the gates see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatedChange {
    /// Full sha.
    pub sha: String,
    /// Title, for sentences.
    pub title: String,
    /// Author and co-author emails: none of them may sign it off.
    pub authors: Vec<String>,
}

impl GatedChange {
    /// The gates' view of a change: its author's and co-authors' emails.
    pub fn of(change: &crate::Change) -> GatedChange {
        GatedChange {
            sha: change.sha.clone(),
            title: change.title.clone(),
            authors: std::iter::once(change.author_email.clone())
                .chain(change.co_authors.iter().map(|c| email_of(c)))
                .collect(),
        }
    }
}

/// The address in `Name <email>` (a `Co-authored-by` trailer), or the whole text.
fn email_of(person: &str) -> String {
    match (person.find('<'), person.rfind('>')) {
        (Some(a), Some(b)) if a < b => person[a + 1..b].trim().to_string(),
        _ => person.trim().to_string(),
    }
}

/// Where a change stands against the sign-off rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffState {
    /// Distinct approvers that count, in order of signing.
    pub approvers: Vec<String>,
    /// Approvers needed.
    pub required: u32,
    /// The role approvers must hold.
    pub role: Option<String>,
    /// A rejection: who and why.
    pub rejected: Option<(String, String)>,
}

impl SignoffState {
    /// Enough approvals and no rejection.
    pub fn satisfied(&self) -> bool {
        self.rejected.is_none() && self.approvers.len() as u32 >= self.required
    }

    /// "1 of 2 QA sign-offs" and the like.
    pub fn describe(&self) -> String {
        let who = match &self.role {
            Some(role) => format!("{role} sign-off"),
            None => "sign-off".to_string(),
        };
        let plural = if self.required == 1 { "" } else { "s" };
        match &self.rejected {
            Some((by, comment)) if comment.is_empty() => format!("rejected by {by}"),
            Some((by, comment)) => format!("rejected by {by}: {comment}"),
            None => format!(
                "{} of {} {who}{plural}",
                self.approvers.len(),
                self.required
            ),
        }
    }
}

pub(crate) fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn holds_role(roles: &[String], role: &str) -> bool {
    roles.iter().any(|r| r.eq_ignore_ascii_case(role))
}

/// Why a sign-off is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateError {
    /// Authors cannot sign their own change off.
    #[error("{0} wrote this change and cannot sign it off; someone else must")]
    OwnChange(String),
    /// The signer lacks the role the rule asks for.
    #[error("{who} cannot sign off for {environment}: it needs the {role} role")]
    MissingRole {
        /// The signer.
        who: String,
        /// The environment.
        environment: String,
        /// The role needed.
        role: String,
    },
    /// The environment asks for no sign-offs.
    #[error("{0} needs no sign-offs")]
    NoRule(String),
    /// A number of approvers that cannot work.
    #[error("a sign-off rule needs 1 to 20 approvers, not {0}")]
    Required(u32),
    /// A freeze window that cannot be read.
    #[error("freeze window {0:?} is not understood: write it like \"fri 16:00 - mon 08:00\"")]
    Window(String),
    /// A time zone that is not in the IANA database.
    #[error("time zone {0:?} is unknown: use an IANA name such as Europe/Berlin")]
    Zone(String),
}

impl SignoffRule {
    /// Checks the rule itself.
    pub fn check(&self) -> Result<(), GateError> {
        if self.required == 0 || self.required > 20 {
            return Err(GateError::Required(self.required));
        }
        Ok(())
    }

    /// The rule in words: "2 qa sign-offs", "1 sign-off".
    pub fn describe(&self) -> String {
        format!(
            "{} {}sign-off{}",
            self.required,
            self.role
                .as_ref()
                .map(|x| format!("{x} "))
                .unwrap_or_default(),
            if self.required == 1 { "" } else { "s" }
        )
    }

    /// Whether `signer` (holding `roles`) may sign `change` off for `environment`.
    pub fn may_sign(
        &self,
        environment: &str,
        change: &GatedChange,
        signer: &str,
        roles: &[String],
    ) -> Result<(), GateError> {
        if change.authors.iter().any(|a| same_person(a, signer)) {
            return Err(GateError::OwnChange(signer.to_string()));
        }
        if let Some(role) = &self.role {
            if !holds_role(roles, role) {
                return Err(GateError::MissingRole {
                    who: signer.to_string(),
                    environment: environment.to_string(),
                    role: role.clone(),
                });
            }
        }
        Ok(())
    }

    /// The change's state: the newest verdict of each person counts; authors and people
    /// without the role are not counted (`roles_of` gives a signer's roles).
    pub fn state(
        &self,
        change: &GatedChange,
        signoffs: &[Signoff],
        roles_of: &dyn Fn(&str) -> Vec<String>,
    ) -> SignoffState {
        let mut newest: Vec<&Signoff> = Vec::new();
        let mut mine: Vec<&Signoff> = signoffs.iter().filter(|s| s.sha == change.sha).collect();
        mine.sort_by_key(|s| s.at);
        for s in mine {
            match newest.iter_mut().find(|n| same_person(&n.by, &s.by)) {
                Some(slot) => *slot = s,
                None => newest.push(s),
            }
        }
        let mut state = SignoffState {
            approvers: Vec::new(),
            required: self.required,
            role: self.role.clone(),
            rejected: None,
        };
        for s in newest {
            let counts = !change.authors.iter().any(|a| same_person(a, &s.by))
                && self
                    .role
                    .as_ref()
                    .is_none_or(|role| holds_role(&roles_of(&s.by), role));
            if !counts {
                continue;
            }
            match s.verdict {
                SignoffVerdict::Approve => state.approvers.push(s.by.clone()),
                SignoffVerdict::Reject => {
                    if state.rejected.is_none() {
                        state.rejected = Some((s.by.clone(), s.comment.clone()));
                    }
                }
            }
        }
        state
    }
}

/// A freeze window that is on now, as a sentence's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveFreeze {
    /// Why the freeze exists ("quarter-end close").
    pub reason: String,
    /// The window, for people ("fri 16:00 - mon 08:00 Europe/Berlin" or an RFC 3339 range).
    pub window: String,
}

/// A hold on an environment: nothing enters it until someone lifts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Why.
    pub reason: String,
    /// Who owns lifting it.
    pub owner: String,
    /// Since when (Unix seconds).
    pub since: i64,
}

/// A change marked bad: it goes no further downstream until unmarked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMark {
    /// The change's full sha.
    pub sha: String,
    /// Why.
    pub reason: String,
    /// Who marked it.
    pub by: String,
}

/// Which gate spoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateKind {
    /// A hold on the environment.
    Hold,
    /// A freeze window.
    Freeze,
    /// The sign-off rule for the target change.
    Signoff,
    /// A change shipping without its sign-off.
    RideAlong,
    /// A change marked bad.
    Bad,
    /// The config guard: another environment's settings, a denied setting, path scope.
    Config,
    /// Something in what ships that looks like a secret.
    Secret,
}

impl GateKind {
    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            GateKind::Hold => "hold",
            GateKind::Freeze => "freeze",
            GateKind::Signoff => "signoff",
            GateKind::RideAlong => "ride_along",
            GateKind::Bad => "bad",
            GateKind::Config => "config",
            GateKind::Secret => "secret",
        }
    }
}

/// What a gate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing in the way.
    Pass,
    /// Worth a look, does not stop the promotion.
    Warn,
    /// Stops the promotion.
    Block,
    /// Would block, but someone overrode it with a reason.
    Overridden,
}

impl Outcome {
    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Block => "block",
            Outcome::Overridden => "overridden",
        }
    }
}

/// One gate's verdict, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateVerdict {
    /// Which gate.
    pub kind: GateKind,
    /// What it says.
    pub outcome: Outcome,
    /// The verdict as a sentence.
    pub sentence: String,
    /// The change it is about, when it is about one.
    pub sha: Option<String>,
}

/// Everything the gates look at for one promotion.
#[derive(Clone)]
pub struct GateInput<'a> {
    /// The environment being promoted.
    pub environment: &'a str,
    /// The changes that would ship, oldest first; the last one is the target.
    pub shipping: &'a [GatedChange],
    /// The environment's sign-off rule, if it has one.
    pub rule: Option<&'a SignoffRule>,
    /// Sign-offs for this environment.
    pub signoffs: &'a [Signoff],
    /// A signer's roles.
    pub roles_of: &'a dyn Fn(&str) -> Vec<String>,
    /// The environment's hold, if one is on.
    pub hold: Option<&'a Hold>,
    /// Freeze windows on now.
    pub freezes: &'a [ActiveFreeze],
    /// Changes marked bad anywhere in the project.
    pub bad: &'a [BadMark],
    /// The reason given to override a freeze, if any.
    pub override_reason: Option<&'a str>,
    /// A rollback: only holds (which rollbacks set) and freezes apply.
    pub rollback: bool,
}

/// All verdicts of one promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Every verdict, blocking ones first.
    pub verdicts: Vec<GateVerdict>,
    /// Changes that would ship without their sign-off (they are not the target), oldest first.
    pub ride_along: Vec<String>,
}

impl Evaluation {
    /// Whether nothing blocks.
    pub fn allowed(&self) -> bool {
        !self.verdicts.iter().any(|v| v.outcome == Outcome::Block)
    }

    /// The first blocking verdict's sentence.
    pub fn first_block(&self) -> Option<&GateVerdict> {
        self.verdicts.iter().find(|v| v.outcome == Outcome::Block)
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(8)]
}

/// Runs every gate over one promotion.
pub fn evaluate(input: &GateInput<'_>) -> Evaluation {
    let env = input.environment;
    let mut verdicts = Vec::new();
    let mut ride_along = Vec::new();
    match input.hold {
        Some(hold) => verdicts.push(GateVerdict {
            kind: GateKind::Hold,
            outcome: if input.rollback {
                Outcome::Warn
            } else {
                Outcome::Block
            },
            sentence: format!(
                "{env} is on hold by {}: {} — lift the hold to promote",
                hold.owner, hold.reason
            ),
            sha: None,
        }),
        None => verdicts.push(GateVerdict {
            kind: GateKind::Hold,
            outcome: Outcome::Pass,
            sentence: format!("{env} is not on hold"),
            sha: None,
        }),
    }
    if input.freezes.is_empty() {
        verdicts.push(GateVerdict {
            kind: GateKind::Freeze,
            outcome: Outcome::Pass,
            sentence: format!("no freeze window is on for {env}"),
            sha: None,
        });
    }
    for freeze in input.freezes {
        let overridden = input
            .override_reason
            .map(str::trim)
            .filter(|r| !r.is_empty());
        verdicts.push(GateVerdict {
            kind: GateKind::Freeze,
            outcome: if overridden.is_some() {
                Outcome::Overridden
            } else {
                Outcome::Block
            },
            sentence: match overridden {
                Some(reason) => format!(
                    "{env} is frozen ({}, {}); overridden: {reason}",
                    freeze.reason, freeze.window
                ),
                None => format!(
                    "{env} is frozen ({}, {}) — override with a reason to promote anyway",
                    freeze.reason, freeze.window
                ),
            },
            sha: None,
        });
    }
    if !input.rollback {
        for change in input.shipping {
            if let Some(bad) = input.bad.iter().find(|b| b.sha == change.sha) {
                verdicts.push(GateVerdict {
                    kind: GateKind::Bad,
                    outcome: Outcome::Block,
                    sentence: format!(
                        "{} \"{}\" is marked bad by {}: {} — unmark it first",
                        short(&change.sha),
                        change.title,
                        bad.by,
                        bad.reason
                    ),
                    sha: Some(change.sha.clone()),
                });
            }
        }
        if let (Some(rule), Some(target)) = (input.rule, input.shipping.last()) {
            for change in input.shipping {
                let state = rule.state(change, input.signoffs, input.roles_of);
                let is_target = change.sha == target.sha;
                if let Some((by, comment)) = &state.rejected {
                    verdicts.push(GateVerdict {
                        kind: GateKind::Signoff,
                        outcome: Outcome::Block,
                        sentence: format!(
                            "{} \"{}\" was rejected for {env} by {by}{}",
                            short(&change.sha),
                            change.title,
                            if comment.is_empty() {
                                String::new()
                            } else {
                                format!(": {comment}")
                            }
                        ),
                        sha: Some(change.sha.clone()),
                    });
                } else if is_target {
                    verdicts.push(GateVerdict {
                        kind: GateKind::Signoff,
                        outcome: if state.satisfied() {
                            Outcome::Pass
                        } else {
                            Outcome::Block
                        },
                        sentence: format!(
                            "{} \"{}\" has {} for {env}",
                            short(&change.sha),
                            change.title,
                            state.describe()
                        ),
                        sha: Some(change.sha.clone()),
                    });
                } else if !state.satisfied() {
                    ride_along.push(change.sha.clone());
                    verdicts.push(GateVerdict {
                        kind: GateKind::RideAlong,
                        outcome: Outcome::Warn,
                        sentence: format!(
                            "{} \"{}\" would ride along without its sign-off ({})",
                            short(&change.sha),
                            change.title,
                            state.describe()
                        ),
                        sha: Some(change.sha.clone()),
                    });
                }
            }
        }
    }
    verdicts.sort_by_key(|v| match v.outcome {
        Outcome::Block => 0,
        Outcome::Overridden => 1,
        Outcome::Warn => 2,
        Outcome::Pass => 3,
    });
    Evaluation {
        verdicts,
        ride_along,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WeeklyFreeze;

    fn change(sha: &str, author: &str) -> GatedChange {
        GatedChange {
            sha: sha.repeat(40)[..40].to_string(),
            title: format!("change {sha}"),
            authors: vec![author.to_string()],
        }
    }

    fn signoff(sha: &str, by: &str, verdict: SignoffVerdict, at: i64) -> Signoff {
        Signoff {
            sha: sha.repeat(40)[..40].to_string(),
            by: by.to_string(),
            verdict,
            comment: if verdict == SignoffVerdict::Reject {
                "breaks checkout".into()
            } else {
                String::new()
            },
            at,
        }
    }

    fn roles(who: &str) -> Vec<String> {
        match who.to_lowercase().as_str() {
            "qa1@x" | "qa2@x" | "author@x" => vec!["qa".into()],
            "qa3@x" => vec!["QA".into()],
            _ => vec![],
        }
    }

    use SignoffVerdict::{Approve, Reject};

    #[test]
    fn signoff_states() {
        let qa2 = SignoffRule {
            required: 2,
            role: Some("qa".into()),
        };
        let any1 = SignoffRule {
            required: 1,
            role: None,
        };
        // (rule, signoffs, satisfied, description)
        let cases: Vec<(&SignoffRule, Vec<Signoff>, bool, &str)> = vec![
            (&qa2, vec![], false, "0 of 2 qa sign-offs"),
            (
                &qa2,
                vec![signoff("a", "qa1@x", Approve, 1)],
                false,
                "1 of 2 qa sign-offs",
            ),
            (
                &qa2,
                vec![
                    signoff("a", "qa1@x", Approve, 1),
                    signoff("a", "QA1@x", Approve, 2),
                ],
                false,
                "1 of 2 qa sign-offs",
            ),
            (
                &qa2,
                vec![
                    signoff("a", "qa1@x", Approve, 1),
                    signoff("a", "Qa3@X", Approve, 2),
                ],
                true,
                "2 of 2 qa sign-offs",
            ),
            // The author's own approval and a non-QA approval do not count.
            (
                &qa2,
                vec![
                    signoff("a", "author@x", Approve, 1),
                    signoff("a", "dev@x", Approve, 2),
                    signoff("a", "qa1@x", Approve, 3),
                ],
                false,
                "1 of 2 qa sign-offs",
            ),
            // One rejection blocks however many approve.
            (
                &qa2,
                vec![
                    signoff("a", "qa1@x", Approve, 1),
                    signoff("a", "Qa3@X", Approve, 2),
                    signoff("a", "qa2@x", Reject, 3),
                ],
                false,
                "rejected by qa2@x: breaks checkout",
            ),
            // A signer's newest verdict counts: a rejection withdrawn by an approval.
            (
                &qa2,
                vec![
                    signoff("a", "qa2@x", Approve, 5),
                    signoff("a", "qa2@x", Reject, 3),
                    signoff("a", "qa1@x", Approve, 4),
                ],
                true,
                "2 of 2 qa sign-offs",
            ),
            // Sign-offs for another change do not count.
            (
                &any1,
                vec![signoff("b", "dev@x", Approve, 1)],
                false,
                "0 of 1 sign-off",
            ),
            (
                &any1,
                vec![signoff("a", "dev@x", Approve, 1)],
                true,
                "1 of 1 sign-off",
            ),
        ];
        for (i, (rule, signoffs, satisfied, text)) in cases.into_iter().enumerate() {
            let state = rule.state(&change("a", "author@x"), &signoffs, &roles);
            assert_eq!(state.satisfied(), satisfied, "case {i}");
            assert_eq!(state.describe(), text, "case {i}");
        }
    }

    #[test]
    fn who_may_sign() {
        let rule = SignoffRule {
            required: 1,
            role: Some("qa".into()),
        };
        let c = GatedChange {
            authors: vec!["author@x".into(), "pair@x".into()],
            ..change("a", "author@x")
        };
        let cases = [
            ("qa1@x", vec!["qa".to_string()], None),
            ("qa1@x", vec!["QA".to_string()], None),
            (
                "AUTHOR@x",
                vec!["qa".to_string()],
                Some(GateError::OwnChange("AUTHOR@x".into())),
            ),
            (
                "pair@x",
                vec!["qa".to_string()],
                Some(GateError::OwnChange("pair@x".into())),
            ),
            (
                "dev@x",
                vec!["release-manager".to_string()],
                Some(GateError::MissingRole {
                    who: "dev@x".into(),
                    environment: "staging".into(),
                    role: "qa".into(),
                }),
            ),
        ];
        for (who, roles, want) in cases {
            assert_eq!(
                rule.may_sign("staging", &c, who, &roles).err(),
                want,
                "{who}"
            );
        }
        assert!(SignoffRule {
            required: 0,
            role: None
        }
        .check()
        .is_err());
    }

    #[test]
    fn weekly_freezes() {
        let weekend = WeeklyFreeze::parse("fri 16:00 - mon 08:00", "Europe/Berlin").unwrap();
        assert_eq!(weekend.window(), "fri 16:00 - mon 08:00");
        let midweek = WeeklyFreeze::parse("Wed 09:00 - wed 10:30", "America/New_York").unwrap();
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        let cases = [
            (&weekend, "2026-11-20T14:59:00Z", false), // Fri 15:59 Berlin
            (&weekend, "2026-11-20T15:00:00Z", true),  // Fri 16:00 Berlin
            (&weekend, "2026-11-22T12:00:00Z", true),  // Sunday
            (&weekend, "2026-11-23T06:59:00Z", true),  // Mon 07:59 Berlin
            (&weekend, "2026-11-23T07:00:00Z", false), // Mon 08:00 Berlin
            (&weekend, "2026-11-25T12:00:00Z", false), // Wednesday
            // Summer time: Fri 16:00 Berlin is 14:00 UTC.
            (&weekend, "2026-07-03T14:00:00Z", true),
            (&weekend, "2026-07-03T13:59:00Z", false),
            (&midweek, "2026-11-25T14:00:00Z", true), // Wed 09:00 New York
            (&midweek, "2026-11-25T15:30:00Z", false), // Wed 10:30 New York
            (&midweek, "2026-11-24T14:00:00Z", false), // Tuesday
        ];
        for (freeze, when, on) in cases {
            assert_eq!(
                freeze.active_at(at(when)),
                on,
                "{} at {when}",
                freeze.window()
            );
        }
        for bad in [
            "fri 16:00",
            "fri 16:00 - fri 16:00",
            "friday 25:00 - mon 08:00",
            "fri 16:00 - 08:00",
            "; rm -rf / - mon 08:00",
        ] {
            assert!(
                WeeklyFreeze::parse(bad, "Europe/Berlin").is_err(),
                "{bad} was accepted"
            );
        }
        assert_eq!(
            WeeklyFreeze::parse("fri 16:00 - mon 08:00", "Mars/Olympus"),
            Err(GateError::Zone("Mars/Olympus".into()))
        );
    }

    #[test]
    fn promotions_pass_or_block_for_stated_reasons() {
        let rule = SignoffRule {
            required: 1,
            role: Some("qa".into()),
        };
        let shipping = vec![
            change("a", "dev@x"),
            change("b", "dev@x"),
            change("c", "dev@x"),
        ];
        let hold = Hold {
            reason: "checkout errors".into(),
            owner: "rm@x".into(),
            since: 0,
        };
        let freeze = ActiveFreeze {
            reason: "quarter-end".into(),
            window: "fri 16:00 - mon 08:00 Europe/Berlin".into(),
        };
        let bad = BadMark {
            sha: shipping[1].sha.clone(),
            reason: "corrupts carts".into(),
            by: "rm@x".into(),
        };
        let target_signed = vec![signoff("c", "qa1@x", Approve, 1)];
        let all_signed = vec![
            signoff("a", "qa1@x", Approve, 1),
            signoff("b", "qa1@x", Approve, 1),
            signoff("c", "qa1@x", Approve, 1),
        ];
        let rejected = vec![
            signoff("a", "qa1@x", Reject, 1),
            signoff("c", "qa1@x", Approve, 1),
        ];
        struct Case<'a> {
            name: &'a str,
            signoffs: &'a [Signoff],
            hold: Option<&'a Hold>,
            freezes: &'a [ActiveFreeze],
            bad: &'a [BadMark],
            override_reason: Option<&'a str>,
            rollback: bool,
            allowed: bool,
            ride_along: usize,
            first: Option<&'a str>,
        }
        let base = Case {
            name: "",
            signoffs: &[],
            hold: None,
            freezes: &[],
            bad: &[],
            override_reason: None,
            rollback: false,
            allowed: true,
            ride_along: 0,
            first: None,
        };
        let cases = [
            Case {
                name: "all signed",
                signoffs: &all_signed,
                ..base
            },
            Case {
                name: "target signed, two ride along",
                signoffs: &target_signed,
                ride_along: 2,
                ..base
            },
            Case {
                name: "target unsigned",
                allowed: false,
                first: Some("cccccccc \"change c\" has 0 of 1 qa sign-off for staging"),
                ride_along: 2,
                ..base
            },
            Case {
                name: "a rejection anywhere blocks",
                signoffs: &rejected,
                allowed: false,
                ride_along: 1,
                first: Some(
                    "aaaaaaaa \"change a\" was rejected for staging by qa1@x: breaks checkout",
                ),
                ..base
            },
            Case {
                name: "hold",
                signoffs: &all_signed,
                hold: Some(&hold),
                allowed: false,
                first: Some(
                    "staging is on hold by rm@x: checkout errors — lift the hold to promote",
                ),
                ..base
            },
            Case {
                name: "rollback through a hold, ignoring sign-offs",
                hold: Some(&hold),
                rollback: true,
                ..base
            },
            Case {
                name: "freeze",
                signoffs: &all_signed,
                freezes: std::slice::from_ref(&freeze),
                allowed: false,
                first: Some("staging is frozen (quarter-end, fri 16:00 - mon 08:00 Europe/Berlin) — override with a reason to promote anyway"),
                ..base
            },
            Case {
                name: "freeze overridden",
                signoffs: &all_signed,
                freezes: std::slice::from_ref(&freeze),
                override_reason: Some("payment outage fix"),
                ..base
            },
            Case {
                name: "blank override reason does not count",
                signoffs: &all_signed,
                freezes: std::slice::from_ref(&freeze),
                override_reason: Some("  "),
                allowed: false,
                first: Some("staging is frozen (quarter-end, fri 16:00 - mon 08:00 Europe/Berlin) — override with a reason to promote anyway"),
                ..base
            },
            Case {
                name: "rollback in a freeze still needs the override",
                freezes: std::slice::from_ref(&freeze),
                rollback: true,
                allowed: false,
                first: Some("staging is frozen (quarter-end, fri 16:00 - mon 08:00 Europe/Berlin) — override with a reason to promote anyway"),
                ..base
            },
            Case {
                name: "bad change",
                signoffs: &all_signed,
                bad: std::slice::from_ref(&bad),
                allowed: false,
                first: Some("bbbbbbbb \"change b\" is marked bad by rm@x: corrupts carts — unmark it first"),
                ..base
            },
        ];
        for case in cases {
            let evaluation = evaluate(&GateInput {
                environment: "staging",
                shipping: &shipping,
                rule: Some(&rule),
                signoffs: case.signoffs,
                roles_of: &roles,
                hold: case.hold,
                freezes: case.freezes,
                bad: case.bad,
                override_reason: case.override_reason,
                rollback: case.rollback,
            });
            assert_eq!(evaluation.allowed(), case.allowed, "{}", case.name);
            assert_eq!(
                evaluation.ride_along.len(),
                case.ride_along,
                "{}",
                case.name
            );
            assert_eq!(
                evaluation.first_block().map(|v| v.sentence.as_str()),
                case.first,
                "{}",
                case.name
            );
        }
    }
}
