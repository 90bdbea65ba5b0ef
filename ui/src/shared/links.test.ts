import { describe, expect, it } from "vitest";
import type { LinkDto } from "../ipc";
import { linkPath } from "./links";

describe("links as routes", () => {
  const cases: [LinkDto, string][] = [
    [{ page: "board", request: null }, "/board"],
    [{ page: "inbox", request: null }, "/inbox"],
    [{ page: "requests", request: null }, "/requests"],
    [{ page: "requests", request: 12 }, "/requests/12"],
    [{ page: "notifications", request: null }, "/notifications"],
  ];
  it.each(cases)("%o opens %s", (link, path) => {
    expect(linkPath(link)).toBe(path);
  });

  it("opens a request's page only on the requests page", () => {
    // The core names a request only for request links; elsewhere the page alone counts.
    expect(linkPath({ page: "board", request: 12 })).toBe("/board");
  });
});
