//! One environment's gates as the board and the inbox read them: which blockers a queued
//! change gets and in what order, and whether it waits for a given person's sign-off.

use std::collections::HashMap;
use std::sync::Arc;

use crate::gate::{
    evaluate, same_person, ActiveFreeze, BadMark, Evaluation, GateInput, GatedChange, Hold,
    Signoff, SignoffRule, SignoffState,
};
use crate::Blocker;

/// Everything the gates read for one environment: its sign-off rule and sign-offs, its hold,
/// the freezes on now, the project's bad marks, and every person's roles.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentGates {
    /// The environment's name.
    pub environment: String,
    /// Its sign-off rule, if it has one.
    pub rule: Option<SignoffRule>,
    /// Sign-offs given for it.
    pub signoffs: Vec<Signoff>,
    /// Its hold, if one is on.
    pub hold: Option<Hold>,
    /// Freeze windows on now.
    pub freezes: Vec<ActiveFreeze>,
    /// Changes marked bad anywhere in the project.
    pub bad: Vec<BadMark>,
    /// Roles by lower-case email.
    pub roles: Arc<HashMap<String, Vec<String>>>,
}

impl EnvironmentGates {
    /// The roles `who` holds (matched without case).
    pub fn roles_of(&self, who: &str) -> Vec<String> {
        self.roles
            .get(&who.to_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// Where `change` stands against the sign-off rule, if there is one.
    pub fn signoff_state(&self, change: &GatedChange) -> Option<SignoffState> {
        let roles_of = |who: &str| self.roles_of(who);
        self.rule
            .as_ref()
            .map(|rule| rule.state(change, &self.signoffs, &roles_of))
    }

    /// The gates that keep a queued change out, in the order the board shows them: a bad
    /// mark, then a rejection or the missing sign-offs, then the hold, then each freeze.
    pub fn blockers(&self, change: &GatedChange) -> Vec<Blocker> {
        let environment = &self.environment;
        let mut out = Vec::new();
        if let Some(bad) = self.bad.iter().find(|b| b.sha == change.sha) {
            out.push(Blocker::MarkedBad {
                by: bad.by.clone(),
                reason: bad.reason.clone(),
            });
        }
        if let Some(state) = self.signoff_state(change) {
            if state.rejected.is_some() {
                out.push(Blocker::Rejected {
                    environment: environment.clone(),
                    state: state.describe(),
                });
            } else if !state.satisfied() {
                out.push(Blocker::AwaitingSignoff {
                    environment: environment.clone(),
                    state: state.describe(),
                });
            }
        }
        if let Some(h) = &self.hold {
            out.push(Blocker::OnHold {
                environment: environment.clone(),
                owner: h.owner.clone(),
                reason: h.reason.clone(),
            });
        }
        for f in &self.freezes {
            out.push(Blocker::Frozen {
                environment: environment.clone(),
                reason: f.reason.clone(),
            });
        }
        out
    }

    /// Whether `change` waits for a sign-off `viewer` may give — their role, not their own
    /// change, not signed by them yet, the rule not met — and where it stands if so.
    pub fn waits_for(&self, change: &GatedChange, viewer: &str) -> Option<SignoffState> {
        let rule = self.rule.as_ref()?;
        rule.may_sign(&self.environment, change, viewer, &self.roles_of(viewer))
            .ok()?;
        let state = self.signoff_state(change)?;
        let signed = self
            .signoffs
            .iter()
            .any(|s| s.sha == change.sha && same_person(&s.by, viewer));
        (!state.satisfied() && !signed).then_some(state)
    }
}

/// What a run asks of an environment's gates.
#[derive(Debug, Clone, Copy)]
pub enum GateAsk<'a> {
    /// Ship these changes (oldest first; the last is the target): every gate applies.
    Ship {
        /// The changes that would ship.
        shipping: &'a [GatedChange],
        /// The reason given to override a freeze, if any.
        override_reason: Option<&'a str>,
    },
    /// Go back to an earlier deployment: only holds (a warning: rollbacks set them) and
    /// freezes apply.
    Rollback {
        /// The reason given to override a freeze, if any.
        override_reason: Option<&'a str>,
    },
    /// Run the deployed commit again: nothing new ships, so holds and freezes apply and
    /// sign-offs and bad marks do not.
    Redeploy,
}

impl EnvironmentGates {
    /// Every gate's verdict on what `ask` would do.
    pub fn evaluate(&self, ask: GateAsk<'_>) -> Evaluation {
        let roles_of = |who: &str| self.roles_of(who);
        // What every run meets: holds and freezes.
        let mut input = GateInput {
            environment: &self.environment,
            shipping: &[],
            rule: None,
            signoffs: &[],
            roles_of: &roles_of,
            hold: self.hold.as_ref(),
            freezes: &self.freezes,
            bad: &[],
            override_reason: None,
            rollback: false,
        };
        match ask {
            GateAsk::Ship {
                shipping,
                override_reason,
            } => {
                input.shipping = shipping;
                input.rule = self.rule.as_ref();
                input.signoffs = &self.signoffs;
                input.bad = &self.bad;
                input.override_reason = override_reason;
            }
            GateAsk::Rollback { override_reason } => {
                input.override_reason = override_reason;
                input.rollback = true;
            }
            GateAsk::Redeploy => {}
        }
        evaluate(&input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SignoffVerdict;

    fn change(sha: &str, author: &str) -> GatedChange {
        GatedChange {
            sha: sha.into(),
            title: "Fix".into(),
            authors: vec![author.into()],
        }
    }

    fn signoff(sha: &str, by: &str, verdict: SignoffVerdict, at: i64) -> Signoff {
        Signoff {
            sha: sha.into(),
            by: by.into(),
            verdict,
            comment: "no".into(),
            at,
        }
    }

    fn gates() -> EnvironmentGates {
        let roles: HashMap<String, Vec<String>> = [
            ("qa@x".to_string(), vec!["qa".to_string()]),
            ("qa2@x".to_string(), vec!["QA".to_string()]),
            ("dev@x".to_string(), vec![]),
        ]
        .into_iter()
        .collect();
        EnvironmentGates {
            environment: "staging".into(),
            rule: Some(SignoffRule {
                required: 1,
                role: Some("qa".into()),
            }),
            roles: Arc::new(roles),
            ..EnvironmentGates::default()
        }
    }

    fn hold() -> Hold {
        Hold {
            reason: "incident".into(),
            owner: "rm@x".into(),
            since: 0,
        }
    }

    fn freeze() -> ActiveFreeze {
        ActiveFreeze {
            reason: "quarter end".into(),
            window: "fri - mon".into(),
        }
    }

    fn kinds(blockers: &[Blocker]) -> Vec<&'static str> {
        blockers.iter().map(Blocker::kind).collect()
    }

    #[test]
    fn blockers_come_in_the_boards_order() {
        let (hold, freeze) = (hold(), freeze());
        let bad = BadMark {
            sha: "a".into(),
            reason: "broke checkout".into(),
            by: "rm@x".into(),
        };
        let rejected = signoff("a", "qa@x", SignoffVerdict::Reject, 1);
        let approved = signoff("a", "qa@x", SignoffVerdict::Approve, 1);
        type Case = (
            &'static str,
            Vec<Signoff>,
            bool,
            usize,
            bool,
            Vec<&'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                "nothing signed",
                vec![],
                false,
                0,
                false,
                vec!["awaiting_signoff"],
            ),
            ("approved", vec![approved.clone()], false, 0, false, vec![]),
            (
                "rejected",
                vec![rejected],
                false,
                0,
                false,
                vec!["rejected"],
            ),
            (
                "everything",
                vec![],
                true,
                2,
                true,
                vec!["bad", "awaiting_signoff", "hold", "freeze", "freeze"],
            ),
            (
                "approved but held",
                vec![approved],
                true,
                0,
                false,
                vec!["hold"],
            ),
        ];
        for (name, signoffs, held, freezes, marked, want) in cases {
            let g = EnvironmentGates {
                signoffs,
                hold: held.then(|| hold.clone()),
                freezes: vec![freeze.clone(); freezes],
                bad: if marked { vec![bad.clone()] } else { vec![] },
                ..gates()
            };
            assert_eq!(kinds(&g.blockers(&change("a", "dev@x"))), want, "{name}");
        }
        // Without a rule, no sign-off blocker.
        let open = EnvironmentGates {
            rule: None,
            ..gates()
        };
        assert!(open.blockers(&change("a", "dev@x")).is_empty());
    }

