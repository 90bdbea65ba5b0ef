import { useEffect, useState } from "react";
import type { ClockDto, ClockStageDto, QueuedChangeDto, RequestSummaryDto, ToneDto } from "../ipc";

/** How worrying a clock is, as the core says it (`calm`, `warning`, `urgent`, `breached`): the colour of its bar. */
export function clockTone(clock: Pick<ClockDto, "tone" | "breached">): ToneDto {
  return clock.breached ? "breached" : clock.tone;
}

/** A clock that has breached and still runs its course (not stopped): someone should be on it. */
export function breachedNow(clock: ClockDto): boolean {
  return clock.breached && !clock.stopped;
}

/** Requests with a clock that is breached now. */
export function breachedCount(requests: RequestSummaryDto[]): number {
  return requests.filter((r) => r.clocks.some(breachedNow)).length;
}

/** Queued changes whose aging clock is breached: the "late" ones. */
export function lateCount(changes: Pick<QueuedChangeDto, "aging">[]): number {
  return changes.filter((c) => c.aging?.breached).length;
}

/**
 * A span of (business) time as people read it, in the core's units: "42 s", "14 min 5 s",
 * "2 h 14 min", and with `days` (24×7 calendars only, where a day really is 24 hours) "3 d 4 h".
 * It shows the two largest units; `toTheSecond` shows three, for a countdown that ticks:
 * "2 h 13 min 59 s", "1 d 3 h 12 min". Trailing zero units are left out ("2 h").
 */
export function span(seconds: number, { days = false, toTheSecond = false }: { days?: boolean; toTheSecond?: boolean } = {}): string {
  const s = Math.max(0, Math.floor(seconds));
  const units: [number, string][] = [
    ...(days ? [[Math.floor(s / 86_400), "d"] as [number, string]] : []),
    [Math.floor(days ? (s % 86_400) / 3600 : s / 3600), "h"],
    [Math.floor((s % 3600) / 60), "min"],
    [s % 60, "s"],
  ];
  while (units.length > 1 && units[0][0] === 0) units.shift();
  const shown = units.slice(0, toTheSecond ? 3 : 2);
  while (shown.length > 1 && shown[shown.length - 1][0] === 0) shown.pop();
  return shown.map(([n, u]) => `${n} ${u}`).join(" ");
}

/** Business time on a clock's calendar; on 24×7 plain time, where days make sense. */
export function clockSpan(clock: Pick<ClockDto, "calendar">, seconds: number, toTheSecond = false): string {
  return span(seconds, { days: clock.calendar === "24x7", toTheSecond });
}

/** "1 d" on a 24×7 calendar, "8 h of business time" on a working-hours one. */
export function goalWords(clock: ClockDto): string {
  const goal = clockSpan(clock, clock.goal_seconds);
  return clock.calendar === "24x7" ? goal : `${goal} of business time`;
}

/**
 * "2 h 14 min left", or "breached 35 min ago" once the goal is used up. A running clock counts
 * to the second ("2 h 13 min 59 s left"), so its ticking shows; a frozen one shows two units.
 */
export function remainingWords(clock: ClockDto, live: Pick<LiveClock, "remaining" | "breached">): string {
  const precise = clock.running_now;
  return live.breached
    ? `breached ${clockSpan(clock, -live.remaining, precise)} ago`
    : `${clockSpan(clock, live.remaining, precise)} left`;
}

/** Why a clock does not tick right now, or null while it does. */
export function frozenWhy(clock: ClockDto): string | null {
  if (clock.running_now) return null;
  if (clock.stopped) return "stopped";
  if (clock.paused) return "paused";
  return "outside business hours";
}

/** What a clock measures, as a heading. */
export const STAGE_LABEL: Record<ClockStageDto, string> = {
  approve: "Time to approve",
  verify: "Time to verify",
  deploy: "Time to deploy",
  total: "Total time",
  aging: "Time waiting",
};

export function stageLabel(stage: ClockStageDto): string {
  return STAGE_LABEL[stage];
}

/** A clock as it stands now: the values the core read, moved on by the seconds since, if it runs. */
export type LiveClock = { remaining: number; percent: number; breached: boolean; tone: ToneDto };

const listeners = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | null = null;

/**
 * Calls `listener` once a second until the returned function is called. Every running clock
 * shares one timer, which runs only while some clock listens.
 */
export function onEverySecond(listener: () => void): () => void {
  listeners.add(listener);
  ticker ??= setInterval(() => listeners.forEach((l) => l()), 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
  };
}

/**
 * Seconds since `clock` arrived from the core, counted once a second only while its business
 * time runs; a frozen clock (paused, stopped, calendar closed) stays at what the core read.
 */
export function useLiveClock(clock: ClockDto): LiveClock {
  const [tick, setTick] = useState<{ clock: ClockDto; seconds: number }>({ clock, seconds: 0 });
  useEffect(() => {
    if (!clock.running_now) return;
    const start = Date.now();
    return onEverySecond(() => setTick({ clock, seconds: Math.floor((Date.now() - start) / 1000) }));
  }, [clock]);
  // A new reading from the core starts again from its own values.
  const moved = tick.clock === clock && clock.running_now ? tick.seconds : 0;
  return liveValues(clock, moved);
}

/**
 * A clock moved on by `seconds` of running business time. At 0 s it is what the core read;
 * later, the goal is used up once nothing remains, as the core counts it.
 */
export function liveValues(clock: ClockDto, seconds: number): LiveClock {
  if (seconds === 0) {
    return { remaining: clock.remaining_seconds, percent: clock.percent, breached: clock.breached, tone: clockTone(clock) };
  }
  const remaining = clock.remaining_seconds - seconds;
  const percent = clock.goal_seconds > 0 ? ((clock.elapsed_seconds + seconds) / clock.goal_seconds) * 100 : clock.percent;
  const breached = clock.breached || remaining <= 0;
  return { remaining, percent, breached, tone: clockTone({ tone: clock.tone, breached }) };
}

/** The aging clock's words for a queued change: a tooltip that says how late, or how close. */
export function agingWords(clock: ClockDto): string {
  const goal = goalWords(clock);
  if (clock.breached) {
    return `Late: waited more than the goal of ${goal} (${clockSpan(clock, clock.elapsed_seconds)} so far).`;
  }
  const used = `${Math.floor(clock.percent)} % of the goal of ${goal} used`;
  return clock.due_at ? `${used}; late at ${new Date(clock.due_at).toLocaleString()} if it keeps waiting.` : `${used}.`;
}
