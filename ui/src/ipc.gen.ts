// Generated from slipway-api's DTOs by `make bindings`. Do not edit.

export type ErrorCode = "workspace_missing" | "workspace_exists" | "workspace_config_invalid" | "database_missing" | "database_unreadable" | "database_unreachable" | "database_schema" | "repository_missing" | "not_a_repository" | "ref_missing" | "project_exists" | "project_missing" | "invalid_input" | "request_missing" | "not_allowed" | "conflict" | "unknown_person" | "io" | "fetch_failed" | "keychain_unavailable" | "cancelled" | "internal";

export type ApiError = { 
/**
 * What kind of failure.
 */
code: ErrorCode, 
/**
 * What happened and what to do, for a person.
 */
message: string, };

export type ChangeDto = { 
/**
 * Full commit sha.
 */
sha: string, 
/**
 * First 8 characters of the sha.
 */
short_sha: string, 
/**
 * One-line title.
 */
title: string, 
/**
 * Author name.
 */
author: string, 
/**
 * Author email.
 */
author_email: string, 
/**
 * `Co-authored-by` trailers, as `Name <email>`.
 */
co_authors: Array<string>, 
/**
 * When it landed on trunk, RFC 3339 UTC.
 */
merged_at: string, 
/**
 * PR/MR number, when the message names one.
 */
pr: number | null, 
/**
 * Ticket keys such as `PAY-123`.
 */
tickets: Array<string>, 
/**
 * Sha of the change this one reverts.
 */
reverts: string | null, 
/**
 * A merge commit (true) or a squash merge (false).
 */
is_merge: boolean, };

export type AgeBandDto = "fresh" | "waiting" | "aging" | "late";

export type WaitingSourceDto = "merged" | "upstream_arrival";

export type BlockerDto = { 
/**
 * Stable kind: `not_promoted`, `reverted_later` (sign-offs, freezes and holds will join).
 */
kind: string, 
/**
 * The blocker as a sentence ("waiting 2 d 4 h — staging has not taken it yet").
 */
sentence: string, };

export type QueuedChangeDto = { 
/**
 * Since when it has been available upstream, RFC 3339 UTC.
 */
waiting_since: string, 
/**
 * What `waiting_since` was read from.
 */
waiting_source: WaitingSourceDto, 
/**
 * Seconds it has waited.
 */
age_seconds: number, 
/**
 * The wait as people read it ("3 d 4 h").
 */
age: string, 
/**
 * How worrying the wait is.
 */
band: AgeBandDto, 
/**
 * Why it has not moved on, most important first.
 */
blockers: Array<BlockerDto>, 
/**
 * Its aging clock, where the environment has an aging policy (late = breached).
 */
aging: ClockDto | null, 
/**
 * Full commit sha.
 */
sha: string, 
/**
 * First 8 characters of the sha.
 */
short_sha: string, 
/**
 * One-line title.
 */
title: string, 
/**
 * Author name.
 */
author: string, 
/**
 * Author email.
 */
author_email: string, 
/**
 * `Co-authored-by` trailers, as `Name <email>`.
 */
co_authors: Array<string>, 
/**
 * When it landed on trunk, RFC 3339 UTC.
 */
merged_at: string, 
/**
 * PR/MR number, when the message names one.
 */
pr: number | null, 
/**
 * Ticket keys such as `PAY-123`.
 */
tickets: Array<string>, 
/**
 * Sha of the change this one reverts.
 */
reverts: string | null, 
/**
 * A merge commit (true) or a squash merge (false).
 */
is_merge: boolean, };

export type StandingDto = "up_to_date" | "behind" | "ahead" | "diverged";

export type TipDto = { 
/**
 * The commit it stands at.
 */
change: ChangeDto, 
/**
 * When it got there, RFC 3339 UTC.
 */
since: string, 
/**
 * How long ago that was, as people read it.
 */
since_age: string, };

