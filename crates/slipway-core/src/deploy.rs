//! Deploy actions (what runs after an environment's ref moves), their checks at save time,
//! and the life of one deployment record, including what a crash leaves behind.

use crate::template::{Template, TemplateError};

/// The variables deploy-action templates may use.
pub const DEPLOY_VARIABLES: &[&str] = &[
    "project",
    "environment",
    "from_sha",
    "to_sha",
    "to_short",
    "deployment_id",
    "by",
    "kind",
    "changes",
    "prs",
    "tickets",
];

/// What runs after the ref moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployAction {
    /// Nothing: the ref push is the deployment (GitOps).
    None,
    /// An HTTP request.
    Webhook(WebhookAction),
    /// A local program, run without a shell.
    Command(CommandAction),
}

/// An HTTP request that deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAction {
    /// GET, POST, PUT or PATCH.
    pub method: String,
    /// The URL (http or https), may use variables.
    pub url: Template,
    /// Extra headers; values may use variables.
    pub headers: Vec<(String, Template)>,
    /// A JSON body, variables written JSON-escaped.
    pub body: Option<Template>,
    /// Whether a bearer token is kept in the keychain for it.
    pub token: bool,
    /// Give up after this many seconds.
    pub timeout_secs: u32,
}

/// A program and its arguments, each argument one template that stays one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandAction {
    /// Program first, then its arguments.
    pub argv: Vec<Template>,
    /// Kill it after this many seconds.
    pub timeout_secs: u32,
}

/// Polling a health URL after deploying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The URL (http or https).
    pub url: String,
    /// Fail when it is not healthy after this many seconds.
    pub timeout_secs: u32,
    /// Seconds between polls.
    pub interval_secs: u32,
}

/// Why an action's settings are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// A URL that is not http(s) with a host.
    #[error("{0:?} is not an http:// or https:// URL with a host")]
    Url(String),
    /// A URL that carries a user name and password: they would be stored and shown.
    #[error("the URL carries credentials (user:password@host); remove them and put the secret in the token field, which is kept in the OS keychain")]
    CredentialsInUrl,
    /// A URL with control characters (a raw newline) or longer than 2,048 characters.
    #[error("the URL has a control character or is longer than 2048 characters")]
    UrlShape,
    /// A method outside GET/POST/PUT/PATCH.
    #[error("method {0:?} is not allowed: use GET, POST, PUT or PATCH")]
    Method(String),
    /// A header name that is empty or not a token.
    #[error("header name {0:?} is not allowed: use letters, digits, - and _")]
    Header(String),
    /// A header value with a line break or another control character.
    #[error("the value of header {0} has a line break or another control character: a header value is one line of text")]
    HeaderValue(String),
    /// A header the HTTP client sets itself, or one that would carry a secret in plain sight.
    #[error("header {0} cannot be set here: the HTTP client sets Content-Length, Transfer-Encoding, Host, Connection, Upgrade and TE itself, and a bearer token goes in the token field (kept in the OS keychain), not an Authorization header")]
    ReservedHeader(String),
    /// A token that would travel in clear text.
    #[error(transparent)]
    PlainHttp(#[from] crate::transport::PlainHttp),
    /// A command without a program.
    #[error("a command needs a program to run")]
    NoProgram,
    /// A timeout outside 1 s – 1 h.
    #[error("timeout {0} s is not allowed: use 1 to 3600 seconds")]
    Timeout(u32),
    /// A template with an unknown variable.
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// Headers the HTTP client owns (framing, routing, the connection) or that would put a
/// secret in the database (`Authorization`: the token field is for that).
const RESERVED_HEADERS: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-connection",
    "authorization",
    "proxy-authorization",
];

/// The longest URL a deploy webhook or health check may have.
const MAX_URL: usize = 2048;

