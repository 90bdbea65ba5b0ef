/** Where a `slipway://` link (from a notification, the tray, a desktop notice) goes in the app. */
export type LinkTarget = { tab: "board" | "inbox" | "requests" | "notify"; request?: number };

/**
 * Reads `slipway://inbox`, `slipway://request/12`, `slipway://promotion/7`,
 * `slipway://board/payments/staging`, `slipway://ack/<clock key>` and `slipway://outbox`.
 * A clock key names its request (`cr/12/approve`) or its queued change (`age/payments/…`).
 * Anything else is null: the app stays where it is.
 */
export function linkTarget(link: string): LinkTarget | null {
  const match = /^slipway:\/\/(.*)$/.exec(link.trim());
  if (!match) return null;
  const parts = match[1].split("/").filter((p) => p !== "");
  const [head, ...rest] = parts;
  const request = (word: string | undefined): LinkTarget => {
    const id = Number(word);
    return Number.isInteger(id) && id > 0 ? { tab: "requests", request: id } : { tab: "requests" };
  };
  switch (head) {
    case "inbox":
      return { tab: "inbox" };
    case "request":
    case "requests":
      return request(rest[0]);
    case "promotion":
    case "board":
    case "deployment":
      return { tab: "board" };
    case "outbox":
    case "notify":
    case "notifications":
      return { tab: "notify" };
    case "ack":
      if (rest[0] === "cr") return request(rest[1]);
      return { tab: "board" };
    default:
      return null;
  }
}

/** The app's top-level pages. */
export type Page = LinkTarget["tab"] | "aging";

/** Each page's route; a request's page is `/requests/<id>`. */
export const PAGE_PATH: Record<Page, string> = {
  board: "/board",
  inbox: "/inbox",
  requests: "/requests",
  aging: "/aging",
  notify: "/notifications",
};

/** The route a `slipway://` link opens (`slipway://request/12` is `/requests/12`), or null: the app stays where it is. */
export function linkPath(link: string): string | null {
  const target = linkTarget(link);
  if (!target) return null;
  return target.request !== undefined ? `${PAGE_PATH.requests}/${target.request}` : PAGE_PATH[target.tab];
}