export type TrunkColumnDto = { 
/**
 * Trunk branch name.
 */
branch: string, 
/**
 * Trunk's head.
 */
tip: TipDto, 
/**
 * The newest changes on trunk, newest first.
 */
recent: Array<ChangeDto>, };

export type EnvironmentColumnDto = { 
/**
 * Environment name.
 */
name: string, 
/**
 * Tracking strategy: `branch`, `tag` or `db`.
 */
strategy: string, 
/**
 * The tracking ref or tag pattern (such as `deploy/qa`).
 */
ref_name: string, 
/**
 * The upstream stage's name (trunk branch or environment).
 */
upstream: string, 
/**
 * Where it stands; absent when its ref cannot be read.
 */
tip: TipDto | null, 
/**
 * Relative to its upstream; absent when its ref cannot be read.
 */
standing: StandingDto | null, 
/**
 * Changes waiting to enter it, oldest first.
 */
queue: Array<QueuedChangeDto>, 
/**
 * Commits only it has (hotfixes), oldest first.
 */
only_here: Array<ChangeDto>, 
/**
 * How long the oldest queued change has waited, in seconds (0 when none).
 */
oldest_age_seconds: number, 
/**
 * Why the column could not be read.
 */
error: ApiError | null, };

export type ProjectBoardDto = { 
/**
 * Project name.
 */
name: string, 
/**
 * The local clone.
 */
repo_path: string, 
/**
 * The trunk column; absent when the repository cannot be read.
 */
trunk: TrunkColumnDto | null, 
/**
 * Environment columns in pipeline order.
 */
environments: Array<EnvironmentColumnDto>, 
/**
 * Why the project could not be read, with how to fix it.
 */
error: ApiError | null, 
/**
 * Its last fetch; `stale` when the last attempt failed.
 */
fetch: FetchStateDto | null, };

export type BoardDto = { 
/**
 * The workspace folder.
 */
workspace: string, 
/**
 * When the board was computed, RFC 3339 UTC.
 */
generated_at: string, 
/**
 * Every project, by name.
 */
projects: Array<ProjectBoardDto>, };

export type FileChangeDto = { 
/**
 * Path.
 */
path: string, 
/**
 * `added`, `deleted`, `modified`, `renamed`, …
 */
status: string, 
/**
 * Lines added.
 */
additions: number, 
/**
 * Lines removed.
 */
deletions: number, 
/**
 * Binary (no line counts).
 */
binary: boolean, };

export type PreviewDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * The environment that would move.
 */
environment: string, 
/**
 * Where its changes come from.
 */
upstream: string, 
/**
 * Where it stands now.
 */
from: ChangeDto, 
/**
 * Where it would stand (absent when nothing waits).
 */
to: ChangeDto | null, 
/**
 * The changes that would ship, oldest first.
 */
shipping: Array<ChangeDto>, 
/**
 * Queued changes after `to` that would stay behind, oldest first.
 */
left_behind: Array<ChangeDto>, 
/**
 * PR numbers that would ship.
 */
prs: Array<number>, 
/**
 * Ticket keys that would ship, sorted.
 */
tickets: Array<string>, 
/**
 * Authors and co-authors, in order of first change.
 */
authors: Array<string>, 
/**
 * Files that would change, by path.
 */
files: Array<FileChangeDto>, 
/**
 * Total lines added.
 */
additions: number, 
/**
 * Total lines removed.
 */
deletions: number, 
/**
 * Release notes, Markdown.
 */
release_notes: string, };

export type EnvironmentSpecDto = { 
/**
 * Name.
 */
name: string, 
/**
 * `branch`, `tag` or `db`.
 */
strategy: string, 
/**
 * Branch name or tag pattern (empty for `db`).
 */
ref_name: string, };

export type ProjectDto = { 
/**
 * Name.
 */
name: string, 
/**
 * The local clone.
 */
repo_path: string, 
/**
 * The trunk branch.
 */
trunk: string, 
/**
 * Environments in pipeline order.
 */
environments: Array<EnvironmentSpecDto>, };