/// Checks that `url` is http(s) with a host; its scheme and host may not come from a variable;
/// it carries no credentials (they belong in the keychain), no control characters, and at
/// most 2,048 characters.
pub fn check_http_url(url: &str) -> Result<(), ActionError> {
    if url.len() > MAX_URL || url.chars().any(char::is_control) {
        return Err(ActionError::UrlShape);
    }
    let bad = || ActionError::Url(url.to_string());
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(ActionError::CredentialsInUrl);
    }
    let host = authority;
    if host.is_empty()
        || host.contains("{{")
        || host.chars().any(|c| c.is_whitespace() || c == '\\')
    {
        return Err(bad());
    }
    Ok(())
}

fn check_timeout(secs: u32) -> Result<(), ActionError> {
    if secs == 0 || secs > 3600 {
        return Err(ActionError::Timeout(secs));
    }
    Ok(())
}

impl WebhookAction {
    /// Builds and checks a webhook action from what a person typed.
    pub fn parse(
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Option<&str>,
        token: bool,
        timeout_secs: u32,
    ) -> Result<WebhookAction, ActionError> {
        let method = method.trim().to_ascii_uppercase();
        if !["GET", "POST", "PUT", "PATCH"].contains(&method.as_str()) {
            return Err(ActionError::Method(method));
        }
        check_http_url(url)?;
        check_timeout(timeout_secs)?;
        if token {
            crate::transport::secret_may_go_to(url)?;
        }
        let mut parsed = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            let ok = !name.is_empty()
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c));
            if !ok {
                return Err(ActionError::Header(name.clone()));
            }
            if RESERVED_HEADERS
                .iter()
                .any(|r| name.eq_ignore_ascii_case(r))
            {
                return Err(ActionError::ReservedHeader(name.clone()));
            }
            if value.chars().any(|c| c.is_control() && c != '\t') || value.len() > MAX_URL {
                return Err(ActionError::HeaderValue(name.clone()));
            }
            parsed.push((name.clone(), Template::parse(value, DEPLOY_VARIABLES)?));
        }
        Ok(WebhookAction {
            method,
            url: Template::parse(url, DEPLOY_VARIABLES)?,
            headers: parsed,
            body: body
                .filter(|b| !b.trim().is_empty())
                .map(|b| Template::parse(b, DEPLOY_VARIABLES))
                .transpose()?,
            token,
            timeout_secs,
        })
    }
}

impl CommandAction {
    /// Builds and checks a command from its argument vector.
    pub fn parse(argv: &[String], timeout_secs: u32) -> Result<CommandAction, ActionError> {
        if argv.first().is_none_or(|p| p.trim().is_empty()) {
            return Err(ActionError::NoProgram);
        }
        check_timeout(timeout_secs)?;
        Ok(CommandAction {
            argv: argv
                .iter()
                .map(|a| Template::parse(a, DEPLOY_VARIABLES))
                .collect::<Result<_, _>>()?,
            timeout_secs,
        })
    }
}

impl Verification {
    /// Builds and checks a health check.
    pub fn parse(
        url: &str,
        timeout_secs: u32,
        interval_secs: u32,
    ) -> Result<Verification, ActionError> {
        check_http_url(url)?;
        if url.contains("{{") {
            return Err(ActionError::Url(url.to_string()));
        }
        check_timeout(timeout_secs)?;
        check_timeout(interval_secs)?;
        Ok(Verification {
            url: url.to_string(),
            timeout_secs,
            interval_secs,
        })
    }
}

/// What kind of run moved an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeploymentKind {
    /// Forward to a change of the upstream.
    Promote,
    /// Back to an earlier good deployment.
    Rollback,
    /// The same commit again (the deploy action and verification rerun).
    Redeploy,
    /// A fix straight onto the environment's line (the hotfix lane).
    Hotfix,
}

