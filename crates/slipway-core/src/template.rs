//! Templates, checked when they are saved: a variable that does not exist is an error then,
//! never a surprise at send time.
//!
//! - [`Template`]: `{{variable}}` placeholders only, for deploy actions' URLs, headers,
//!   bodies and command arguments (where `{%` and `{#` are a shell's, not a template's).
//! - [`MessageTemplate`]: Jinja templates (minijinja) for notifications and the postmortem
//!   draft: loops, conditionals and filters, with every value escaped for the part it goes
//!   into, and undefined variables refused (strict). A `{{variable}}` template is a Jinja
//!   template too, so the templates saved before it came keep working.

use std::collections::BTreeMap;

/// How a value is written into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// As it is (command arguments, headers, plain text).
    None,
    /// Inside a JSON string: quotes, backslashes and control characters escaped.
    Json,
    /// In HTML text or an attribute (and Slack's mrkdwn): `& < > "` as entities.
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A `{{name}}` that is not one of the variables offered.
    #[error("unknown variable {{{{{name}}}}} in {template:?}; use one of: {known}")]
    Unknown {
        /// The name used.
        name: String,
        /// The template.
        template: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// `{{` without `}}`.
    #[error("{0:?} opens {{{{ without closing it")]
    Unclosed(String),
    /// A Jinja template that does not parse.
    #[error("{template:?} is not a valid template: {message}")]
    Syntax {
        /// The template.
        template: String,
        /// What the template engine says, and where.
        message: String,
    },
}

impl Template {
    /// Parses `source`, accepting only variables in `known`.
    pub fn parse(source: &str, known: &[&str]) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 2..];
            let close = after
                .find("}}")
                .ok_or_else(|| TemplateError::Unclosed(source.to_string()))?;
            let name = after[..close].trim();
            if !known.contains(&name) {
                return Err(TemplateError::Unknown {
                    name: name.to_string(),
                    template: source.to_string(),
                    known: known.join(", "),
                });
            }
            pieces.push(Piece::Var(name.to_string()));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template {
            source: source.to_string(),
            pieces,
        })
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text with every variable replaced by `value(name)`, escaped as asked.
    pub fn render(&self, value: &dyn Fn(&str) -> String, escape: Escape) -> String {
        let mut out = String::with_capacity(self.source.len());
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(name) => out.push_str(&self::escape(&value(name), escape)),
            }
        }
        out
    }
}

/// A Jinja template for a message or a document, checked against the variables offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTemplate {
    source: String,
    known: Vec<String>,
}

fn environment(escape: Escape) -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_formatter(move |out, _state, value| {
        let text = match value.as_str() {
            Some(s) => s.to_string(),
            None if value.is_none() || value.is_undefined() => String::new(),
            None => value.to_string(),
        };
        let text = match value.is_safe() {
            true => text,
            false => self::escape(&text, escape),
        };
        out.write_str(&text).map_err(|_| {
            minijinja::Error::new(
                minijinja::ErrorKind::WriteFailure,
                "the output could not be written",
            )
        })
    });
    env
}

fn syntax(source: &str, e: &minijinja::Error) -> TemplateError {
    let message = match (e.detail(), e.line()) {
        (Some(d), Some(line)) => format!("{d} (line {line})"),
        (Some(d), None) => d.to_string(),
        (None, Some(line)) => format!("{} (line {line})", e.kind()),
        (None, None) => e.kind().to_string(),
    };
    TemplateError::Syntax {
        template: source.to_string(),
        message,
    }
}

impl MessageTemplate {
    /// Parses `source`, accepting only variables in `known` (loop and `set` variables are
    /// the template's own).
    pub fn parse(source: &str, known: &[&str]) -> Result<MessageTemplate, TemplateError> {
        let env = environment(Escape::None);
        let template = env
            .template_from_str(source)
            .map_err(|e| syntax(source, &e))?;
        let mut unknown: Vec<String> = template
            .undeclared_variables(false)
            .into_iter()
            .filter(|name| !known.contains(&name.as_str()))
            .collect();
        unknown.sort();
        if let Some(name) = unknown.into_iter().next() {
            return Err(TemplateError::Unknown {
                name,
                template: source.to_string(),
                known: known.join(", "),
            });
        }
        Ok(MessageTemplate {
            source: source.to_string(),
            known: known.iter().map(|k| k.to_string()).collect(),
        })
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Renders with string `values` (a variable offered but without a value is empty), each
    /// escaped as asked. A template that fails while rendering (a filter given the wrong
    /// kind of value) says so in the text rather than sending nothing.
    pub fn render(&self, values: &BTreeMap<String, String>, escape: Escape) -> String {
        let mut all: BTreeMap<&str, &str> = self.known.iter().map(|k| (k.as_str(), "")).collect();
        all.extend(values.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        self.render_with(&all, escape)
            .unwrap_or_else(|e| format!("(this message's template could not be filled in: {e})"))
    }

    /// Renders with any serializable context (lists and records for loops), escaped as asked.
    pub fn render_with<S: serde::Serialize>(
        &self,
        context: &S,
        escape: Escape,
    ) -> Result<String, TemplateError> {
        let env = environment(escape);
        let template = env
            .template_from_str(&self.source)
            .map_err(|e| syntax(&self.source, &e))?;
        template
            .render(context)
            .map_err(|e| syntax(&self.source, &e))
    }
}

/// `value` escaped as `escape` says (what [`Template::render`] does to each variable).
pub fn escape(value: &str, escape: Escape) -> String {
    let mut out = String::with_capacity(value.len());
    match escape {
        Escape::None => out.push_str(value),
        Escape::Json => json_escape_into(value, &mut out),
        Escape::Html => html_escape_into(value, &mut out),
    }
    out
}

fn html_escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn json_escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["environment", "to_sha", "notes"];

    fn value(name: &str) -> String {
        match name {
            "environment" => "staging".into(),
            "to_sha" => "abc123".into(),
            "notes" => "say \"hi\"\\\n\tbye\u{1}".into(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn renders_and_refuses() {
        let cases: [(&str, Escape, Result<&str, TemplateError>); 8] = [
            ("deploy {{environment}}", Escape::None, Ok("deploy staging")),
            (
                "{{ to_sha }}{{environment}}",
                Escape::None,
                Ok("abc123staging"),
            ),
            ("no variables", Escape::None, Ok("no variables")),
            ("", Escape::None, Ok("")),
            (
                r#"{"notes":"{{notes}}"}"#,
                Escape::Json,
                Ok(r#"{"notes":"say \"hi\"\\\n\tbye\u0001"}"#),
            ),
            (
                "$(rm -rf /) {{environment}}",
                Escape::None,
                Ok("$(rm -rf /) staging"),
            ),
            (
                "{{environmnet}}",
                Escape::None,
                Err(TemplateError::Unknown {
                    name: "environmnet".into(),
                    template: "{{environmnet}}".into(),
                    known: "environment, to_sha, notes".into(),
                }),
            ),
            (
                "deploy {{environment",
                Escape::None,
                Err(TemplateError::Unclosed("deploy {{environment".into())),
            ),
        ];
        for (source, escape, want) in cases {
            let got = Template::parse(source, KNOWN).map(|t| t.render(&value, escape));
            assert_eq!(got.as_deref().map_err(Clone::clone), want, "{source}");
        }
        let err = Template::parse("{{nope}}", KNOWN).unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown variable {{nope}} in \"{{nope}}\"; use one of: environment, to_sha, notes"
        );
    }
}
