/** The words the notification pages use for the core's kinds, channels, parts and deliveries. */

/** Event kinds in the order people think of them: shipping, then waiting, then clocks. */
export const EVENT_KINDS: { kind: string; label: string }[] = [
  { kind: "promoted", label: "Promoted" },
  { kind: "rolled-back", label: "Rolled back" },
  { kind: "held", label: "Environment held" },
  { kind: "deployment-failed", label: "Deployment failed" },
  { kind: "signoff-needed", label: "Sign-off needed" },
  { kind: "request-raised", label: "Request raised" },
  { kind: "approved", label: "Request approved" },
  { kind: "breach-warning", label: "SLA warning" },
  { kind: "breached", label: "SLA breached" },
  { kind: "change-late", label: "Change waiting too long" },
];

export const CHANNEL_KINDS: { kind: string; label: string }[] = [
  { kind: "email", label: "Email" },
  { kind: "slack", label: "Slack" },
  { kind: "teams", label: "Microsoft Teams" },
  { kind: "webhook", label: "Webhook (signed)" },
  { kind: "desktop", label: "Desktop" },
];

const PARTS: Record<string, string> = {
  subject: "Subject",
  text: "Plain text",
  html: "HTML",
  markdown: "Markdown",
  json: "JSON body",
};

export const SEVERITIES: { severity: string; label: string }[] = [
  { severity: "info", label: "Info and above" },
  { severity: "warning", label: "Warning and above" },
  { severity: "critical", label: "Critical only" },
];

export function eventLabel(kind: string): string {
  return EVENT_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export function channelLabel(kind: string): string {
  return CHANNEL_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export function partLabel(part: string): string {
  return PARTS[part] ?? part;
}

export function severityLabel(severity: string): string {
  return severity === "" ? "Info" : severity.charAt(0).toUpperCase() + severity.slice(1);
}

/** The viewer's IANA zone (`Europe/Berlin`), or UTC when the platform does not say. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** What the core reads as a subscription's delivery: `immediate` or `digest HH:MM Area/City`. */
export function deliveryInput(digest: boolean, at: string, zone: string): string {
  return digest ? `digest ${at} ${zone.trim()}` : "immediate";
}

/** "Immediately", or "Daily digest at 09:00 (Europe/Berlin)". */
export function deliveryWords(delivery: string): string {
  const [word, at, zone] = delivery.split(/\s+/);
  if (word === "digest" && at) return `Daily digest at ${at}${zone ? ` (${zone})` : ""}`;
  return "Immediately";
}
