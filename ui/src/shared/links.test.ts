import { describe, expect, it } from "vitest";
import type { LinkDto } from "../ipc";
import { linkPath } from "./links";

const to = (page: LinkDto["page"], over: Partial<LinkDto> = {}): LinkDto => ({ page, request: null, follow_up: null, acknowledge: false, ...over });

describe("links as routes", () => {
  const cases: [LinkDto, string][] = [
    [to("board"), "/board"],
    [to("inbox"), "/inbox"],
    [to("requests"), "/requests"],
    [to("requests", { request: 12 }), "/requests/12"],
    [to("requests", { request: 12, acknowledge: true }), "/requests/12?ack=1"],
    [to("notifications"), "/notifications"],
    [to("follow_ups"), "/follow-ups"],
    [to("follow_ups", { follow_up: 3 }), "/follow-ups/3"],
  ];
  it.each(cases)("%o opens %s", (link, path) => {
    expect(linkPath(link)).toBe(path);
  });

  it("opens a request's or a follow-up's page only on its own page", () => {
    // The core names a request only for request links, a follow-up only for follow-up links;
    // elsewhere the page alone counts.
    expect(linkPath(to("board", { request: 12 }))).toBe("/board");
    expect(linkPath(to("requests", { follow_up: 3 }))).toBe("/requests");
    expect(linkPath(to("follow_ups", { request: 12 }))).toBe("/follow-ups");
  });
});
