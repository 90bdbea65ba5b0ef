import { call } from "./call";
import { read } from "./query";
import type { InboxItemDto, SignoffInputDto } from "./types.gen";

/** Holds, sign-offs and bad marks: what stands between a change and an environment (follow-ups are `followUps`). */
export const gates = {
  hold: (project: string, environment: string, reason: string) => call<null>("hold", { project, environment, reason }),
  unhold: (project: string, environment: string) => call<null>("unhold", { project, environment }),
  signoff: (input: SignoffInputDto) => call<null>("signoff", { input }),
  /** Changes waiting for the viewer's sign-off, oldest first. */
  inbox: () => call<InboxItemDto[]>("inbox"),
  /** Marks a change bad with a reason, or unmarks it with null. */
  markBad: (project: string, sha: string, reason: string | null) => call<null>("mark_bad", { project, sha, reason }),
};

/** How often the inbox (and its count in the navigation) is read again. */
export const INBOX_REFRESH_MS = 60_000;

export const gateKeys = { inbox: ["gates", "inbox"] as const };

export const inboxQuery = read(gateKeys.inbox, gates.inbox, INBOX_REFRESH_MS);
