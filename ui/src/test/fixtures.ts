import type {
  AppInfoDto,
  PipelineProposalDto,
  SettingsDto,
  GateKindDto,
  OutcomeDto,
  AgeBandDto,
  AgingDto,
  BoardDto,
  ChangeDto,
  ChannelDto,
  DeliveryDto,
  ClockDto,
  DeployActionDto,
  DeploymentDto,
  DriftDto,
  DriftFileDto,
  GuardSettingsDto,
  EnvironmentColumnDto,
  FollowUpDto,
  InboxItemDto,
  OutboxDto,
  PlanDto,
  PreviewDto,
  QueuedChangeDto,
  RequestDetailDto,
  RequestSummaryDto,
  RollbackOptionsDto,
  StakeholderDto,
  SubscriptionDto,
  TemplateDto,
  VerdictDto,
} from "../ipc";

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
    aging: null,
    shipped_as: null,
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
    hold: null,
    frozen: [],
    signoff_rule: null,
    last_deployment: null,
    running: null,
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
        follow_ups: [],
      },
    ],
  };
}

/** An open follow-up a rollback of staging left, owned by dana@x and due in three days unless told otherwise. */
export function followUp(id: number, over: Partial<FollowUpDto> = {}): FollowUpDto {
  return {
    id,
    project: "payments",
    environment: "staging",
    title: `Postmortem for the rollback of staging (#${id})`,
    deployment: 9,
    rolled_back: 8,
    request: null,
    opened_by: "ana@x",
    opened_at: "2026-11-23T09:00:00Z",
    owner: "dana@x",
    priority: "normal",
    due_at: "2026-11-26T16:00:00Z",
    calendar: "berlin-office",
    standing: "due in 3 d 4 h",
    overdue: false,
    status: "open",
    reason: null,
    external_link: null,
    closed_by: null,
    closed_at: null,
    ...over,
  };
}

/** A clock with `goal` business seconds of which `elapsed` are used; running and calm (or breached) unless told otherwise. */
export function clock(elapsed: number, goal = 4 * 3600, over: Partial<ClockDto> = {}): ClockDto {
  const breached = elapsed >= goal;
  return {
    key: "cr/1/approve",
    stage: "approve",
    calendar: "berlin-office",
    goal_seconds: goal,
    elapsed_seconds: elapsed,
    remaining_seconds: goal - elapsed,
    percent: (elapsed / goal) * 100,
    paused: false,
    stopped: false,
    breached,
    tone: breached ? "breached" : "calm",
    acknowledged: false,
    running_now: true,
    next_threshold: breached ? "repeat-1" : "breach",
    next_at: "2026-11-23T14:00:00Z",
    due_at: "2026-11-23T14:00:00Z",
    crossed: breached ? [["breach", "2026-11-23T09:25:00Z"]] : [],
    ...over,
  };
}

export function request(id: number, over: Partial<RequestSummaryDto> = {}): RequestSummaryDto {
  const urgent = over.urgent_clock === undefined ? clock(3600, 4 * 3600, { key: `cr/${id}/approve` }) : over.urgent_clock;
  return {
    id,
    project: "payments",
    kind: "emergency",
    severity: "sev1",
    title: `Request ${id}`,
    state: "submitted",
    requester: "ana@x",
    assignee: "bo@x",
    target_environment: "production",
    opened_at: "2026-11-23T08:00:00Z",
    approvals_needed: ["lead"],
    clocks: urgent ? [urgent] : [],
    urgent_clock: urgent,
    has_policy: true,
    actions: ["approve", "reject", "hold", "cancel", "link"],
    ...over,
  };
}

export function detail(summary: RequestSummaryDto): RequestDetailDto {
  return {
    summary,
    description: "Retries charge twice.",
    timeline: [
      { at: "2026-11-23T08:00:00Z", actor: "ana@x", kind: "opened", text: "opened a SEV1 emergency request" },
      { at: "2026-11-23T08:05:00Z", actor: "ana@x", kind: "submitted", text: "submitted it for approval" },
    ],
    links: [change("abcd", "Stop double charges")],
    unknown_links: [],
  };
}

export function aging(): AgingDto {
  const late = queued("aaaa", 200_000, "late", "2 d 7 h");
  late.aging = clock(40_000, 28_800, { key: "age/payments/qa/aaaa", stage: "aging" });
  const fine = queued("bbbb", 3600, "fresh", "1 h");
  fine.aging = clock(3600, 28_800, { key: "age/payments/staging/bbbb", stage: "aging" });
  const days = [0, 1, 2].map((d) => new Date(Date.UTC(2026, 10, 21 + d, 10)).toISOString().replace(".000Z", "Z"));
  return {
    generated_at: "2026-11-23T10:00:00Z",
    requests: [request(3, { title: "Refund fix" })],
    changes: [
      { project: "payments", environment: "qa", change: late },
      { project: "payments", environment: "staging", change: fine },
    ],
    history: ["qa", "staging"].map((environment, e) => ({
      project: "payments",
      environment,
      points: days.map((at, i) => ({ at, queued: i + e, oldest_seconds: (i + 1) * 36_000, median_seconds: (i + 1) * 18_000 })),
    })),
  };
}

