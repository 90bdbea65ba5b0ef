import type { LinkDto } from "../ipc";
import { unreachable } from "./never";

/** The app's top-level pages (the navigation's tabs). */
export type Page = "board" | "inbox" | "requests" | "follow_ups" | "aging" | "metrics" | "notify" | "settings";

/** What to bring into view on the board when a route leads there (the palette's hits). */
export type Focus = { project: string; environment: string | null; sha: string | null };

/** Each page's route; a request's page is `/requests/<id>`, a follow-up's `/follow-ups/<id>`. */
export const PAGE_PATH: Record<Page, string> = {
  board: "/board",
  inbox: "/inbox",
  requests: "/requests",
  follow_ups: "/follow-ups",
  aging: "/aging",
  metrics: "/metrics",
  notify: "/notifications",
  settings: "/settings",
};

/**
 * The route a link opens. The core reads `slipway://` links (a notice's, the tray's) into a
 * `LinkDto`; this only says where each of its pages lives (`{requests, 12}` is `/requests/12`,
 * `{follow_ups, 3}` is `/follow-ups/3`).
 */
export function linkPath(link: LinkDto): string {
  switch (link.page) {
    case "board":
      return PAGE_PATH.board;
    case "inbox":
      return PAGE_PATH.inbox;
    case "requests":
      return link.request !== null ? `${PAGE_PATH.requests}/${link.request}` : PAGE_PATH.requests;
    case "follow_ups":
      return link.follow_up !== null ? `${PAGE_PATH.follow_ups}/${link.follow_up}` : PAGE_PATH.follow_ups;
    case "notifications":
      return PAGE_PATH.notify;
    default:
      return unreachable(link.page);
  }
}
