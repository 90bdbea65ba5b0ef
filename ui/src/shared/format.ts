import type { AgeBandDto, EnvironmentColumnDto, ProjectBoardDto } from "../ipc";

/** "10:07" today, "Fri 10:07" this week, "12 Nov" before that, "21 Nov 2023" in another year — in the viewer's zone. */
export function whenShort(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  const hm = t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const days = (now.getTime() - t.getTime()) / 86_400_000;
  if (t.toDateString() === now.toDateString()) return hm;
  if (days < 6) return `${t.toLocaleDateString(undefined, { weekday: "short" })} ${hm}`;
  if (t.getFullYear() !== now.getFullYear()) {
    return t.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  }
  return t.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** A sentence from the core with its RFC 3339 instants ("since 2026-11-23T10:00:00Z") written as `whenShort` writes them. */
export function localTimes(sentence: string, now: Date = new Date()): string {
  return sentence.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, (iso) => whenShort(iso, now));
}

const BAND_ORDER: AgeBandDto[] = ["fresh", "waiting", "aging", "late"];

/** The most worrying band in a column (its oldest change's), or null when the queue is empty. */
export function worstBand(column: EnvironmentColumnDto): AgeBandDto | null {
  let worst: AgeBandDto | null = null;
  for (const c of column.queue) {
    if (worst === null || BAND_ORDER.indexOf(c.band) > BAND_ORDER.indexOf(worst)) worst = c.band;
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
    waiting += env.queue.length;
    const first = env.queue[0];
    if (first && (oldest === null || first.age_seconds > oldest.seconds)) {
      oldest = { environment: env.name, age: first.age, seconds: first.age_seconds };
    }
  }
  return { waiting, oldest: oldest && { environment: oldest.environment, age: oldest.age } };
}

export const BAND_LABEL: Record<AgeBandDto, string> = {
  fresh: "under 4 h",
  waiting: "4 h – 1 d",
  aging: "1 – 3 d",
  late: "3 d or more",
};
