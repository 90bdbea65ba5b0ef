import { afterEach, describe, expect, it, vi } from "vitest";
import { breachedCount, clockTone, frozenWhy, goalWords, lateCount, liveValues, onEverySecond, remainingWords, span } from "./clock";
import { clock, request } from "../test/fixtures";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("span", () => {
  const cases: [number, boolean, string][] = [
    [0, false, "0 s"],
    [42, false, "42 s"],
    [60, false, "1 min"],
    [845, false, "14 min 5 s"],
    [3600, false, "1 h"],
    [5 * 3600 + 12 * 60, false, "5 h 12 min"],
    [8039, false, "2 h 13 min"],
    [30 * 3600, false, "30 h"],
    [30 * 3600, true, "1 d 6 h"],
    [2 * 86_400, true, "2 d"],
  ];
  it.each(cases)("%i s (days: %s) is %s", (seconds, days, want) => expect(span(seconds, { days })).toBe(want));

  const precise: [number, boolean, string][] = [
    [0, false, "0 s"],
    [59, false, "59 s"],
    [8040, false, "2 h 14 min"],
    [8039, false, "2 h 13 min 59 s"],
    [7205, false, "2 h 0 min 5 s"],
    [7200, false, "2 h"],
    [7195, false, "1 h 59 min 55 s"],
    [90_061, true, "1 d 1 h 1 min"],
    [90_061, false, "25 h 1 min 1 s"],
  ];
  it.each(precise)("%i s (days: %s) to the second is %s", (seconds, days, want) =>
    expect(span(seconds, { days, toTheSecond: true })).toBe(want),
  );
});

describe("countdown words", () => {
  it("says what is left, or how long ago the goal ran out, as the clock says it is breached", () => {
    const c = clock(0);
    expect(remainingWords(c, { remaining: 8040, breached: false })).toBe("2 h 14 min left");
    expect(remainingWords(c, { remaining: 7195, breached: false })).toBe("1 h 59 min 55 s left");
    expect(remainingWords(c, { remaining: -2100, breached: true })).toBe("breached 35 min ago");
    // The core counts a goal used up to the second as breached.
    expect(remainingWords(c, { remaining: 0, breached: true })).toBe("breached 0 s ago");
  });

  it("rounds a frozen clock to two units", () => {
    expect(remainingWords(clock(0, 100, { running_now: false, paused: true }), { remaining: 8039, breached: false })).toBe("2 h 13 min left");
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
  it("is the core's tone, whatever share of the goal is used", () => {
    // A policy that warns early: urgent at 30 %.
    expect(clockTone(clock(3600, 12_000, { tone: "urgent" }))).toBe("urgent");
    expect(clockTone(clock(9000, 10_000, { tone: "calm" }))).toBe("calm");
  });
  it("is breached once the core says the goal is used up", () => {
    expect(clockTone(clock(100, 100, { tone: "urgent" }))).toBe("breached");
  });
});

describe("liveValues", () => {
  it("shows a fresh reading as the core sent it", () => {
    const c = clock(3590, 3600, { tone: "warning", percent: 42 });
    expect(liveValues(c, 0)).toEqual({ remaining: 10, percent: 42, breached: false, tone: "warning" });
  });

  it("moves a running clock on, and breaches it when nothing remains, as the core counts", () => {
    const c = clock(3590, 3600, { tone: "urgent" });
    const soon = liveValues(c, 5);
    expect(soon).toMatchObject({ remaining: 5, breached: false, tone: "urgent" });
    expect(soon.percent).toBeCloseTo(99.86, 1);
    expect(liveValues(c, 10)).toMatchObject({ remaining: 0, breached: true, tone: "breached" });
    const later = liveValues(c, 20);
    expect(later).toMatchObject({ remaining: -10, breached: true, tone: "breached" });
    expect(later.percent).toBeCloseTo(100.28, 1);
  });
});

describe("counts", () => {
  it("counts late changes by their aging clocks", () => {
    const late = clock(200, 100, { stage: "aging" });
    const fine = clock(10, 100, { stage: "aging" });
    expect(lateCount([{ aging: late }, { aging: fine }, { aging: null }, { aging: late }])).toBe(2);
  });
  it("counts requests with a breached clock that still runs its course", () => {
    const breached = clock(200, 100);
    const stopped = clock(200, 100, { stopped: true, running_now: false });
    expect(breachedCount([request(1, { clocks: [breached] }), request(2, { clocks: [stopped] }), request(3)])).toBe(1);
  });
});

describe("onEverySecond", () => {
  it("shares one timer between listeners and stops it when the last one leaves", () => {
    vi.useFakeTimers();
    const started = vi.spyOn(globalThis, "setInterval");
    const stopped = vi.spyOn(globalThis, "clearInterval");
    const a = vi.fn();
    const b = vi.fn();
    const stopA = onEverySecond(a);
    const stopB = onEverySecond(b);
    expect(started).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2000);
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenCalledTimes(2);
    stopA();
    vi.advanceTimersByTime(1000);
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenCalledTimes(3);
    expect(stopped).not.toHaveBeenCalled();
    stopB();
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
