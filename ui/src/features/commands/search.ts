import type { BoardDto, ChangeDto, RequestSummaryDto } from "../../ipc";
import type { Focus } from "../../shared/links";

/** Where a hit leads: a route, and on the board what to bring into view. */
export type Target = { path: string; focus: Focus | null };

export type HitKind = "project" | "environment" | "change" | "request";

/** One thing the palette found. */
export type Hit = {
  kind: HitKind;
  /** Unique among the hits. */
  key: string;
  title: string;
  /** What matched, or where it is. */
  detail: string;
  target: Target;
  /** Lower is better. */
  rank: number;
};

const KIND_ORDER: Record<HitKind, number> = { project: 0, environment: 1, request: 2, change: 3 };
const LIMIT = 30;

/** How well `text` answers `q` (both lower-case): 0 exact, 1 prefix, 2 a word's prefix, 3 inside; null when not at all. */
function score(text: string, q: string): number | null {
  const t = text.toLowerCase();
  if (t === q) return 0;
  if (t.startsWith(q)) return 1;
  if (t.split(/[\s/:._-]+/).some((w) => w.startsWith(q))) return 2;
  if (t.includes(q)) return 3;
  return null;
}

/** Every word of `q` in `text`: a title search. */
function allWords(text: string, q: string): boolean {
  const t = text.toLowerCase();
  return q.split(/\s+/).every((w) => t.includes(w));
}

/** A change against `q`: a sha prefix (4+ hex digits), a PR (`#12` or `12`), a ticket (`PAY-42`), or title words. */
function matchChange(c: ChangeDto, q: string): { rank: number; detail: string } | null {
  if (/^[0-9a-f]{4,40}$/.test(q) && c.sha.startsWith(q)) return { rank: q.length >= 7 ? 0 : 1, detail: `commit ${c.short_sha}` };
  const pr = /^#?(\d+)$/.exec(q);
  if (pr && c.pr !== null && String(c.pr) === pr[1]) return { rank: 0, detail: `PR #${c.pr}` };
  const ticket = c.tickets.find((t) => t.toLowerCase() === q || (q.length >= 3 && t.toLowerCase().startsWith(q)));
  if (ticket) return { rank: ticket.toLowerCase() === q ? 0 : 1, detail: `ticket ${ticket}` };
  if (q.length >= 2 && allWords(c.title, q)) return { rank: 3, detail: c.short_sha };
  return null;
}

/**
 * What the palette shows for `query`: projects, environments, queued changes and change requests
 * that match, best first. It only looks names and numbers up in what the core sent.
 */
export function search(query: string, board: BoardDto | null, requests: RequestSummaryDto[]): Hit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const project of board?.projects ?? []) {
    const p = score(project.name, q);
    if (p !== null) {
      hits.push({ kind: "project", key: `p:${project.name}`, title: project.name, detail: project.repo_path, rank: p, target: { path: "/board", focus: { project: project.name, environment: null, sha: null } } });
    }
    for (const env of project.environments) {
      const e = Math.min(score(env.name, q) ?? 9, score(`${project.name}/${env.name}`, q) ?? 9);
      if (e < 9) {
        const detail = `${env.queue.length} queued from ${env.upstream}`;
        hits.push({ kind: "environment", key: `e:${project.name}/${env.name}`, title: `${project.name} / ${env.name}`, detail, rank: e, target: { path: "/board", focus: { project: project.name, environment: env.name, sha: null } } });
      }
      // A change waits in the first environment that lacks it: that is where it is shown.
      for (const queued of env.queue) {
        const key = `c:${project.name}:${queued.sha}`;
        if (seen.has(key)) continue;
        const m = matchChange(queued, q);
        if (m) {
          seen.add(key);
          hits.push({
            kind: "change",
            key,
            title: queued.title,
            detail: `${m.detail} · waiting for ${env.name} in ${project.name}, ${queued.age}`,
            rank: m.rank,
            target: { path: "/board", focus: { project: project.name, environment: env.name, sha: queued.sha } },
          });
        }
      }
    }
  }
  for (const r of requests) {
    const id = /^(?:#|cr\s*)?(\d+)$/.exec(q);
    const rank = id && Number(id[1]) === r.id ? 0 : q.length >= 2 && allWords(r.title, q) ? 3 : null;
    if (rank !== null) {
      hits.push({ kind: "request", key: `r:${r.id}`, title: `#${r.id} ${r.title}`, detail: `${r.project} · ${r.state.replace(/_/g, " ")}`, rank, target: { path: `/requests/${r.id}`, focus: null } });
    }
  }
  return hits.sort((a, b) => a.rank - b.rank || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.title.localeCompare(b.title)).slice(0, LIMIT);
}