impl DeploymentKind {
    /// Every kind.
    pub const ALL: [DeploymentKind; 4] = [
        DeploymentKind::Promote,
        DeploymentKind::Rollback,
        DeploymentKind::Redeploy,
        DeploymentKind::Hotfix,
    ];

    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentKind::Promote => "promote",
            DeploymentKind::Rollback => "rollback",
            DeploymentKind::Redeploy => "redeploy",
            DeploymentKind::Hotfix => "hotfix",
        }
    }

    /// Reads a stored name.
    pub fn parse(word: &str) -> Option<DeploymentKind> {
        DeploymentKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl std::fmt::Display for DeploymentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a run offers a rollback: it moved the environment's ref and then failed. A
/// rollback never offers another one.
pub fn offers_rollback(kind: DeploymentKind, status: DeploymentStatus, ref_moved: bool) -> bool {
    status == DeploymentStatus::Failed && ref_moved && kind != DeploymentKind::Rollback
}

/// Where a rollback can go, best first: the commits earlier successful runs started from
/// (newest first), then the ref's earlier positions (newest first); each once, never where
/// the environment stands now.
pub fn rollback_targets(
    now: &str,
    succeeded_from: impl IntoIterator<Item = String>,
    earlier_positions: impl IntoIterator<Item = String>,
) -> Vec<String> {
    let mut seen = vec![now.to_string()];
    let mut out = Vec::new();
    for sha in succeeded_from.into_iter().chain(earlier_positions) {
        if !seen.contains(&sha) {
            seen.push(sha.clone());
            out.push(sha);
        }
    }
    out
}

/// How far a deployment got. Each step is written before the next begins, so a crash leaves
/// the last step that finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentStatus {
    /// Recorded and the environment locked; the ref has not moved yet.
    Started,
    /// The ref moved (and was pushed).
    Pushed,
    /// The deploy action finished without error.
    Acted,
    /// Verification passed.
    Verified,
    /// Done and good.
    Succeeded,
    /// Done and not good (the reason says why).
    Failed,
}

impl DeploymentStatus {
    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentStatus::Started => "started",
            DeploymentStatus::Pushed => "pushed",
            DeploymentStatus::Acted => "acted",
            DeploymentStatus::Verified => "verified",
            DeploymentStatus::Succeeded => "succeeded",
            DeploymentStatus::Failed => "failed",
        }
    }

    /// Reads a stored name.
    pub fn parse(word: &str) -> Option<DeploymentStatus> {
        Some(match word {
            "started" => DeploymentStatus::Started,
            "pushed" => DeploymentStatus::Pushed,
            "acted" => DeploymentStatus::Acted,
            "verified" => DeploymentStatus::Verified,
            "succeeded" => DeploymentStatus::Succeeded,
            "failed" => DeploymentStatus::Failed,
            _ => return None,
        })
    }

    /// Whether the deployment has ended.
    pub fn is_final(self) -> bool {
        matches!(self, DeploymentStatus::Succeeded | DeploymentStatus::Failed)
    }
}

/// What an interrupted deployment left, as found on the next start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted<'a> {
    /// The last step recorded.
    pub status: DeploymentStatus,
    /// Where the environment stood before.
    pub from: &'a str,
    /// Where it was being moved.
    pub to: &'a str,
    /// Where the environment's ref stands now (the remote's, when there is one).
    pub now_at: Option<&'a str>,
    /// Whether a deploy action was configured.
    pub has_action: bool,
    /// Whether verification was configured.
    pub has_verification: bool,
}

/// How an interrupted deployment ends: its final status and reason, and whether the local
/// ref must be brought to `to` (the push happened, the local move did not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// Succeeded or failed.
    pub status: DeploymentStatus,
    /// Why, when failed; what was found, when succeeded.
    pub reason: String,
    /// The ref moved: the record must say so.
    pub moved: bool,
}

