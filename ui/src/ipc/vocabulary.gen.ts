// Generated from slipway-core's vocabulary by `make bindings`. Do not edit.

/** Each age band's span, from the core's thresholds. */
export const AGE_BAND_SPAN = {
  fresh: "under 4 h",
  waiting: "4 h – 1 d",
  aging: "1 – 3 d",
  late: "3 d or more",
} as const;

/** Every event kind a subscription can ask for. */
export const EVENT_KINDS = ["promoted", "rolled-back", "held", "deployment-failed", "signoff-needed", "request-raised", "approved", "breach-warning", "breached", "change-late", "follow-up-due", "follow-up-overdue"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Every kind of channel. */
export const CHANNEL_KINDS = ["email", "slack", "teams", "webhook", "desktop"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Every message part. */
export const PARTS = ["subject", "text", "html", "markdown", "json"] as const;
export type Part = (typeof PARTS)[number];

/** Severities, least first (a subscription's minimum). */
export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The parts each channel's messages have. */
export const CHANNEL_PARTS: Record<ChannelKind, readonly Part[]> = {
  email: ["subject", "text", "html"],
  slack: ["markdown"],
  teams: ["markdown"],
  webhook: ["json"],
  desktop: ["subject", "text"],
};

/** How a subscription is delivered: `immediate`, or `digest HH:MM Area/City`. */
export const DELIVERY_IMMEDIATE = "immediate";
export const DELIVERY_DIGEST = "digest";
