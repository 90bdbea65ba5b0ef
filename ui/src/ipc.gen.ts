// Generated from slipway-api's DTOs by `make bindings`. Do not edit.

export type ErrorCode = "workspace_missing" | "workspace_exists" | "workspace_config_invalid" | "database_missing" | "database_unreadable" | "database_unreachable" | "database_schema" | "repository_missing" | "not_a_repository" | "ref_missing" | "project_exists" | "project_missing" | "invalid_input" | "io" | "fetch_failed" | "keychain_unavailable" | "cancelled" | "internal";

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