/// Decides how an interrupted deployment ends. Nothing is reported as success unless every
/// configured step is known to have finished.
pub fn reconcile(found: &Interrupted<'_>) -> Reconciled {
    use DeploymentStatus::*;
    let to_short = &found.to[..found.to.len().min(8)];
    let moved = found.now_at == Some(found.to);
    // A ref at neither end: someone moved it since.
    if !moved && found.now_at != Some(found.from) && found.status == Started {
        return Reconciled {
            status: Failed,
            reason: format!(
                "interrupted before the ref moved; the environment has since moved to {}",
                found.now_at.map_or("nothing", |s| &s[..s.len().min(8)])
            ),
            moved: false,
        };
    }
    let status = match found.status {
        Started if moved => Pushed,
        other => other,
    };
    let fail = |reason: String| Reconciled {
        status: Failed,
        reason,
        moved: status != Started,
    };
    match status {
        Started => fail("interrupted before the ref moved; nothing was deployed".into()),
        Pushed if !found.has_action && !found.has_verification => Reconciled {
            status: Succeeded,
            reason: format!("interrupted, then found the ref at {to_short}: the push was the deployment"),
            moved: true,
        },
        Pushed if !found.has_action => fail(format!(
            "interrupted after the ref moved to {to_short} and before verification; verify or roll back"
        )),
        Pushed => fail(format!(
            "interrupted after the ref moved to {to_short}; the deploy action's outcome is unknown — redeploy or roll back"
        )),
        Acted if found.has_verification => fail(format!(
            "interrupted after the deploy action and before verification finished; check {to_short} or redeploy"
        )),
        Acted | Verified => Reconciled {
            status: Succeeded,
            reason: "interrupted before the record was written; every step had finished".into(),
            moved: true,
        },
        Succeeded | Failed => Reconciled {
            status,
            reason: String::new(),
            moved: status == Succeeded,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentStatus::*;

    #[test]
    fn a_failure_after_the_ref_moved_offers_a_rollback_unless_it_was_one() {
        use DeploymentKind::*;
        let cases = [
            (Promote, Failed, true, true),
            (Hotfix, Failed, true, true),
            (Redeploy, Failed, true, true),
            (Rollback, Failed, true, false),
            (Promote, Failed, false, false),
            (Promote, Succeeded, true, false),
            (Promote, Pushed, true, false),
        ];
        for (kind, status, moved, want) in cases {
            assert_eq!(
                offers_rollback(kind, status, moved),
                want,
                "{kind} {status:?} {moved}"
            );
        }
    }

    #[test]
    fn rollback_targets_come_once_each_best_first_and_never_the_current_commit() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: [Case; 4] = [
            ("c", &["b", "a"], &["b", "a"], &["b", "a"]),
            ("c", &["c", "b"], &["a", "b", "c"], &["b", "a"]),
            ("c", &[], &["b", "b", "a"], &["b", "a"]),
            ("c", &[], &[], &[]),
        ];
        for (now, runs, moves, want) in cases {
            assert_eq!(
                rollback_targets(now, v(runs), v(moves)),
                v(want),
                "{runs:?} {moves:?}"
            );
        }
    }

    #[test]
    fn interrupted_deployments_end_truthfully() {
        let from = "a".repeat(40);
        let to = "b".repeat(40);
        let other = "c".repeat(40);
        // (status, now_at, action, verification) -> (status, moved, reason starts with)
        type Found<'a> = (DeploymentStatus, Option<&'a str>, bool, bool);
        type Want<'a> = (DeploymentStatus, bool, &'a str);
        let cases: Vec<(Found, Want)> = vec![
            ((Started, Some(&from), true, false), (Failed, false, "interrupted before the ref moved; nothing")),
            ((Started, None, true, false), (Failed, false, "interrupted before the ref moved; the environment has since moved to nothing")),
            ((Started, Some(&other), false, false), (Failed, false, "interrupted before the ref moved; the environment has since moved to cccccccc")),
            // Killed right after the push, before it was recorded.
            ((Started, Some(&to), false, false), (Succeeded, true, "interrupted, then found the ref at bbbbbbbb")),
            ((Started, Some(&to), true, false), (Failed, true, "interrupted after the ref moved to bbbbbbbb; the deploy action's outcome is unknown")),
            ((Pushed, Some(&to), true, true), (Failed, true, "interrupted after the ref moved to bbbbbbbb; the deploy action's outcome is unknown")),
            ((Pushed, Some(&to), false, true), (Failed, true, "interrupted after the ref moved to bbbbbbbb and before verification")),
            // Killed after the deploy action.
            ((Acted, Some(&to), true, false), (Succeeded, true, "interrupted before the record was written")),
            ((Acted, Some(&to), true, true), (Failed, true, "interrupted after the deploy action and before verification")),
            // Killed before the final record.
            ((Verified, Some(&to), true, true), (Succeeded, true, "interrupted before the record was written")),
        ];
        for ((status, now_at, has_action, has_verification), (want, moved, reason)) in cases {
            let got = reconcile(&Interrupted {
                status,
                from: &from,
                to: &to,
                now_at,
                has_action,
                has_verification,
            });
            assert_eq!(got.status, want, "{status:?} at {now_at:?}");
            assert_eq!(got.moved, moved, "{status:?} at {now_at:?}");
            assert!(got.reason.starts_with(reason), "{status:?}: {}", got.reason);
        }
    }

    #[test]
    fn actions_are_checked_at_save_time() {
        let ok = WebhookAction::parse(
            "post",
            "https://deploy.example.com/hooks/{{environment}}",
            &[("X-Env".into(), "{{environment}}".into())],
            Some(r#"{"sha":"{{to_sha}}"}"#),
            true,
            30,
        )
        .unwrap();
        assert_eq!(ok.method, "POST");
        let refused: Vec<(&str, Result<WebhookAction, ActionError>)> = vec![
            (
                "file scheme",
                WebhookAction::parse("POST", "file:///etc/passwd", &[], None, false, 30),
            ),
            (
                "ftp",
                WebhookAction::parse("POST", "ftp://x.example/", &[], None, false, 30),
            ),
            (
                "no scheme",
                WebhookAction::parse("POST", "deploy.example.com", &[], None, false, 30),
            ),
            (
                "javascript",
                WebhookAction::parse("POST", "javascript:alert(1)", &[], None, false, 30),
            ),
            (
                "host from a variable",
                WebhookAction::parse("POST", "https://{{environment}}/x", &[], None, false, 30),
            ),
            (
                "empty host",
                WebhookAction::parse("POST", "https:///x", &[], None, false, 30),
            ),
            (
                "method",
                WebhookAction::parse("DELETE", "https://x.example", &[], None, false, 30),
            ),
            (
                "header injection",
                WebhookAction::parse(
                    "POST",
                    "https://x.example",
                    &[("X-A".into(), "a\r\nX-B: b".into())],
                    None,
                    false,
                    30,
                ),
            ),
            (
                "authorization header",
                WebhookAction::parse(
                    "POST",
                    "https://x.example",
                    &[("Authorization".into(), "Bearer x".into())],
                    None,
                    false,
                    30,
                ),
            ),
            (
                "unknown variable",
                WebhookAction::parse(
                    "POST",
                    "https://x.example",
                    &[],
                    Some("{{secret}}"),
                    false,
                    30,
                ),
            ),
            (
                "timeout",
                WebhookAction::parse("POST", "https://x.example", &[], None, false, 0),
            ),
        ];
        for (name, result) in refused {
            assert!(result.is_err(), "{name} was accepted");
        }
        assert!(CommandAction::parse(&[], 10).is_err());
        assert!(CommandAction::parse(&["".into()], 10).is_err());
        assert!(CommandAction::parse(&["deploy".into(), "{{nope}}".into()], 10).is_err());
        let cmd =
            CommandAction::parse(&["./deploy.sh".into(), "$(id); {{environment}}".into()], 10)
                .unwrap();
        assert_eq!(cmd.argv.len(), 2);
        assert!(Verification::parse("https://x.example/health", 60, 2).is_ok());
        assert!(Verification::parse("gopher://x.example/health", 60, 2).is_err());
    }

    #[test]
    fn each_bad_header_or_token_is_refused_naming_what_is_wrong() {
        use crate::transport::PlainHttp;
        let hook = |url: &str, name: &str, value: &str, token: bool| {
            WebhookAction::parse(
                "POST",
                url,
                &[(name.to_string(), value.to_string())],
                None,
                token,
                30,
            )
            .map(|_| ())
        };
        let https = "https://deploy.example.com/hook";
        let long = "v".repeat(2049);
        type Case<'a> = (&'a str, &'a str, &'a str, bool, Result<(), ActionError>);
        let cases: Vec<Case> = vec![
            (https, "X-Env", "{{environment}}", true, Ok(())),
            (https, "X-Note", "tab\tinside", false, Ok(())),
            (
                https,
                "",
                "value",
                false,
                Err(ActionError::Header(String::new())),
            ),
            (
                https,
                "X A",
                "v",
                false,
                Err(ActionError::Header("X A".into())),
            ),
            (
                https,
                "X-A:",
                "v",
                false,
                Err(ActionError::Header("X-A:".into())),
            ),
            (
                https,
                "X-A",
                "a\r\nX-B: b",
                false,
                Err(ActionError::HeaderValue("X-A".into())),
            ),
            (
                https,
                "X-A",
                "nul\0byte",
                false,
                Err(ActionError::HeaderValue("X-A".into())),
            ),
            (
                https,
                "X-A",
                "bell\u{7}",
                false,
                Err(ActionError::HeaderValue("X-A".into())),
            ),
            (
                https,
                "X-A",
                &long,
                false,
                Err(ActionError::HeaderValue("X-A".into())),
            ),
            (
                https,
                "Content-Length",
                "0",
                false,
                Err(ActionError::ReservedHeader("Content-Length".into())),
            ),
            (
                https,
                "transfer-encoding",
                "chunked",
                false,
                Err(ActionError::ReservedHeader("transfer-encoding".into())),
            ),
            (
                https,
                "Host",
                "evil.example",
                false,
                Err(ActionError::ReservedHeader("Host".into())),
            ),
            (
                https,
                "Authorization",
                "Bearer x",
                false,
                Err(ActionError::ReservedHeader("Authorization".into())),
            ),
            ("http://127.0.0.1:9/hook", "X-A", "v", true, Ok(())),
            ("http://deploy.example.com/hook", "X-A", "v", false, Ok(())),
            (
                "http://deploy.example.com/hook",
                "X-A",
                "v",
                true,
                Err(ActionError::PlainHttp(PlainHttp {
                    host: "deploy.example.com".into(),
                })),
            ),
        ];
        for (url, name, value, token, want) in cases {
            assert_eq!(
                hook(url, name, value, token),
                want,
                "{url} {name:?}: {value:?}"
            );
        }
        let said = ActionError::HeaderValue("X-A".into()).to_string();
        assert!(said.contains("value of header X-A"), "{said}");
    }

    #[test]
    fn a_url_with_credentials_control_bytes_or_no_end_is_refused() {
        let long = format!("https://hooks.example.com/{}", "a".repeat(2100));
        let cases: &[(&str, Result<(), ActionError>)] = &[
            ("https://deploy.example.com/hooks/1?x={{sha}}", Ok(())),
            ("http://127.0.0.1:8080/health", Ok(())),
            (
                "http://user:pw@deploy.example.com/hook",
                Err(ActionError::CredentialsInUrl),
            ),
            (
                "https://token@deploy.example.com/hook",
                Err(ActionError::CredentialsInUrl),
            ),
            (
                "https://deploy.example.com/a\nb",
                Err(ActionError::UrlShape),
            ),
            (long.as_str(), Err(ActionError::UrlShape)),
            (
                "ftp://deploy.example.com/",
                Err(ActionError::Url("ftp://deploy.example.com/".into())),
            ),
        ];
        for (url, want) in cases {
            assert_eq!(&check_http_url(url), want, "{url}");
        }
        assert!(ActionError::CredentialsInUrl
            .to_string()
            .contains("token field"));
    }
}
