import { AGE_BAND_SPAN, type AgeBandDto, type EnvironmentColumnDto, type ProjectBoardDto } from "../ipc";

/**
 * "10:07" today, "Fri 10:07" within six days (before or after: a due date next Friday too),
 * "12 Nov" further off, "21 Nov 2023" in another year — in the viewer's zone.
 */
export function whenShort(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  const hm = t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const days = (now.getTime() - t.getTime()) / 86_400_000;
  if (t.toDateString() === now.toDateString()) return hm;
  if (Math.abs(days) < 6) return `${t.toLocaleDateString(undefined, { weekday: "short" })} ${hm}`;
  if (t.getFullYear() !== now.getFullYear()) {
    return t.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  }
  return t.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** An instant's day in the viewer's zone, as a date input holds it: "2026-11-26". */
export function localDay(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}`;
}

/** An instant in full, in the viewer's zone, for a tooltip: "Thu, 26 Nov 2026, 17:00". */
export function whenLong(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A sentence from the core with its RFC 3339 instants ("since 2026-11-23T10:00:00Z") written as `whenShort` writes them. */
export function localTimes(sentence: string, now: Date = new Date()): string {
  return sentence.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, (iso) => whenShort(iso, now));
}

/**
 * The age bands, least worrying first, as the core lists their spans (`AGE_BAND_SPAN[band]` is
 * "under 4 h"…). A band the DTO and the vocabulary do not both know fails to compile.
 */
export const AGE_BANDS: readonly AgeBandDto[] = Object.keys(AGE_BAND_SPAN satisfies Record<AgeBandDto, string>) as (keyof typeof AGE_BAND_SPAN)[];

/** The most worrying band in a column (its oldest change's), or null when the queue is empty. */
export function worstBand(column: EnvironmentColumnDto): AgeBandDto | null {
  let worst: AgeBandDto | null = null;
  for (const c of column.queue) {
    // A change that shipped as another commit has no band: it is not waiting.
    if (c.band !== null && (worst === null || AGE_BANDS.indexOf(c.band) > AGE_BANDS.indexOf(worst))) worst = c.band;
  }
  return worst;
}

/** Totals for a project's summary line. */
export function summarise(project: ProjectBoardDto): {
  waiting: number;
  oldest: { environment: string; age: string } | null;
} {
  let waiting = 0;
  let oldest: { environment: string; age: string; seconds: number } | null = null;
  for (const env of project.environments) {
    const still = env.queue.filter((c) => c.shipped_as === null);
    waiting += still.length;
    const first = still[0];
    if (first && (oldest === null || first.age_seconds > oldest.seconds)) {
      oldest = { environment: env.name, age: first.age, seconds: first.age_seconds };
    }
  }
  return { waiting, oldest: oldest && { environment: oldest.environment, age: oldest.age } };
}
