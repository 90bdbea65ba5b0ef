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

/** The query that asks a request's page to make "I'm on it" ready (an acknowledge link's). */
export const ACK_READY = "ack";

/**
 * The route a link opens. The core reads `slipway://` links (a notice's, the tray's, one from
 * outside the app) into a `LinkDto`; this only says where each of its pages lives
 * (`{requests, 12}` is `/requests/12`, with `?ack=1` when the link acknowledges its breach;
 * `{follow_ups, 3}` is `/follow-ups/3`).
 */
export function linkPath(link: LinkDto): string {
  switch (link.page) {
    case "board":
      return PAGE_PATH.board;
    case "inbox":
      return PAGE_PATH.inbox;
    case "requests":
      if (link.request === null) return PAGE_PATH.requests;
      return `${PAGE_PATH.requests}/${link.request}${link.acknowledge ? `?${ACK_READY}=1` : ""}`;
    case "follow_ups":
      return link.follow_up !== null ? `${PAGE_PATH.follow_ups}/${link.follow_up}` : PAGE_PATH.follow_ups;
    case "notifications":
      return PAGE_PATH.notify;
    default:
      return unreachable(link.page);
  }
}

/** Whether `path` is one of the app's pages (a kept last page is opened only then). */
export function isAppPage(path: string): boolean {
  return Object.values(PAGE_PATH).some((p) => path === p || path.startsWith(`${p}/`));
}
