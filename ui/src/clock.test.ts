import { describe, expect, it } from "vitest";
import { clockTone, frozenWhy, goalWords, liveValues, remainingWords, span, spanToTheSecond } from "./clock";
import { clock } from "./fixtures";

describe("span", () => {
  const cases: [number, boolean, string][] = [
    [0, false, "0 s"],
    [42, false, "42 s"],
    [60, false, "1 m"],
    [845, false, "14 m 5 s"],
    [3600, false, "1 h"],
    [8040, false, "2 h 14 m"],
    [30 * 3600, false, "30 h"],
    [30 * 3600, true, "1 d 6 h"],
    [2 * 86_400, true, "2 d"],
    [-2100, false, "35 m"],
  ];
  it.each(cases)("%i s (days: %s) is %s", (seconds, days, want) => expect(span(seconds, { days })).toBe(want));
});

describe("spanToTheSecond", () => {
  const cases: [number, boolean, string][] = [
    [0, false, "0 s"],
    [8040, false, "2 h 14 m"],
    [8039, false, "2 h 13 m 59 s"],
    [7205, false, "2 h 0 m 5 s"],
    [7200, false, "2 h"],
    [59, false, "59 s"],
    [90_061, true, "1 d 1 h 1 m"],
    [90_061, false, "25 h 1 m 1 s"],
  ];
  it.each(cases)("%i s (days: %s) is %s", (seconds, days, want) => expect(spanToTheSecond(seconds, { days })).toBe(want));
});

describe("countdown words", () => {
  it("says what is left, or how long ago the goal ran out", () => {
    const c = clock(0);
    expect(remainingWords(c, 8040)).toBe("2 h 14 m left");
    expect(remainingWords(c, 8039)).toBe("2 h 13 m 59 s left");
    expect(remainingWords(c, -2100)).toBe("breached 35 m ago");
    expect(remainingWords({ ...c, breached: true }, 0)).toBe("breached just now");
  });

  it("rounds a frozen clock to the minute", () => {
    expect(remainingWords(clock(0, 100, { running_now: false, paused: true }), 8039)).toBe("2 h 13 m left");
  });

  it("says why a clock stands still", () => {
    expect(frozenWhy(clock(0))).toBeNull();
    expect(frozenWhy(clock(0, 100, { running_now: false, paused: true }))).toBe("paused");
    expect(frozenWhy(clock(0, 100, { running_now: false, stopped: true }))).toBe("stopped");
    expect(frozenWhy(clock(0, 100, { running_now: false }))).toBe("outside business hours");
  });

  it("names the goal in business time unless the calendar is 24×7", () => {
    expect(goalWords(clock(0, 28_800))).toBe("8 h of business time");
    expect(goalWords(clock(0, 86_400, { calendar: "24x7" }))).toBe("1 d");
  });
});

describe("clockTone", () => {
  const cases: [number, boolean, string][] = [
    [10, false, "calm"],
    [49.9, false, "calm"],
    [50, false, "warn"],
    [75, false, "warn-strong"],
    [99, false, "warn-strong"],
    [100, false, "breach"],
    [20, true, "breach"],
  ];
  it.each(cases)("%f %% (breached: %s) is %s", (percent, breached, want) => expect(clockTone(percent, breached)).toBe(want));
});

describe("liveValues", () => {
  it("moves a running clock on and breaches it when the goal runs out", () => {
    const c = clock(3590, 3600);
    expect(liveValues(c, 0)).toEqual({ elapsed: 3590, remaining: 10, percent: c.percent, breached: false });
    const later = liveValues(c, 20);
    expect(later.remaining).toBe(-10);
    expect(later.breached).toBe(true);
    expect(later.percent).toBeCloseTo(100.28, 1);
  });
});
