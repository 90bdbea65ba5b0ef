/** The words the notification pages use for the core's kinds, channels, parts and deliveries. */
import {
  CHANNEL_KINDS,
  DELIVERY_DIGEST,
  DELIVERY_IMMEDIATE,
  EVENT_KINDS,
  PARTS,
  SEVERITIES,
  type ChannelKind,
  type EventKind,
  type Part,
  type Severity,
} from "../../ipc";

/**
 * A kind or a setting as the core names it (`value`) and as people read it (`label`). The values
 * and their order are the core's (its vocabulary); only the labels are this app's words, and a
 * value without a label fails to compile.
 */
type Named<T extends string> = { value: T; label: string };

function named<T extends string>(values: readonly T[], labels: Record<T, string>): Named<T>[] {
  return values.map((value) => ({ value, label: labels[value] }));
}

/** Whether `word` is one of `values` (a string from a DTO read as the vocabulary's union). */
function isOneOf<T extends string>(values: readonly T[], word: string): word is T {
  return (values as readonly string[]).includes(word);
}

const EVENT_LABEL: Record<EventKind, string> = {
  promoted: "Promoted",
  "rolled-back": "Rolled back",
  held: "Environment held",
  "deployment-failed": "Deployment failed",
  "signoff-needed": "Sign-off needed",
  "request-raised": "Request raised",
  approved: "Request approved",
  "breach-warning": "SLA warning",
  breached: "SLA breached",
  "change-late": "Change waiting too long",
  "follow-up-due": "Follow-up due",
  "follow-up-overdue": "Follow-up overdue",
};

const CHANNEL_LABEL: Record<ChannelKind, string> = {
  email: "Email",
  slack: "Slack",
  teams: "Microsoft Teams",
  webhook: "Webhook (signed)",
  desktop: "Desktop",
};

const PART_LABEL: Record<Part, string> = {
  subject: "Subject",
  text: "Plain text",
  html: "HTML",
  markdown: "Markdown",
  json: "JSON body",
};

/** A severity as a subscription's minimum. */
const SEVERITY_LABEL: Record<Severity, string> = {
  info: "Info and above",
  warning: "Warning and above",
  critical: "Critical only",
};

/** Event kinds in the core's order: shipping, then waiting, then clocks. */
export const EVENT_OPTIONS: Named<EventKind>[] = named(EVENT_KINDS, EVENT_LABEL);

export const CHANNEL_OPTIONS: Named<ChannelKind>[] = named(CHANNEL_KINDS, CHANNEL_LABEL);

/** Minimum severities, least first. */
export const SEVERITY_OPTIONS: Named<Severity>[] = named(SEVERITIES, SEVERITY_LABEL);

export function isEventKind(word: string): word is EventKind {
  return isOneOf(EVENT_KINDS, word);
}

export function isChannelKind(word: string): word is ChannelKind {
  return isOneOf(CHANNEL_KINDS, word);
}

export function isPart(word: string): word is Part {
  return isOneOf(PARTS, word);
}

/** An event kind's label; a kind this app does not know yet is shown as the core names it. */
export function eventLabel(kind: string): string {
  return isEventKind(kind) ? EVENT_LABEL[kind] : kind;
}

export function channelLabel(kind: string): string {
  return isChannelKind(kind) ? CHANNEL_LABEL[kind] : kind;
}

export function partLabel(part: string): string {
  return isPart(part) ? PART_LABEL[part] : part;
}

export function severityLabel(severity: string): string {
  return severity === "" ? "Info" : severity.charAt(0).toUpperCase() + severity.slice(1);
}

/** "1 subscription", "3 subscriptions". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The viewer's IANA zone (`Europe/Berlin`), or UTC when the platform does not say. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** What the core reads as a subscription's delivery: `immediate` or `digest HH:MM Area/City`. */
export function deliveryInput(digest: boolean, at: string, zone: string): string {
  return digest ? `${DELIVERY_DIGEST} ${at} ${zone}` : DELIVERY_IMMEDIATE;
}

/** "Immediately", or "Daily digest at 09:00 (Europe/Berlin)". */
export function deliveryWords(delivery: string): string {
  const [word, at, zone] = delivery.split(/\s+/);
  if (word === DELIVERY_DIGEST && at) return `Daily digest at ${at}${zone ? ` (${zone})` : ""}`;
  return "Immediately";
}
