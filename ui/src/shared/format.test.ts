import { describe, expect, it } from "vitest";
import { localDay, localTimes, summarise, whenShort, worstBand } from "./format";
import { board, column, queued } from "../test/fixtures";

describe("worstBand", () => {
  const cases: [string, ReturnType<typeof column>, string | null][] = [
    ["empty queue", column("qa", []), null],
    ["one fresh", column("qa", [queued("a", 60, "fresh")]), "fresh"],
    ["late wins", column("qa", [queued("a", 60, "fresh"), queued("b", 9e5, "late"), queued("c", 9e4, "aging")]), "late"],
  ];
  it.each(cases)("%s", (_name, col, want) => expect(worstBand(col)).toBe(want));
});

describe("summarise", () => {
  it("counts every queue and finds the longest wait", () => {
    const b = board();
    expect(summarise(b.projects[0])).toEqual({ waiting: 3, oldest: { environment: "staging", age: "2 d" } });
  });
});

describe("whenShort", () => {
  const now = new Date("2026-11-23T15:00:00");
  it("shows a time for today and a date for long ago", () => {
    expect(whenShort(new Date("2026-11-23T10:07:00").toISOString(), now)).toMatch(/10.07/);
    expect(whenShort(new Date("2026-10-02T10:07:00").toISOString(), now)).toMatch(/2/);
    expect(whenShort(new Date("2023-11-21T10:07:00").toISOString(), now)).toMatch(/2023/);
    expect(whenShort(new Date("2026-10-02T10:07:00").toISOString(), now)).not.toMatch(/2026/);
  });

  it("shows a weekday only for days near now, ahead as well as behind", () => {
    const thursday = new Date("2026-11-26T17:00:00");
    const weekday = thursday.toLocaleDateString(undefined, { weekday: "short" });
    expect(whenShort(thursday.toISOString(), now)).toContain(weekday);
    const later = whenShort(new Date("2026-12-18T17:00:00").toISOString(), now);
    expect(later).not.toContain(new Date("2026-12-18T17:00:00").toLocaleDateString(undefined, { weekday: "short" }));
    expect(later).toMatch(/18/);
  });
});

describe("localDay", () => {
  it("is the instant's day in the viewer's zone, as a date input holds it", () => {
    expect(localDay(new Date("2026-11-26T17:00:00").toISOString())).toBe("2026-11-26");
    expect(localDay(new Date("2027-01-02T00:30:00").toISOString())).toBe("2027-01-02");
    expect(localDay("not a time")).toBe("");
  });
});

describe("localTimes", () => {
  it("writes the instants in a sentence from the core as the board writes times, and leaves the rest", () => {
    const now = new Date("2026-11-23T15:00:00");
    const at = new Date("2026-11-23T10:07:00").toISOString().replace(".000Z", "Z");
    const said = localTimes(`promote by bo@x since ${at}`, now);
    expect(said).toMatch(/^promote by bo@x since 10.07/);
    expect(said).not.toContain("2026-11-23T");
    expect(localTimes("no time here", now)).toBe("no time here");
  });
});