/** A finished deployment of payments/staging. */
export function deployment(over: Partial<DeploymentDto> = {}): DeploymentDto {
  return {
    id: 7,
    project: "payments",
    environment: "staging",
    kind: "promote",
    from_sha: "ffff".padEnd(40, "0"),
    to_sha: "bbbb".padEnd(40, "0"),
    ref_written: "refs/heads/deploy/staging",
    changes: ["bbbb".padEnd(40, "0")],
    by: "ana@x",
    started_at: "2026-11-23T09:00:00Z",
    finished_at: "2026-11-23T09:00:12Z",
    status: "succeeded",
    reason: "",
    why: "",
    output: "",
    override_reason: null,
    offer_rollback: false,
    ...over,
  };
}

/** What promoting staging up to bbbb would ship: one change, one left behind. */
export function preview(over: Partial<PreviewDto> = {}): PreviewDto {
  return {
    project: "payments",
    environment: "staging",
    upstream: "qa",
    from: change("ffff"),
    to: change("bbbb"),
    shipping: [change("bbbb", "Fix refunds")],
    left_behind: [change("cccc")],
    already_shipped: [],
    prs: [12],
    tickets: ["PAY-1"],
    authors: ["Zoë Müller"],
    files: [{ path: "src/refunds.rs", status: "modified", additions: 3, deletions: 1, binary: false }],
    additions: 3,
    deletions: 1,
    release_notes: "## payments → staging\n",
    guard: {
      environment: "staging",
      mode: "warn",
      findings: [],
      skipped: [],
      files_read: 1,
      lines_read: 3,
      blocks: false,
      override_role: null,
    },
    ...over,
  };
}

export function verdict(kind: GateKindDto, outcome: OutcomeDto, sentence: string, sha: string | null = null): VerdictDto {
  return { kind, outcome, sentence, sha };
}

/** A plan nothing blocks, unless told otherwise. */
export function plan(over: Partial<PlanDto> = {}): PlanDto {
  return {
    preview: preview(),
    verdicts: [verdict("hold", "pass", "staging is not on hold"), verdict("freeze", "pass", "no freeze window is on for staging")],
    ride_along: [],
    allowed: true,
    moves: "pushes deploy/staging to origin (only if it still stands where you saw it)",
    action: "none: moving the ref is the deployment",
    verification: null,
    in_progress: null,
    ...over,
  };
}

export function rollbackOptions(): RollbackOptionsDto {
  return {
    project: "payments",
    environment: "staging",
    current: change("bbbb", "Fix refunds"),
    targets: [
      { change: change("ffff", "Previous release"), removes: [change("bbbb", "Fix refunds")] },
      { change: change("9999", "Older release"), removes: [change("ffff", "Previous release"), change("bbbb", "Fix refunds")] },
    ],
  };
}

export function inboxItem(sha: string, over: Partial<InboxItemDto> = {}): InboxItemDto {
  return {
    project: "payments",
    environment: "production",
    change: change(sha, `Change ${sha}`),
    age: "2 d",
    age_seconds: 172_800,
    state: "1 of 2 qa sign-offs",
    ...over,
  };
}

/** Deploy settings as the core sends them: no action yet. */
export function deployAction(over: Partial<DeployActionDto> = {}): DeployActionDto {
  return {
    project: "payments",
    environment: "staging",
    kind: "none",
    method: "POST",
    url: "",
    headers: [],
    body: "",
    argv: [],
    timeout_secs: 60,
    verify_url: "",
    verify_timeout_secs: 120,
    verify_interval_secs: 5,
    token: null,
    has_token: false,
    variables: ["project", "environment", "from_sha", "to_sha", "to_short", "deployment_id"],
    ...over,
  };
}

export function delivery(id: number, state: string, over: Partial<DeliveryDto> = {}): DeliveryDto {
  return {
    id,
    event_id: 100 + id,
    kind: "promoted",
    severity: "info",
    title: `payments staging now at eeee0000 (${id})`,
    project: "payments",
    environment: "staging",
    recipient: "dana@example.com",
    channel: "release-mail",
    channel_kind: "email",
    state,
    digest: false,
    attempts: state === "sent" ? 1 : 0,
    last_error: "",
    next_attempt_at: "2026-11-23T10:05:00Z",
    created_at: "2026-11-23T10:00:00Z",
    sent_at: state === "sent" ? "2026-11-23T10:00:02Z" : "",
    idempotency_key: `slipway-${id}`,
    undeliverable: false,
    ...over,
  };
}

export function outbox(entries: DeliveryDto[], over: Partial<OutboxDto> = {}): OutboxDto {
  const count = (state: string) => entries.filter((e) => e.state === state).length;
  return {
    pending: count("pending"),
    sending: count("sending"),
    sent: count("sent"),
    dead: count("dead"),
    cancelled: count("cancelled"),
    entries,
    ...over,
  };
}

