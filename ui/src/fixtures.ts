import type { AgeBandDto, BoardDto, ChangeDto, EnvironmentColumnDto, QueuedChangeDto } from "./ipc.gen";

/** Test data in the shapes the core sends. */
export function change(sha: string, title = `Change ${sha}`): ChangeDto {
  return {
    sha: sha.padEnd(40, "0"),
    short_sha: sha.padEnd(8, "0"),
    title,
    author: "Zoë Müller",
    author_email: "zoe@example.com",
    co_authors: [],
    merged_at: "2026-11-20T10:00:00Z",
    pr: 12,
    tickets: [],
    reverts: null,
    is_merge: true,
  };
}

export function queued(sha: string, ageSeconds: number, band: AgeBandDto, age = "1 h"): QueuedChangeDto {
  return {
    ...change(sha),
    waiting_since: "2026-11-20T10:00:00Z",
    waiting_source: "merged",
    age_seconds: ageSeconds,
    age,
    band,
    blockers: [{ kind: "not_promoted", sentence: `waiting ${age} — it has not been taken yet` }],
  };
}

export function column(name: string, queue: QueuedChangeDto[], upstream = "main"): EnvironmentColumnDto {
  return {
    name,
    strategy: "branch",
    ref_name: `deploy/${name}`,
    upstream,
    standing: queue.length > 0 ? "behind" : "up_to_date",
    only_here: [],
    tip: { change: change("ffff"), since: "2026-11-20T10:00:00Z", since_age: "3 d" },
    queue,
    oldest_age_seconds: queue[0]?.age_seconds ?? 0,
    error: null,
  };
}

export function board(): BoardDto {
  return {
    workspace: "/tmp/ws",
    generated_at: "2026-11-23T10:00:00Z",
    projects: [
      {
        name: "payments",
        repo_path: "/tmp/ws/repos/payments",
        trunk: { branch: "main", tip: { change: change("eeee"), since: "2026-11-23T09:00:00Z", since_age: "1 h" }, recent: [change("eeee")] },
        environments: [
          column("qa", [queued("aaaa", 3600, "fresh", "1 h")]),
          column("staging", [queued("bbbb", 172800, "aging", "2 d"), queued("cccc", 7200, "fresh", "2 h")], "qa"),
          column("production", [], "staging"),
        ],
        error: null,
        fetch: null,
      },
    ],
  };
}
