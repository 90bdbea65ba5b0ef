//! The words people type for kinds, parts and severities, read or refused with the list.

use slipway_core::notify::{ChannelKind, EventKind, Part};

use crate::error::{invalid, ApiError};

/// Reads one of an enum's words, or says which words there are.
pub(crate) fn word<T>(
    word: &str,
    parse: fn(&str) -> Option<T>,
    names: fn() -> String,
    what: &str,
) -> Result<T, ApiError> {
    parse(word).ok_or_else(|| invalid(format!("“{word}” is not {what}; use one of: {}.", names())))
}

pub(crate) fn channel_kind(w: &str) -> Result<ChannelKind, ApiError> {
    word(w, ChannelKind::parse, ChannelKind::names, "a channel kind")
}

pub(crate) fn event_kind(w: &str) -> Result<EventKind, ApiError> {
    word(w, EventKind::parse, EventKind::names, "an event kind")
}

pub(crate) fn part(w: &str) -> Result<Part, ApiError> {
    word(w, Part::parse, Part::names, "a message part")
}
