import type { Page } from "../../shared/links";

/** What a key does: go to a page, refresh, open the palette or this list. */
export type Command = { kind: "go"; page: Page } | { kind: "refresh" } | { kind: "palette" } | { kind: "help" };

/** Every shortcut; the handler and the `?` list both read this table, so they cannot disagree. */
export const SHORTCUTS: { keys: string[]; label: string; command: Command }[] = [
  { keys: ["Ctrl", "K"], label: "Find a project, environment, change or request", command: { kind: "palette" } },
  { keys: ["g", "b"], label: "Board", command: { kind: "go", page: "board" } },
  { keys: ["g", "i"], label: "Inbox", command: { kind: "go", page: "inbox" } },
  { keys: ["g", "r"], label: "Requests", command: { kind: "go", page: "requests" } },
  { keys: ["g", "f"], label: "Follow-ups", command: { kind: "go", page: "follow_ups" } },
  { keys: ["g", "a"], label: "Aging", command: { kind: "go", page: "aging" } },
  { keys: ["g", "n"], label: "Notifications", command: { kind: "go", page: "notify" } },
  { keys: ["g", "s"], label: "Settings", command: { kind: "go", page: "settings" } },
  { keys: ["r"], label: "Refresh", command: { kind: "refresh" } },
  { keys: ["?"], label: "Show these shortcuts", command: { kind: "help" } },
];

/** Whether a key press is typing (into a field), which no shortcut but the palette's takes. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Reads key presses into commands: `pending` is the first key of a two-key shortcut pressed
 * just before (`g`). Answers the command, or the key to wait on for the second press.
 */
export function commandFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, pending: string | null): Command | { kind: "wait"; key: string } | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") return { kind: "palette" };
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  for (const s of SHORTCUTS) {
    if (s.keys[0] === "Ctrl") continue;
    if (s.keys.length === 2 && pending === s.keys[0] && e.key === s.keys[1]) return s.command;
    if (s.keys.length === 1 && pending === null && e.key === s.keys[0]) return s.command;
  }
  if (pending === null && SHORTCUTS.some((s) => s.keys.length === 2 && s.keys[0] === e.key)) return { kind: "wait", key: e.key };
  return null;
}
