import { describe, expect, it } from "vitest";
import { linkPath } from "./links";

describe("links as routes", () => {
  it.each([
    ["slipway://inbox", "/inbox"],
    ["slipway://request/12", "/requests/12"],
    ["slipway://requests/12", "/requests/12"],
    ["slipway://requests", "/requests"],
    ["slipway://promotion/7", "/board"],
    ["slipway://board/payments/staging", "/board"],
    ["slipway://ack/cr/12/approve", "/requests/12"],
    ["slipway://ack/age/payments/staging/abcd", "/board"],
    ["slipway://outbox", "/notifications"],
  ])("%s opens %s", (link, path) => {
    expect(linkPath(link)).toBe(path);
  });

  it("leaves the app where it is for anything else", () => {
    expect(linkPath("https://example.com")).toBeNull();
    expect(linkPath("slipway://nowhere")).toBeNull();
  });
});
