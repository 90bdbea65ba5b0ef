//! Messages: the built-in template of every event kind and part, checking a workspace's own
//! template, the values an event offers, and rendering (a digest line too).

use std::collections::BTreeMap;

use crate::template::MessageTemplate;

use super::{ChannelKind, Event, EventKind, NotifyRuleError, Part};

/// The built-in template of `kind`'s `part`.
pub fn default_template(kind: EventKind, part: Part) -> &'static str {
    use EventKind as K;
    match (part, kind) {
        (Part::Subject, _) => "[{{project}}] {{title}}",
        (Part::Json, _) => DEFAULT_JSON,
        (Part::Text, K::Promoted) => {
            "{{title}}\n\nBy {{actor}} at {{at}}. {{changes}}\n\nRelease notes:\n{{release_notes}}\n\nOpen in Slipway: {{link}}\n"
        }
        (Part::Html, K::Promoted) => {
            "<p><strong>{{title}}</strong></p><p>By {{actor}} at {{at}}. {{changes}}</p><h3>Release notes</h3><pre>{{release_notes}}</pre><p><a href=\"{{link}}\">Open in Slipway</a></p>"
        }
        (Part::Markdown, K::Promoted) => {
            "*{{title}}*\nBy {{actor}} · {{changes}}\n```\n{{release_notes}}\n```\n<{{link}}|Open in Slipway>"
        }
        (Part::Text, K::BreachWarning | K::Breached | K::ChangeLate) => {
            "{{title}}\n\n{{threshold}}. When you are on it, acknowledge to stop the reminders: {{ack_link}}\n\nOpen in Slipway: {{link}}\n"
        }
        (Part::Html, K::BreachWarning | K::Breached | K::ChangeLate) => {
            "<p><strong>{{title}}</strong></p><p>{{threshold}}.</p><p><a href=\"{{ack_link}}\">I'm on it</a> · <a href=\"{{link}}\">Open in Slipway</a></p>"
        }
        (Part::Markdown, K::BreachWarning | K::Breached | K::ChangeLate) => {
            "*{{title}}*\n{{threshold}} · {{chat_handle}}\n<{{ack_link}}|I'm on it> · <{{link}}|Open in Slipway>"
        }
        (Part::Text, K::FollowUpDue | K::FollowUpOverdue) => {
            "{{title}}\n\n{{follow_up_title}}: {{standing}} (due {{due_at}}). You own it; close it as done or won't do in Slipway to stop these reminders.\n\nOpen in Slipway: {{link}}\n"
        }
        (Part::Html, K::FollowUpDue | K::FollowUpOverdue) => {
            "<p><strong>{{title}}</strong></p><p>{{follow_up_title}}: {{standing}} (due {{due_at}}). You own it.</p><p><a href=\"{{link}}\">Open in Slipway</a></p>"
        }
        (Part::Markdown, K::FollowUpDue | K::FollowUpOverdue) => {
            "*{{title}}*\n{{follow_up_title}}: {{standing}} · {{owner}}\n<{{link}}|Open in Slipway>"
        }
        (Part::Text, _) => "{{title}}\n\nBy {{actor}} at {{at}}.\n\nOpen in Slipway: {{link}}\n",
        (Part::Html, _) => {
            "<p><strong>{{title}}</strong></p><p>By {{actor}} at {{at}}.</p><p><a href=\"{{link}}\">Open in Slipway</a></p>"
        }
        (Part::Markdown, _) => "*{{title}}*\nBy {{actor}} · <{{link}}|Open in Slipway>",
    }
}

const DEFAULT_JSON: &str = r#"{"event":"{{kind}}","id":"{{event_id}}","severity":"{{severity}}","project":"{{project}}","environment":"{{environment}}","title":"{{title}}","actor":"{{actor}}","at":"{{at}}","link":"{{link}}","thread":"{{thread}}","recipient":"{{recipient}}"}"#;

/// A template checked against `kind`'s variables, for `channel`'s `part`.
pub fn check_template(
    kind: EventKind,
    channel: ChannelKind,
    part: Part,
    source: &str,
) -> Result<MessageTemplate, NotifyRuleError> {
    if !channel.parts().contains(&part) {
        return Err(NotifyRuleError::Part {
            channel: channel.as_str(),
            part: part.as_str(),
            have: channel
                .parts()
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    MessageTemplate::parse(source, &kind.variables()).map_err(|error| NotifyRuleError::Template {
        kind: kind.as_str(),
        part: part.as_str(),
        error,
    })
}

/// The values an event's templates are filled with, for one recipient.
pub fn values(
    event: &Event,
    event_id: i64,
    recipient: &str,
    recipient_name: &str,
    chat_handle: &str,
) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let mut put = |k: &str, val: String| {
        v.insert(k.to_string(), val);
    };
    put("kind", event.kind.as_str().to_string());
    put("severity", event.severity.as_str().to_string());
    put("title", event.title.clone());
    put("project", event.project.clone());
    put("environment", event.environment.clone().unwrap_or_default());
    put("actor", event.actor.clone());
    put("at", event.at.format("%Y-%m-%d %H:%M UTC").to_string());
    put("link", link(event));
    put("recipient", recipient.to_string());
    put("recipient_name", recipient_name.to_string());
    put("chat_handle", chat_handle.to_string());
    put("event_id", event_id.to_string());
    put("thread", event.thread.clone());
    for (k, val) in &event.values {
        v.insert(k.clone(), val.clone());
    }
    v
}

/// The `slipway://` link back into the app for an event's thread.
pub fn link(event: &Event) -> String {
    format!("slipway://{}", event.thread)
}

/// Renders `template` with `values` (a variable without a value renders empty).
pub fn render(template: &MessageTemplate, values: &BTreeMap<String, String>, part: Part) -> String {
    template.render(values, part.escape())
}

/// One line of a daily digest.
pub fn digest_line(event: &Event) -> String {
    format!(
        "{} · {} · {}",
        event.at.format("%H:%M UTC"),
        event.kind.as_str(),
        event.title
    )
}