    #[test]
    fn a_change_waits_for_a_viewer_who_may_sign_and_has_not() {
        let signed = EnvironmentGates {
            signoffs: vec![signoff("a", "QA@x", SignoffVerdict::Approve, 1)],
            rule: Some(SignoffRule {
                required: 2,
                role: Some("qa".into()),
            }),
            ..gates()
        };
        let cases: [(&EnvironmentGates, &str, &str, Option<&str>); 6] = [
            (&gates(), "qa@x", "dev@x", Some("0 of 1 qa sign-off")),
            (&gates(), "qa2@x", "dev@x", Some("0 of 1 qa sign-off")),
            (&gates(), "dev@x", "ana@x", None),
            (&gates(), "qa@x", "qa@x", None),
            (&signed, "qa@x", "dev@x", None),
            (&signed, "qa2@x", "dev@x", Some("1 of 2 qa sign-offs")),
        ];
        for (g, viewer, author, want) in cases {
            let got = g
                .waits_for(&change("a", author), viewer)
                .map(|s| s.describe());
            assert_eq!(got.as_deref(), want, "{viewer} on a change by {author}");
        }
    }

    #[test]
    fn each_kind_of_run_meets_its_own_gates() {
        use crate::{GateKind, Outcome};
        let (hold, freeze) = (hold(), freeze());
        let held = EnvironmentGates {
            hold: Some(hold),
            ..gates()
        };
        let frozen = EnvironmentGates {
            freezes: vec![freeze],
            ..gates()
        };
        let fix = [change("a", "dev@x")];
        let ship = GateAsk::Ship {
            shipping: &fix,
            override_reason: None,
        };
        let outcome = |g: &EnvironmentGates, ask: GateAsk<'_>, kind: GateKind| {
            g.evaluate(ask)
                .verdicts
                .iter()
                .find(|v| v.kind == kind)
                .map(|v| v.outcome)
        };
        let cases: [(&EnvironmentGates, GateAsk<'_>, GateKind, Option<Outcome>); 8] = [
            (&held, ship, GateKind::Hold, Some(Outcome::Block)),
            (
                &held,
                GateAsk::Redeploy,
                GateKind::Hold,
                Some(Outcome::Block),
            ),
            (
                &held,
                GateAsk::Rollback {
                    override_reason: None,
                },
                GateKind::Hold,
                Some(Outcome::Warn),
            ),
            (&gates(), ship, GateKind::Signoff, Some(Outcome::Block)),
            (&gates(), GateAsk::Redeploy, GateKind::Signoff, None),
            (
                &gates(),
                GateAsk::Rollback {
                    override_reason: None,
                },
                GateKind::Signoff,
                None,
            ),
            (
                &frozen,
                GateAsk::Rollback {
                    override_reason: None,
                },
                GateKind::Freeze,
                Some(Outcome::Block),
            ),
            (
                &frozen,
                GateAsk::Rollback {
                    override_reason: Some("incident"),
                },
                GateKind::Freeze,
                Some(Outcome::Overridden),
            ),
        ];
        for (i, (g, ask, kind, want)) in cases.into_iter().enumerate() {
            assert_eq!(outcome(g, ask, kind), want, "case {i}: {kind:?}");
        }
    }

    #[test]
    fn the_rule_in_words() {
        let cases = [
            (1, None, "1 sign-off"),
            (2, Some("qa"), "2 qa sign-offs"),
            (1, Some("qa"), "1 qa sign-off"),
        ];
        for (required, role, want) in cases {
            let rule = SignoffRule {
                required,
                role: role.map(str::to_string),
            };
            assert_eq!(rule.describe(), want);
        }
    }
}
