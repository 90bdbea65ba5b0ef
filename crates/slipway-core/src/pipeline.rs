/// How Slipway knows what is in an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackingRef {
    /// A branch (such as `deploy/qa`) that stands at the environment's commit.
    Branch(String),
    /// Immutable tags matching a pattern (such as `production/*`); the newest is current.
    Tags(String),
    /// Deployments recorded only in Slipway's database.
    Database,
}

impl TrackingRef {
    /// The ref name or pattern git resolves for this environment (empty for `Database`).
    pub fn ref_name(&self) -> &str {
        match self {
            TrackingRef::Branch(b) | TrackingRef::Tags(b) => b,
            TrackingRef::Database => "",
        }
    }

    /// A stable strategy name for storage (`branch`, `tag`, `db`).
    pub fn strategy(&self) -> &'static str {
        match self {
            TrackingRef::Branch(_) => "branch",
            TrackingRef::Tags(_) => "tag",
            TrackingRef::Database => "db",
        }
    }

    /// Reads `branch:deploy/qa`, `tag:production/*` or `db`.
    pub fn parse(spec: &str) -> Result<TrackingRef, NameError> {
        let tracking = match spec.split_once(':') {
            Some(("branch", name)) => TrackingRef::Branch(name.to_string()),
            Some(("tag", pattern)) => TrackingRef::Tags(pattern.to_string()),
            None if spec == "db" => TrackingRef::Database,
            _ => return Err(NameError::Strategy(spec.to_string())),
        };
        tracking.validate()?;
        Ok(tracking)
    }

    /// From its stored parts (strategy name and ref).
    pub fn from_parts(strategy: &str, reference: &str) -> Result<TrackingRef, NameError> {
        Self::parse(&match strategy {
            "db" => "db".to_string(),
            other => format!("{other}:{reference}"),
        })
    }

    fn validate(&self) -> Result<(), NameError> {
        match self {
            TrackingRef::Branch(b) => check_branch(b),
            // A pattern is a ref name in which `*` stands for any run of characters.
            TrackingRef::Tags(p) => check_branch(&p.replace('*', "x")).map_err(|e| match e {
                NameError::Branch(_, why) => NameError::Branch(p.clone(), why),
                other => other,
            }),
            TrackingRef::Database => Ok(()),
        }
    }
}

/// A named stage of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Short name, such as `staging`.
    pub name: String,
    /// How its position is known.
    pub tracking: TrackingRef,
}

/// Trunk and the environments, in pipeline order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// The branch changes are merged into.
    pub trunk: String,
    /// Environments in order; each one's upstream is the one before, the first one's is trunk.
    pub environments: Vec<Environment>,
}

/// Where a stage's changes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage<'a> {
    /// The trunk branch.
    Trunk(&'a str),
    /// An earlier environment.
    Environment(&'a Environment),
}

impl<'a> Stage<'a> {
    /// The ref name git resolves for this stage.
    pub fn ref_name(&self) -> &'a str {
        match *self {
            Stage::Trunk(b) => b,
            Stage::Environment(e) => e.tracking.ref_name(),
        }
    }

    /// The name people see: the trunk branch or the environment name.
    pub fn label(&self) -> &'a str {
        match *self {
            Stage::Trunk(b) => b,
            Stage::Environment(e) => &e.name,
        }
    }
}

/// A name that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Environment names are short lower-case identifiers.
    #[error("environment name {0:?} is not allowed: use 1-32 characters from a-z, 0-9, '-' and '_', starting with a letter or digit")]
    Environment(String),
    /// Branch names must be valid git ref names without shell metacharacters.
    #[error("branch name {0:?} is not allowed: {1}")]
    Branch(String, &'static str),
    /// Two environments share a name.
    #[error("environment {0:?} appears twice in the pipeline")]
    Duplicate(String),
    /// A tracking strategy Slipway does not know.
    #[error("tracking {0:?} is not understood: use branch:NAME, tag:PATTERN or db")]
    Strategy(String),
    /// A project name that cannot be used.
    #[error("project name {0:?} is not allowed: use 1-64 characters from letters, digits, '-', '_' and '.', starting with a letter or digit")]
    Project(String),
    /// A pipeline needs at least one environment.
    #[error("a pipeline needs at least one environment")]
    NoEnvironments,
}

impl Pipeline {
    /// Checks every name; a pipeline that passes is safe to hand to git and to a shell.
    pub fn validate(&self) -> Result<(), NameError> {
        check_branch(&self.trunk)?;
        if self.environments.is_empty() {
            return Err(NameError::NoEnvironments);
        }
        let mut seen: Vec<&str> = Vec::new();
        for env in &self.environments {
            check_environment_name(&env.name)?;
            env.tracking.validate()?;
            if seen.contains(&env.name.as_str()) {
                return Err(NameError::Duplicate(env.name.clone()));
            }
            seen.push(&env.name);
        }
        Ok(())
    }

    /// The position of the environment named `name`, if the pipeline has one.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.environments.iter().position(|e| e.name == name)
    }

    /// The environment named `name`, if the pipeline has one.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// The environments' names, in order, for messages ("qa, staging, production").
    pub fn names(&self) -> String {
        self.environments
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Each environment with its upstream stage, in pipeline order.
    pub fn stages(&self) -> impl Iterator<Item = (&Environment, Stage<'_>)> {
        self.environments.iter().enumerate().map(|(i, env)| {
            let upstream = match i {
                0 => Stage::Trunk(&self.trunk),
                _ => Stage::Environment(&self.environments[i - 1]),
            };
            (env, upstream)
        })
    }
}