export type FetchProgressDto = { 
/**
 * The project being fetched.
 */
project: string, 
/**
 * Objects received so far.
 */
received_objects: number, 
/**
 * Objects the remote is sending (0 until it says).
 */
total_objects: number, 
/**
 * Bytes received so far.
 */
received_bytes: number, };

export type FetchStateDto = { 
/**
 * When a fetch was last tried, RFC 3339 UTC.
 */
last_attempt: string, 
/**
 * When a fetch last worked, RFC 3339 UTC.
 */
last_success: string | null, 
/**
 * Why the last attempt failed.
 */
error: string | null, 
/**
 * The board shows what was known at `last_success`: the last attempt failed.
 */
stale: boolean, };

export type DemoDto = { 
/**
 * The workspace folder.
 */
workspace: string, 
/**
 * The project's name.
 */
project: string, 
/**
 * The working clone.
 */
repository: string, 
/**
 * Its bare origin.
 */
origin: string, 
/**
 * First-parent changes on trunk.
 */
changes: number, 
/**
 * Environments in pipeline order.
 */
environments: Array<string>, };

export type AppInfoDto = { 
/**
 * Slipway's version.
 */
version: string, 
/**
 * The workspace folder in use.
 */
workspace: string, 
/**
 * Whether a workspace exists there.
 */
workspace_exists: boolean, 
/**
 * Where logs are written.
 */
log_dir: string, };

export type ClockDto = { 
/**
 * Stable identity (`cr/12/approve`, `age/payments/staging/<sha>`).
 */
key: string, 
/**
 * `approve`, `verify`, `deploy`, `total` or `aging`.
 */
stage: string, 
/**
 * The calendar business time is counted in.
 */
calendar: string, 
/**
 * Business seconds allowed.
 */
goal_seconds: number, 
/**
 * Business seconds used.
 */
elapsed_seconds: number, 
/**
 * Business seconds left (negative once breached).
 */
remaining_seconds: number, 
/**
 * Share of the goal used, in percent.
 */
percent: number, 
/**
 * Paused (on hold, or in a freeze window).
 */
paused: boolean, 
/**
 * Stopped for good (the stage is done, or the request ended).
 */
stopped: boolean, 
/**
 * The goal is used up.
 */
breached: boolean, 
/**
 * How worrying it is: `calm` (no warning crossed), `warning` (a warning crossed),
 * `urgent` (the last warning crossed), `breached`. Front ends colour by it.
 */
tone: string, 
/**
 * Someone said "I'm on it" after it breached: its reminders have stopped.
 */
acknowledged: boolean, 
/**
 * Business time is running at this instant (not paused, not stopped, calendar open):
 * a countdown ticks only then.
 */
running_now: boolean, 
/**
 * The next threshold (`warn-75`, `breach`, `repeat-2`).
 */
next_threshold: string | null, 
/**
 * When it will be crossed, if the clock keeps running.
 */
next_at: string | null, 
/**
 * When the goal runs out (past for a breached clock).
 */
due_at: string | null, 
/**
 * Thresholds already crossed: (threshold, when).
 */
crossed: Array<[string, string]>, };

export type NewRequestDto = { 
/**
 * The project.
 */
project: string, 
/**
 * `emergency`, `normal` or `standard`.
 */
kind: string, 
/**
 * `sev1` … `sev4`.
 */
severity: string, 
/**
 * One line.
 */
title: string, 
/**
 * Free text.
 */
description: string, 
/**
 * Who asks (default: the person acting).
 */
requester: string | null, 
/**
 * Who does the work.
 */
assignee: string | null, 
/**
 * Where the fix must go.
 */
target_environment: string | null, 
/**
 * Changes to link: shas, `#PR` numbers, or words from a title (each must name one change).
 */
links: Array<string>, 
/**
 * When it really began (RFC 3339 or `YYYY-MM-DD HH:MM` UTC), for requests written after
 * the fact.
 */
opened_at: string | null, };

