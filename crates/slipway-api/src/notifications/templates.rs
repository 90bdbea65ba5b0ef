//! Message templates per event kind and part: the built-in ones and a workspace's own,
//! checked when saved.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use slipway_core::notify::{
    check_template, default_template, render, ChannelKind, EventKind, Part,
};
use slipway_core::{Clock, MessageTemplate};
use slipway_store::StoredTemplate;
use ts_rs::TS;

use crate::error::{invalid, not_found, rule_error, ApiError};
use crate::workspace::Workspace;

use super::words::{channel_kind, event_kind, part};

/// One template: the workspace's own, or the built-in one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateDto {
    /// The event kind.
    pub kind: String,
    /// The channel kind.
    pub channel_kind: String,
    /// The part (`subject`, `text`, `html`, `markdown`, `json`).
    pub part: String,
    /// The text.
    pub body: String,
    /// Whether the workspace changed it.
    pub custom: bool,
    /// The variables it may use.
    pub variables: Vec<String>,
}

/// A template to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TemplateInputDto {
    /// The event kind.
    pub kind: String,
    /// The channel kind.
    pub channel_kind: String,
    /// The part.
    pub part: String,
    /// The text; `{{variable}}` placeholders must be the kind's.
    pub body: String,
}

/// Every built-in template, parsed once.
pub(crate) static BUILT_IN: LazyLock<HashMap<(EventKind, Part), MessageTemplate>> =
    LazyLock::new(|| {
        let mut all = HashMap::new();
        for kind in EventKind::ALL {
            for part in Part::ALL {
                let parsed =
                    MessageTemplate::parse(default_template(*kind, *part), &kind.variables())
                        .expect("built-in templates are tested");
                all.insert((*kind, *part), parsed);
            }
        }
        all
    });

/// The templates in force: the workspace's own (checked when they were saved), else the
/// built-in ones.
#[derive(Default, Clone)]
pub(crate) struct Templates {
    pub(crate) own: HashMap<(EventKind, ChannelKind, Part), MessageTemplate>,
}

impl Templates {
    pub(crate) async fn load(ws: &Workspace) -> Result<Templates, ApiError> {
        let mut own = HashMap::new();
        for t in ws.store().templates().await? {
            // Saved templates were checked; one that no longer checks (a variable was
            // renamed) falls back to the built-in one rather than failing every delivery.
            match check_template(t.kind, t.channel, t.part, &t.body) {
                Ok(parsed) => {
                    own.insert((t.kind, t.channel, t.part), parsed);
                }
                Err(e) => tracing::warn!(error = %e, "a saved template no longer checks"),
            }
        }
        Ok(Templates { own })
    }

    pub(crate) fn get(
        &self,
        kind: EventKind,
        channel: ChannelKind,
        part: Part,
    ) -> &MessageTemplate {
        self.own
            .get(&(kind, channel, part))
            .unwrap_or_else(|| &BUILT_IN[&(kind, part)])
    }
}

/// Saves a template, checking it first: an unknown variable is refused now, not at send time.
pub async fn save_template(
    ws: &Workspace,
    input: &TemplateInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<TemplateDto, ApiError> {
    let kind = event_kind(&input.kind)?;
    let channel = channel_kind(&input.channel_kind)?;
    let part = part(&input.part)?;
    let parsed = check_template(kind, channel, part, &input.body).map_err(rule_error)?;
    if part == Part::Json {
        // A JSON template must stay JSON whatever the values are.
        let sample: BTreeMap<String, String> = kind
            .variables()
            .iter()
            .map(|v| (v.to_string(), "sample \"quoted\" \\ value".to_string()))
            .collect();
        let rendered = render(&parsed, &sample, part);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&rendered) {
            return Err(invalid(format!(
                "The json template does not produce JSON: {e}; put variables inside strings (\"{{{{title}}}}\")."
            )));
        }
    }
    ws.store()
        .set_template(&StoredTemplate {
            kind,
            channel,
            part,
            body: input.body.clone(),
            updated_at: clock.now().timestamp(),
            updated_by: by.to_string(),
        })
        .await?;
    Ok(TemplateDto {
        kind: kind.as_str().into(),
        channel_kind: channel.as_str().into(),
        part: part.as_str().into(),
        body: input.body.clone(),
        custom: true,
        variables: kind.variables().iter().map(|v| v.to_string()).collect(),
    })
}

/// Goes back to the built-in template.
pub async fn reset_template(
    ws: &Workspace,
    kind: &str,
    channel_kind_word: &str,
    part_word: &str,
) -> Result<(), ApiError> {
    ws.store()
        .reset_template(
            event_kind(kind)?,
            channel_kind(channel_kind_word)?,
            part(part_word)?,
        )
        .await?;
    Ok(())
}

/// Every template in force, for every event kind, channel kind and part.
/// The template in force for one event kind, channel kind and part (the words people type:
/// a word that names none is refused with the words there are).
pub async fn template(
    ws: &Workspace,
    kind: &str,
    channel_kind_word: &str,
    part_word: &str,
) -> Result<TemplateDto, ApiError> {
    let kind = event_kind(kind)?;
    let channel = channel_kind(channel_kind_word)?;
    let Some(part) = Part::parse(part_word).filter(|p| channel.parts().contains(p)) else {
        return Err(invalid(format!(
            "“{}” is not a part of {} messages; use one of: {}.",
            part_word.trim(),
            channel.as_str(),
            channel
                .parts()
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    templates(ws)
        .await?
        .into_iter()
        .find(|t| {
            t.kind == kind.as_str() && t.channel_kind == channel.as_str() && t.part == part.as_str()
        })
        .ok_or_else(|| {
            not_found(format!(
                "There is no {} {} {} template.",
                kind.as_str(),
                channel.as_str(),
                part.as_str()
            ))
        })
}

/// The templates in force for one event kind and/or one channel kind (a word that names
/// none is refused with the words there are); every template without either.
pub async fn templates_of(
    ws: &Workspace,
    kind: Option<&str>,
    channel_kind_word: Option<&str>,
) -> Result<Vec<TemplateDto>, ApiError> {
    let kind = kind.map(event_kind).transpose()?;
    let channel = channel_kind_word.map(channel_kind).transpose()?;
    Ok(templates(ws)
        .await?
        .into_iter()
        .filter(|t| {
            kind.is_none_or(|k| t.kind == k.as_str())
                && channel.is_none_or(|c| t.channel_kind == c.as_str())
        })
        .collect())
}

/// Every template in force: the workspace's own, else the built-in one.
pub async fn templates(ws: &Workspace) -> Result<Vec<TemplateDto>, ApiError> {
    let own: HashMap<(EventKind, ChannelKind, Part), String> = ws
        .store()
        .templates()
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.channel, t.part), t.body))
        .collect();
    let mut out = Vec::new();
    for kind in EventKind::ALL {
        for channel in ChannelKind::ALL {
            for part in channel.parts() {
                let custom = own.get(&(*kind, *channel, *part));
                out.push(TemplateDto {
                    kind: kind.as_str().into(),
                    channel_kind: channel.as_str().into(),
                    part: part.as_str().into(),
                    body: custom
                        .cloned()
                        .unwrap_or_else(|| default_template(*kind, *part).to_string()),
                    custom: custom.is_some(),
                    variables: kind.variables().iter().map(|v| v.to_string()).collect(),
                });
            }
        }
    }
    Ok(out)
}