/// Accepts `payments`, `Billing.API`, `web_2`; refuses anything a shell or a path would
/// treat specially.
pub fn check_project_name(name: &str) -> Result<(), NameError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_alphanumeric() || (i > 0 && matches!(b, b'-' | b'_' | b'.')));
    if ok {
        Ok(())
    } else {
        Err(NameError::Project(name.to_string()))
    }
}

/// Accepts `qa`, `staging`, `prod-eu_2`; refuses anything else.
pub fn check_environment_name(name: &str) -> Result<(), NameError> {
    let ok = (1..=32).contains(&name.len())
        && name.bytes().enumerate().all(|(i, b)| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || (i > 0 && (b == b'-' || b == b'_'))
        });
    if ok {
        Ok(())
    } else {
        Err(NameError::Environment(name.to_string()))
    }
}

/// Git's ref-name rules (git check-ref-format) plus no shell metacharacters or spaces.
pub fn check_branch(name: &str) -> Result<(), NameError> {
    let err = |why| Err(NameError::Branch(name.to_string(), why));
    if name.is_empty() || name.len() > 200 {
        return err("it must have 1-200 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\$`'\"|;&<>(){}!#%".contains(*c))
    {
        return err(match c {
            ' ' | '\t' | '\n' => "it contains white space",
            _ => "it contains a character git or a shell would treat specially",
        });
    }
    if name.starts_with('-') || name.starts_with('/') || name.ends_with('/') || name.ends_with('.')
    {
        return err("it must not start with '-' or '/' nor end with '/' or '.'");
    }
    if name.contains("..") || name.contains("//") || name.contains("@{") || name == "@" {
        return err("it contains '..', '//' or '@{'");
    }
    if name
        .split('/')
        .any(|part| part.starts_with('.') || part.ends_with(".lock"))
    {
        return err("a component starts with '.' or ends with '.lock'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Environment {
        Environment {
            name: name.into(),
            tracking: TrackingRef::Branch(format!("deploy/{name}")),
        }
    }

    #[test]
    fn stages_chain_upstreams() {
        let p = Pipeline {
            trunk: "main".into(),
            environments: vec![env("qa"), env("staging"), env("production")],
        };
        let got: Vec<(&str, &str)> = p
            .stages()
            .map(|(e, up)| (e.name.as_str(), up.ref_name()))
            .collect();
        assert_eq!(
            got,
            [
                ("qa", "main"),
                ("staging", "deploy/qa"),
                ("production", "deploy/staging")
            ]
        );
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn names_are_checked() {
        let cases: &[(&str, bool)] = &[
            ("qa", true),
            ("prod-eu_2", true),
            ("9lives", true),
            ("", false),
            ("QA", false),
            ("-qa", false),
            ("qa;rm", false),
            ("a b", false),
            (&"x".repeat(33), false),
        ];
        for (name, ok) in cases {
            assert_eq!(
                check_environment_name(name).is_ok(),
                *ok,
                "environment {name:?}"
            );
        }
        let branches: &[(&str, bool)] = &[
            ("main", true),
            ("deploy/qa", true),
            ("release/2026.11", true),
            ("", false),
            ("-rf", false),
            ("a..b", false),
            ("a b", false),
            ("$(reboot)", false),
            ("a;b", false),
            ("x.lock", false),
            ("deploy/.hidden", false),
            ("a//b", false),
            ("trail/", false),
            ("HEAD@{1}", false),
            ("a\u{7}b", false),
        ];
        for (name, ok) in branches {
            assert_eq!(check_branch(name).is_ok(), *ok, "branch {name:?}");
        }
    }

    #[test]
    fn tracking_specs_are_parsed_and_checked() {
        let cases: &[(&str, Result<TrackingRef, ()>)] = &[
            (
                "branch:deploy/qa",
                Ok(TrackingRef::Branch("deploy/qa".into())),
            ),
            (
                "tag:production/*",
                Ok(TrackingRef::Tags("production/*".into())),
            ),
            ("db", Ok(TrackingRef::Database)),
            ("branch:", Err(())),
            ("branch:a;rm -rf /", Err(())),
            ("tag:prod/$(x)*", Err(())),
            ("tags:x", Err(())),
            ("deploy/qa", Err(())),
            ("db:x", Err(())),
        ];
        for (spec, want) in cases {
            assert_eq!(TrackingRef::parse(spec).map_err(|_| ()), *want, "{spec:?}");
        }
        for t in [
            TrackingRef::Branch("a/b".into()),
            TrackingRef::Tags("p/*".into()),
            TrackingRef::Database,
        ] {
            assert_eq!(
                TrackingRef::from_parts(t.strategy(), t.ref_name()),
                Ok(t.clone())
            );
        }
        for (name, ok) in [
            ("payments", true),
            ("Billing.API", true),
            ("web_2", true),
            ("", false),
            (".x", false),
            ("a b", false),
            ("a/b", false),
        ] {
            assert_eq!(check_project_name(name).is_ok(), ok, "{name:?}");
        }
        let empty = Pipeline {
            trunk: "main".into(),
            environments: vec![],
        };
        assert_eq!(empty.validate(), Err(NameError::NoEnvironments));
    }

    #[test]
    fn duplicate_environments_are_refused() {
        let p = Pipeline {
            trunk: "main".into(),
            environments: vec![env("qa"), env("qa")],
        };
        assert_eq!(p.validate(), Err(NameError::Duplicate("qa".into())));
    }
}