export function channelDto(name: string, kind: string, over: Partial<ChannelDto> = {}): ChannelDto {
  return {
    name,
    kind,
    summary: kind === "email" ? "smtp.example.com:587 (starttls) from rm@example.com" : "https://hooks.example.com — URL in the keychain",
    has_secret: kind !== "desktop",
    created_by: "rm@example.com",
    created_at: "2026-11-20T10:00:00Z",
    subscriptions: 0,
    ...over,
  };
}

export function stakeholder(email: string, over: Partial<StakeholderDto> = {}): StakeholderDto {
  return { email, name: email.split("@")[0], chat_handle: "", roles: [], subscriptions: 0, ...over };
}

export function subscription(id: number, over: Partial<SubscriptionDto> = {}): SubscriptionDto {
  return {
    id,
    person: "dana@example.com",
    channel: "release-mail",
    channel_kind: "email",
    project: "",
    environment: "",
    kinds: [],
    min_severity: "info",
    delivery: "immediate",
    ...over,
  };
}

export function template(kind: string, channel: string, part: string, body: string, over: Partial<TemplateDto> = {}): TemplateDto {
  return { kind, channel_kind: channel, part, body, custom: false, variables: ["title", "project", "environment", "link"], ...over };
}

export function appInfo(over: Partial<AppInfoDto> = {}): AppInfoDto {
  return { version: "0.1.0", me: "rm@example.com", my_name: "Rita Moss", workspace: "/ws", workspace_exists: true, log_dir: "/data/logs", ...over };
}

export function settings(over: Partial<SettingsDto> = {}): SettingsDto {
  return {
    email: "rm@example.com",
    email_source: "settings",
    email_in_settings: "rm@example.com",
    name: "Rita Moss",
    roles: ["release-manager"],
    workspace: "/ws",
    workspace_exists: true,
    workspace_source: "default",
    recent_workspaces: ["/ws", "/old"],
    fetch_interval_minutes: 5,
    theme: "system",
    desktop_notices: true,
    settings_file: "/config/settings.toml",
    log_dir: "/data/logs",
    version: "0.1.0",
    ...over,
  };
}

export function proposal(over: Partial<PipelineProposalDto> = {}): PipelineProposalDto {
  return {
    repo_path: "/src/shop",
    suggested_name: "shop",
    remote: "origin",
    trunk: "main",
    trunk_evidence: "origin/HEAD points at main",
    environments: [
      { name: "qa", strategy: "branch", ref_name: "deploy/qa", family: "deploy_branch", evidence: "branch deploy/qa, 2 changes behind trunk (3 h)", behind: 2, ahead: 0 },
      { name: "production", strategy: "tag", ref_name: "production/*", family: "slash_tags", evidence: "newest of 4 tags production/*, 9 changes behind trunk (2 days)", behind: 9, ahead: 0 },
    ],
    looked_for: "Slipway looks for branches deploy/<env>…",
    ...over,
  };
}

/** The config guard of payments (qa → staging → production): markers learned from each environment's own files, one by hand, one dismissed. */
export function guardSettings(over: Partial<GuardSettingsDto> = {}): GuardSettingsDto {
  return {
    project: "payments",
    globs: ["config/<env>.*", "config/<env>/**", ".env.<env>"],
    globs_default: true,
    other_environments: ["perf", "sandbox"],
    markers: [
      { environment: "staging", text: "staging-db.internal", origin: "learned", source: "learned from config/staging.toml:3" },
      { environment: "perf", text: "perf-orders.internal", origin: "learned", source: "learned from config/perf.toml:1" },
      { environment: "perf", text: "loadgen.example.com", origin: "ignored", source: "learned from config/perf.toml:7" },
      { environment: "qa", text: "qa-queue-42", origin: "manual", source: "added by hand" },
    ],
    denied: [
      { environment: "production", pattern: "(?i)load-?test", why: "a load-test setting" },
      { environment: "production", pattern: "(?i)\\bmock\\b", why: "a mock" },
    ],
    denied_default: true,
    modes: [
      { environment: "qa", mode: "warn", default: true },
      { environment: "staging", mode: "warn", default: true },
      { environment: "production", mode: "block", default: true },
    ],
    override_role: null,
    learned_at: "9f2c4e1a",
    ...over,
  };
}

export function driftFile(path: string, over: Partial<DriftFileDto> = {}): DriftFileDto {
  return {
    path,
    status: "modified",
    owner: null,
    binary: false,
    additions: 1,
    deletions: 1,
    patch: `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n@@ -1,3 +1,3 @@\n [orders]\n-source = "https://orders.internal"\n+source = "https://perf-orders.internal"\n timeout = 30\n`,
    cut: false,
    ...over,
  };
}

/** The drift from production to staging: what staging runs that production does not. */
export function drift(over: Partial<DriftDto> = {}): DriftDto {
  return {
    project: "payments",
    from: "production",
    from_sha: "a".repeat(40),
    to: "staging",
    to_sha: "b".repeat(40),
    files: [driftFile("config/production.toml", { owner: "production" })],
    other_files: 0,
    ...over,
  };
}