export type RequestActionDto = { "action": "submit" } | { "action": "approve", 
/**
 * The role to approve in.
 */
role: string | null, } | { "action": "reject", 
/**
 * Why.
 */
reason: string, } | { "action": "verify" } | { "action": "hold", 
/**
 * Why.
 */
reason: string, } | { "action": "resume" } | { "action": "close" } | { "action": "cancel", 
/**
 * Why.
 */
reason: string, } | { "action": "link", 
/**
 * What names the change.
 */
change: string, } | { "action": "acknowledge" };

export type RequestSummaryDto = { 
/**
 * Its number.
 */
id: number, 
/**
 * The project.
 */
project: string, 
/**
 * `emergency`, `normal`, `standard`.
 */
kind: string, 
/**
 * `sev1` … `sev4`.
 */
severity: string, 
/**
 * One line.
 */
title: string, 
/**
 * Lifecycle state (`on-hold` etc.).
 */
state: string, 
/**
 * Who asked.
 */
requester: string, 
/**
 * Who works on it.
 */
assignee: string | null, 
/**
 * Where the fix goes.
 */
target_environment: string | null, 
/**
 * When it was opened.
 */
opened_at: string, 
/**
 * Roles whose approval is still missing.
 */
approvals_needed: Array<string>, 
/**
 * Its clocks (none without an SLA policy for its type and severity).
 */
clocks: Array<ClockDto>, 
/**
 * The clock closest to breaching, if any runs: the list is sorted by it.
 */
urgent_clock: ClockDto | null, 
/**
 * Whether an SLA policy covers it.
 */
has_policy: boolean, 
/**
 * The steps the person using Slipway can take now (`submit`, `approve`, `reject`,
 * `verify`, `hold`, `resume`, `close`, `cancel`, `link`, `acknowledge`), as the lifecycle
 * allows them: front ends offer exactly these.
 */
actions: Array<string>, };

export type TimelineEntryDto = { 
/**
 * When.
 */
at: string, 
/**
 * Who.
 */
actor: string, 
/**
 * The event's machine name (`approved`, `held`…).
 */
kind: string, 
/**
 * As a person says it.
 */
text: string, };

export type RequestDetailDto = { 
/**
 * What the list shows.
 */
summary: RequestSummaryDto, 
/**
 * Free text.
 */
description: string, 
/**
 * Every event, oldest first, plus the clock thresholds crossed.
 */
timeline: Array<TimelineEntryDto>, 
/**
 * Linked changes (those the clone knows).
 */
links: Array<ChangeDto>, 
/**
 * Linked shas the clone does not know.
 */
unknown_links: Array<string>, };

export type RequestListDto = { 
/**
 * When the clocks were read.
 */
generated_at: string, 
/**
 * The requests.
 */
requests: Array<RequestSummaryDto>, };

export type AgingChangeDto = { 
/**
 * The project.
 */
project: string, 
/**
 * The environment it waits for.
 */
environment: string, 
/**
 * The change.
 */
change: QueuedChangeDto, };

export type AgingPointDto = { 
/**
 * The instant (end of the day, or now for today).
 */
at: string, 
/**
 * Changes waiting.
 */
queued: number, 
/**
 * The oldest wait, seconds.
 */
oldest_seconds: number, 
/**
 * The median wait, seconds.
 */
median_seconds: number, };

export type AgingSeriesDto = { 
/**
 * The project.
 */
project: string, 
/**
 * The environment.
 */
environment: string, 
/**
 * One point a day, oldest first (days before the environment's record are left out).
 */
points: Array<AgingPointDto>, };

export type AgingDto = { 
/**
 * When it was computed.
 */
generated_at: string, 
/**
 * Open requests, oldest first.
 */
requests: Array<RequestSummaryDto>, 
/**
 * Every queued change, oldest wait first.
 */
changes: Array<AgingChangeDto>, 
/**
 * Daily history per environment over the last four weeks.
 */
history: Array<AgingSeriesDto>, };
