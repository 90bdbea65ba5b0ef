import { useEffect, useState } from "react";
import type { ClockDto } from "./ipc.gen";

/** How worrying a clock is: the colour of its bar. */
export type ClockTone = "calm" | "warn" | "warn-strong" | "breach";

/** Thresholds as the policies set them by default: warnings at 50 % and 75 %, breach at 100 %. */
export function clockTone(percent: number, breached: boolean): ClockTone {
  if (breached || percent >= 100) return "breach";
  if (percent >= 75) return "warn-strong";
  if (percent >= 50) return "warn";
  return "calm";
}

/**
 * A span of (business) time as people read it: "42 s", "14 m 5 s", "2 h 14 m", and with
 * `days` (24×7 calendars only, where a day really is 24 hours) "3 d 4 h".
 */
export function span(seconds: number, { days = false }: { days?: boolean } = {}): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${Math.floor(s / 60)} m` : `${Math.floor(s / 60)} m ${rest} s`;
  }
  if (days && s >= 86_400) {
    const h = Math.floor((s % 86_400) / 3600);
    return h === 0 ? `${Math.floor(s / 86_400)} d` : `${Math.floor(s / 86_400)} d ${h} h`;
  }
  const m = Math.floor((s % 3600) / 60);
  return m === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${m} m`;
}

/**
 * A span to the second, for a countdown that ticks: "2 h 13 m 59 s", "2 h 14 m" on the
 * minute, "1 d 3 h 12 m" past a day (24×7 only). Trailing zero units are left out.
 */
export function spanToTheSecond(seconds: number, { days = false }: { days?: boolean } = {}): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)));
  const units: [number, string][] =
    days && s >= 86_400
      ? [
          [Math.floor(s / 86_400), "d"],
          [Math.floor((s % 86_400) / 3600), "h"],
          [Math.floor((s % 3600) / 60), "m"],
        ]
      : [
          [Math.floor(s / 3600), "h"],
          [Math.floor((s % 3600) / 60), "m"],
          [s % 60, "s"],
        ];
  while (units.length > 1 && units[0][0] === 0) units.shift();
  while (units.length > 1 && units[units.length - 1][0] === 0) units.pop();
  return units.map(([n, u]) => `${n} ${u}`).join(" ");
}

/** Business time on a clock's calendar; on 24×7 plain time, where days make sense. */
export function clockSpan(clock: Pick<ClockDto, "calendar">, seconds: number, toTheSecond = false): string {
  const days = clock.calendar === "24x7";
  return toTheSecond ? spanToTheSecond(seconds, { days }) : span(seconds, { days });
}

/** "1 d" on a 24×7 calendar, "8 h of business time" on a working-hours one. */
export function goalWords(clock: ClockDto): string {
  const goal = clockSpan(clock, clock.goal_seconds);
  return clock.calendar === "24x7" ? goal : `${goal} of business time`;
}

/**
 * "2 h 14 m left", or "breached 35 m ago" once the goal is used up. A running clock counts to
 * the second ("2 h 13 m 59 s left"), so its ticking shows; a frozen one rounds down to minutes.
 */
export function remainingWords(clock: ClockDto, remaining: number): string {
  const precise = clock.running_now;
  if (remaining > 0 || (remaining === 0 && !clock.breached)) return `${clockSpan(clock, remaining, precise)} left`;
  if (remaining === 0) return "breached just now";
  return `breached ${clockSpan(clock, -remaining, precise)} ago`;
}

/** Why a clock does not tick right now, or null while it does. */
export function frozenWhy(clock: ClockDto): string | null {
  if (clock.running_now) return null;
  if (clock.stopped) return "stopped";
  if (clock.paused) return "paused";
  return "outside business hours";
}

/** What a clock measures, as a heading. */
export const STAGE_LABEL: Record<string, string> = {
  approve: "Time to approve",
  verify: "Time to verify",
  deploy: "Time to deploy",
  total: "Total time",
  aging: "Time waiting",
};

export function stageLabel(stage: string): string {
  return STAGE_LABEL[stage] ?? stage;
}

/** A clock as it stands now: the values the core read, moved on by the seconds since, if it runs. */
export type LiveClock = { remaining: number; elapsed: number; percent: number; breached: boolean };

/**
 * Seconds since `clock` arrived from the core, counted once a second only while its business
 * time runs; a frozen clock (paused, stopped, calendar closed) stays at what the core read.
 */
export function useLiveClock(clock: ClockDto): LiveClock {
  const [tick, setTick] = useState<{ clock: ClockDto; seconds: number }>({ clock, seconds: 0 });
  useEffect(() => {
    if (!clock.running_now) return;
    const start = Date.now();
    const timer = setInterval(() => setTick({ clock, seconds: Math.floor((Date.now() - start) / 1000) }), 1000);
    return () => clearInterval(timer);
  }, [clock]);
  // A new reading from the core starts again from its own values.
  const moved = tick.clock === clock && clock.running_now ? tick.seconds : 0;
  return liveValues(clock, moved);
}

/** A clock moved on by `seconds` of running business time. */
export function liveValues(clock: ClockDto, seconds: number): LiveClock {
  const elapsed = clock.elapsed_seconds + seconds;
  const remaining = clock.remaining_seconds - seconds;
  const percent = clock.goal_seconds > 0 ? (elapsed / clock.goal_seconds) * 100 : clock.percent;
  return {
    elapsed,
    remaining,
    percent: seconds === 0 ? clock.percent : percent,
    breached: clock.breached || remaining < 0,
  };
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
