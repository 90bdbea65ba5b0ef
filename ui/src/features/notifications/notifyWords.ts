/** The words the notification pages use for the core's kinds, channels, parts and deliveries. */

/** A kind or a setting as the core names it (`value`) and as people read it (`label`). */
type Named = { value: string; label: string };

/** Event kinds in the order people think of them: shipping, then waiting, then clocks. */
export const EVENT_KINDS: Named[] = [
  { value: "promoted", label: "Promoted" },
  { value: "rolled-back", label: "Rolled back" },
  { value: "held", label: "Environment held" },
  { value: "deployment-failed", label: "Deployment failed" },
  { value: "signoff-needed", label: "Sign-off needed" },
  { value: "request-raised", label: "Request raised" },
  { value: "approved", label: "Request approved" },
  { value: "breach-warning", label: "SLA warning" },
  { value: "breached", label: "SLA breached" },
  { value: "change-late", label: "Change waiting too long" },
];

export const CHANNEL_KINDS: Named[] = [
  { value: "email", label: "Email" },
  { value: "slack", label: "Slack" },
  { value: "teams", label: "Microsoft Teams" },
  { value: "webhook", label: "Webhook (signed)" },
  { value: "desktop", label: "Desktop" },
];

const PARTS: Record<string, string> = {
  subject: "Subject",
  text: "Plain text",
  html: "HTML",
  markdown: "Markdown",
  json: "JSON body",
};

export const SEVERITIES: Named[] = [
  { value: "info", label: "Info and above" },
  { value: "warning", label: "Warning and above" },
  { value: "critical", label: "Critical only" },
];

export function eventLabel(kind: string): string {
  return EVENT_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function channelLabel(kind: string): string {
  return CHANNEL_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function partLabel(part: string): string {
  return PARTS[part] ?? part;
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
  return digest ? `digest ${at} ${zone}` : "immediate";
}

/** "Immediately", or "Daily digest at 09:00 (Europe/Berlin)". */
export function deliveryWords(delivery: string): string {
  const [word, at, zone] = delivery.split(/\s+/);
  if (word === "digest" && at) return `Daily digest at ${at}${zone ? ` (${zone})` : ""}`;
  return "Immediately";
}
