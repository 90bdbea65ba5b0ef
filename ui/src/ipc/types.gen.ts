// Generated from slipway-api's DTOs by `make bindings`. Do not edit.

export type ErrorCode = "workspace_missing" | "workspace_exists" | "workspace_config_invalid" | "database_missing" | "database_unreadable" | "database_unreachable" | "database_read_only" | "database_locked" | "database_schema" | "repository_missing" | "not_a_repository" | "ref_missing" | "project_exists" | "project_missing" | "invalid_input" | "request_missing" | "not_allowed" | "conflict" | "unknown_person" | "io" | "fetch_failed" | "keychain_unavailable" | "cancelled" | "promotion_in_progress" | "environment_moved" | "gate_blocked" | "push_failed" | "cherry_pick_conflict" | "already_exists" | "not_found" | "delivery_failed" | "internal";

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

export type BlockerKindDto = "not_promoted" | "reverted_later" | "awaiting_signoff" | "rejected" | "hold" | "freeze" | "bad" | "config_guard";

export type BlockerDto = { 
/**
 * What kind of blocker.
 */
kind: BlockerKindDto, 
/**
 * The blocker as a sentence ("waiting 2 d 4 h — staging has not taken it yet").
 */
sentence: string, };

export type ShippedHowDto = "cherry_picked" | "same_patch";

export type ShippedAsDto = { 
/**
 * The environment's commit (full sha).
 */
sha: string, 
/**
 * When the environment got it, RFC 3339 UTC.
 */
at: string, 
/**
 * How it was recognised.
 */
how: ShippedHowDto, 
/**
 * In words: "shipped as 1a2b3c4d (cherry-picked) — it will not ship again as new code".
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
 * Seconds it has waited (until it shipped as another commit, when it did).
 */
age_seconds: number, 
/**
 * The wait as people read it ("3 d 4 h").
 */
age: string, 
/**
 * How worrying the wait is; absent once it shipped as another commit.
 */
band: AgeBandDto | null, 
/**
 * Why it has not moved on, most important first (none once shipped as another commit).
 */
blockers: Array<BlockerDto>, 
/**
 * The environment commit that already carries its patch (a hotfix, a cherry-pick): it
 * stays listed, as git's range does, but it is not waiting.
 */
shipped_as: ShippedAsDto | null, 
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
error: ApiError | null, 
/**
 * The hold on it, if one is on.
 */
hold: HoldDto | null, 
/**
 * Freeze windows on now, as sentences.
 */
frozen: Array<string>, 
/**
 * Its sign-off rule in words ("2 qa sign-offs"), if it has one.
 */
signoff_rule: string | null, 
/**
 * Its newest promotion, rollback, redeploy or hotfix.
 */
last_deployment: DeploymentDto | null, 
/**
 * A promotion running now: what, who and since when.
 */
running: string | null, };

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
fetch: FetchStateDto | null, 
/**
 * Open follow-ups (postmortems after rollbacks); they stay until closed.
 */
follow_ups: Array<FollowUpDto>, };

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

export type AlreadyShippedDto = { 
/**
 * The queued change.
 */
change: ChangeDto, 
/**
 * The environment commit that carries its patch.
 */
shipped_as: ShippedAsDto, };

export type GuardModeDto = "block" | "warn" | "off";

export type FindingKindDto = "foreign_marker" | "denied_setting" | "path_scope" | "secret";

export type FindingDto = { 
/**
 * What kind.
 */
kind: FindingKindDto, 
/**
 * The file.
 */
path: string, 
/**
 * The line (1-based).
 */
line: number, 
/**
 * The matched text (a secret is redacted).
 */
matched: string, 
/**
 * The environment it belongs to (the marker's or file's owner; the target for a
 * denied setting or a secret).
 */
environment: string, 
/**
 * Why it is a finding ("learned from config/perf.toml:1", "a mock").
 */
rule: string, 
/**
 * Whether it blocks the promotion (before an override).
 */
blocks: boolean, 
/**
 * The whole finding as a sentence.
 */
sentence: string, 
/**
 * The shipping change that introduced the line (full sha).
 */
change: string | null, 
/**
 * That change's title.
 */
change_title: string | null, };

export type SkippedDto = { 
/**
 * The file.
 */
path: string, 
/**
 * Why ("binary", "over 1 MB").
 */
why: string, };

export type GuardReportDto = { 
/**
 * The target environment.
 */
environment: string, 
/**
 * Its mode.
 */
mode: GuardModeDto, 
/**
 * Findings, in file and line order.
 */
findings: Array<FindingDto>, 
/**
 * Files not read, and why.
 */
skipped: Array<SkippedDto>, 
/**
 * Files read.
 */
files_read: number, 
/**
 * Added lines read.
 */
lines_read: number, 
/**
 * Whether a finding blocks (before an override).
 */
blocks: boolean, 
/**
 * The override the project allows: a reason, or a sign-off of this role.
 */
override_role: string | null, };

export type MarkerOriginDto = "learned" | "manual" | "ignored";

export type MarkerDto = { 
/**
 * Whose marker.
 */
environment: string, 
/**
 * The text.
 */
text: string, 
/**
 * Where it came from.
 */
origin: MarkerOriginDto, 
/**
 * "learned from config/perf.toml:1", "added by hand".
 */
source: string, };

export type DeniedDto = { 
/**
 * The target environment it is denied in.
 */
environment: string, 
/**
 * The regular expression.
 */
pattern: string, 
/**
 * Why.
 */
why: string, };

export type GuardEnvironmentDto = { 
/**
 * The environment.
 */
environment: string, 
/**
 * Its mode.
 */
mode: GuardModeDto, 
/**
 * Whether it is the default (block for the last environment, warn for others).
 */
default: boolean, };

export type GuardSettingsDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * The per-environment file patterns (`<env>` stands for the name).
 */
globs: Array<string>, 
/**
 * Whether they are the defaults.
 */
globs_default: boolean, 
/**
 * Known environments beyond the pipeline's.
 */
other_environments: Array<string>, 
/**
 * Every marker: learned (from what the last environment runs), by hand, dismissed.
 */
markers: Array<MarkerDto>, 
/**
 * The denied settings in force.
 */
denied: Array<DeniedDto>, 
/**
 * Whether they are the defaults.
 */
denied_default: boolean, 
/**
 * Each pipeline environment's mode.
 */
modes: Array<GuardEnvironmentDto>, 
/**
 * When set, a block is lifted only by an approving sign-off of this role.
 */
override_role: string | null, 
/**
 * The commit markers were learned from (what the last environment runs), short.
 */
learned_at: string, };

export type DriftDto = { 
/**
 * The project.
 */
project: string, 
/**
 * The first environment (usually the one that runs the older code).
 */
from: string, 
/**
 * Its commit.
 */
from_sha: string, 
/**
 * The second environment.
 */
to: string, 
/**
 * Its commit.
 */
to_sha: string, 
/**
 * The config files that differ, by path.
 */
files: Array<DriftFileDto>, 
/**
 * How many other files differ (code, docs).
 */
other_files: number, };

export type DriftFileDto = { 
/**
 * Its path.
 */
path: string, 
/**
 * `added`, `deleted`, `modified` or `renamed`, going from the first environment to the
 * second.
 */
status: string, 
/**
 * The environment whose own file it is (by the guard's patterns), if any.
 */
owner: string | null, 
/**
 * Binary: no diff.
 */
binary: boolean, 
/**
 * Lines only the second environment has.
 */
additions: number, 
/**
 * Lines only the first has.
 */
deletions: number, 
/**
 * The unified diff.
 */
patch: string, 
/**
 * The diff was longer and is cut.
 */
cut: boolean, };

export type GuardChangeDto = { "change": "add_marker", 
/**
 * Whose marker.
 */
environment: string, 
/**
 * The text (at least 4 characters).
 */
text: string, } | { "change": "remove_marker", 
/**
 * The text.
 */
text: string, } | { "change": "restore_marker", 
/**
 * The text.
 */
text: string, } | { "change": "add_denied", 
/**
 * The target environment.
 */
environment: string, 
/**
 * A regular expression.
 */
pattern: string, 
/**
 * Why, for the finding.
 */
why: string, } | { "change": "remove_denied", 
/**
 * The target environment.
 */
environment: string, 
/**
 * The pattern, as listed.
 */
pattern: string, } | { "change": "reset_denied" } | { "change": "set_mode", 
/**
 * The environment.
 */
environment: string, 
/**
 * block, warn or off.
 */
mode: GuardModeDto, } | { "change": "set_globs", 
/**
 * The patterns, each with `<env>`.
 */
globs: Array<string> | null, } | { "change": "set_other_environments", 
/**
 * Their names.
 */
names: Array<string> | null, } | { "change": "set_override_role", 
/**
 * The role.
 */
role: string | null, };

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
 * Changes in `shipping` the environment already has as another commit (a hotfix, a
 * cherry-pick): they will not ship again as new code.
 */
already_shipped: Array<AlreadyShippedDto>, 
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
release_notes: string, 
/**
 * What the config guard found in the lines that would ship.
 */
guard: GuardReportDto, };

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

export type RefFamilyDto = "deploy_branch" | "env_branch" | "environment_branch" | "release_branch" | "named_branch" | "slash_tags" | "dash_tags" | "version_tags";

export type DetectedEnvironmentDto = { 
/**
 * Its name.
 */
name: string, 
/**
 * `branch` or `tag`.
 */
strategy: string, 
/**
 * The branch, or the tag pattern.
 */
ref_name: string, 
/**
 * How it was recognised.
 */
family: RefFamilyDto, 
/**
 * Why it is here and where: "branch deploy/qa, 3 changes behind trunk (3 h)".
 */
evidence: string, 
/**
 * Trunk's first-parent commits it does not have.
 */
behind: number, 
/**
 * First-parent commits it has that trunk does not.
 */
ahead: number, };

export type PipelineProposalDto = { 
/**
 * The clone, as an absolute path.
 */
repo_path: string, 
/**
 * A project name made from the folder's name.
 */
suggested_name: string, 
/**
 * The remote it fetches from.
 */
remote: string, 
/**
 * The trunk branch.
 */
trunk: string, 
/**
 * Why that branch is trunk.
 */
trunk_evidence: string, 
/**
 * The environments, nearest trunk first.
 */
environments: Array<DetectedEnvironmentDto>, 
/**
 * What Slipway looks for and how to declare environments (shown when none was found).
 */
looked_for: string, };

export type InitDto = { 
/**
 * The workspace folder.
 */
workspace: string, 
/**
 * Its database file.
 */
database: string, };

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
 * Who you act as; `None` when nothing says (the header then asks).
 */
me: string | null, 
/**
 * Your name, when known.
 */
my_name: string, 
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

export type IdentitySourceDto = "flag" | "environment" | "settings" | "git";

export type WorkspaceSourceDto = "flag" | "environment" | "settings" | "default";

export type ThemeDto = "system" | "light" | "dark";

export type SettingsDto = { 
/**
 * Who you act as; `None` when nothing says.
 */
email: string | null, 
/**
 * Where that email came from.
 */
email_source: IdentitySourceDto | null, 
/**
 * The email your settings hold (another source may win over it).
 */
email_in_settings: string | null, 
/**
 * Your name: your settings', else the workspace's record of you, else git's user.name.
 */
name: string, 
/**
 * Your roles in this workspace (qa, release-manager…), from its people.
 */
roles: Array<string>, 
/**
 * The workspace folder in use.
 */
workspace: string, 
/**
 * Whether a workspace exists there.
 */
workspace_exists: boolean, 
/**
 * Where the workspace was chosen.
 */
workspace_source: WorkspaceSourceDto, 
/**
 * Workspaces used before, newest first (the one in use among them).
 */
recent_workspaces: Array<string>, 
/**
 * Minutes between background fetches (0 = off); `None` without a workspace.
 */
fetch_interval_minutes: number | null, 
/**
 * The theme.
 */
theme: ThemeDto, 
/**
 * Whether desktop notices pop up.
 */
desktop_notices: boolean, 
/**
 * Your settings file.
 */
settings_file: string, 
/**
 * Where logs are written.
 */
log_dir: string, 
/**
 * Slipway's version.
 */
version: string, };

export type ClockStageDto = "approve" | "verify" | "deploy" | "total" | "aging";

export type ToneDto = "calm" | "warning" | "urgent" | "breached";

export type ClockDto = { 
/**
 * Stable identity (`cr/12/approve`, `age/payments/staging/<sha>`).
 */
key: string, 
/**
 * What it measures.
 */
stage: ClockStageDto, 
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
 * How worrying it is; front ends colour by it.
 */
tone: ToneDto, 
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

export type RequestStepDto = "submit" | "approve" | "reject" | "verify" | "hold" | "resume" | "close" | "cancel" | "link" | "acknowledge";

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
 * The steps the person using Slipway can take now, as the lifecycle allows them: front
 * ends offer exactly these.
 */
actions: Array<RequestStepDto>, };

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

export type DoraAskDto = { 
/**
 * The project (may be left out when the workspace has one).
 */
project: string | null, 
/**
 * The environment (production, or the pipeline's last, by default).
 */
environment: string | null, 
/**
 * The window's start: a date (`2026-11-01`) or a time; up to now.
 */
since: string | null, 
/**
 * Or the window's length in days up to now (default 30).
 */
days: number | null, 
/**
 * Hours after a deployment within which a hotfix or revert marks it failed (default 72).
 */
failure_window_hours: number | null, };

export type DoraMetricDto = "deployment_frequency" | "lead_time" | "change_fail_rate" | "recovery_time" | "rework_rate";

export type DoraBandDto = "under_an_hour" | "under_a_day" | "under_a_week" | "under_a_month" | "under_six_months" | "longer" | "on_demand" | "daily" | "weekly" | "monthly" | "half_yearly" | "rarer" | "up_to15" | "up_to30" | "up_to45" | "up_to60" | "over60";

export type DoraFigureDto = { 
/**
 * Which metric.
 */
metric: DoraMetricDto, 
/**
 * Its name.
 */
name: string, 
/**
 * The value: deployments a week, seconds (median), or a share between 0 and 1;
 * `null` when there is nothing to compute it from.
 */
value: number | null, 
/**
 * The value as shown ("4.5 a week", "1 d 2 h", "44 %", or "no deployments").
 */
shown: string, 
/**
 * What is shown beside it (the p85, the lead time from merge, the counts).
 */
detail: string, 
/**
 * How many deployments, changes or failures it is computed from.
 */
count: number, 
/**
 * The count in words ("from 9 deployments").
 */
basis: string, 
/**
 * Its performance band.
 */
band: DoraBandDto | null, 
/**
 * The band in DORA's words.
 */
band_label: string | null, 
/**
 * 0 for the best band, up to 5.
 */
band_rank: number | null, 
/**
 * How Slipway measures it.
 */
definition: string, 
/**
 * The same figure for each week of the trend (`null` for a week without data).
 */
trend: Array<number | null>, };

export type FailureRuleDto = "recorded_failed" | "rolled_back" | "hotfix_followed" | "reverted";

export type UnplannedDto = "rollback" | "hotfix" | "emergency";

export type DeploymentSourceDto = "slipway" | "reflog" | "tag" | "record";

export type DoraFailureDto = { 
/**
 * The rule.
 */
rule: FailureRuleDto, 
/**
 * The rule in words.
 */
why: string, 
/**
 * When service was restored (`null`: not yet).
 */
restored_at: string | null, 
/**
 * By which commit.
 */
restored_sha: string | null, 
/**
 * By what kind of deployment.
 */
restored_kind: DeploymentKindDto | null, 
/**
 * Seconds from the failed deployment.
 */
recovery_seconds: number | null, };

export type DoraDeploymentDto = { 
/**
 * When, RFC 3339 UTC.
 */
at: string, 
/**
 * Its kind.
 */
kind: DeploymentKindDto, 
/**
 * Where it was learned.
 */
source: DeploymentSourceDto, 
/**
 * The commit deployed.
 */
sha: string, 
/**
 * Its first 8 characters.
 */
short_sha: string, 
/**
 * The Slipway run, when it was one.
 */
run: number | null, 
/**
 * Changes it deployed for the first time (shas).
 */
changes: Array<string>, 
/**
 * Set when it failed.
 */
failure: DoraFailureDto | null, 
/**
 * Set when it was unplanned.
 */
unplanned: UnplannedDto | null, 
/**
 * The emergency request it served.
 */
request: number | null, };

export type DoraChangeDto = { 
/**
 * Full sha.
 */
sha: string, 
/**
 * First 8 characters.
 */
short_sha: string, 
/**
 * Title.
 */
title: string, 
/**
 * A commit off trunk's line (a hotfix's).
 */
off_trunk: boolean, 
/**
 * First commit, RFC 3339 UTC.
 */
first_commit_at: string, 
/**
 * Merge.
 */
merged_at: string, 
/**
 * First deployment here.
 */
deployed_at: string, 
/**
 * Lead time from first commit, seconds.
 */
lead_seconds: number, 
/**
 * From merge, seconds.
 */
from_merge_seconds: number, 
/**
 * Its wait in each stage (`null` where a record does not reach back).
 */
stage_waits: Array<number | null>, };

export type DoraStageDto = { 
/**
 * "merged → qa", "qa → staging".
 */
label: string, 
/**
 * The environment it waits for.
 */
environment: string, 
/**
 * Median wait, seconds.
 */
median_seconds: number | null, 
/**
 * p85 wait, seconds.
 */
p85_seconds: number | null, };

export type DoraWeekDto = { 
/**
 * Its first instant in the window.
 */
start: string, 
/**
 * Deployments.
 */
deployments: number, 
/**
 * Failed.
 */
failed: number, 
/**
 * Unplanned.
 */
unplanned: number, 
/**
 * Changes first deployed.
 */
changes: number, 
/**
 * Median wait per stage, seconds (same order as the stages).
 */
stage_medians: Array<number | null>, 
/**
 * p85 wait per stage, seconds.
 */
stage_p85s: Array<number | null>, };

export type DoraDto = { 
/**
 * The project.
 */
project: string, 
/**
 * The environment.
 */
environment: string, 
/**
 * Every project, to choose from.
 */
projects: Array<string>, 
/**
 * The project's environments, to choose from.
 */
environments: Array<string>, 
/**
 * Window start, RFC 3339 UTC.
 */
from: string, 
/**
 * Window end.
 */
to: string, 
/**
 * Its length in whole days.
 */
days: number, 
/**
 * The failure window, hours.
 */
failure_window_hours: number, 
/**
 * The five figures, in DORA's order.
 */
figures: Array<DoraFigureDto>, 
/**
 * A sentence when the window has no deployments.
 */
empty: string | null, 
/**
 * Where the deployments came from, in words.
 */
sources: string, 
/**
 * Where the time goes: the stages, with the window's median and p85.
 */
stages: Array<DoraStageDto>, 
/**
 * The weekly trend.
 */
weeks: Array<DoraWeekDto>, 
/**
 * Deployments in the window, oldest first.
 */
deployments: Array<DoraDeploymentDto>, 
/**
 * Changes first deployed in the window.
 */
changes: Array<DoraChangeDto>, };

export type GateKindDto = "hold" | "freeze" | "signoff" | "ride_along" | "bad" | "config" | "secret";

export type OutcomeDto = "pass" | "warn" | "block" | "overridden";

export type VerdictDto = { 
/**
 * Which gate.
 */
kind: GateKindDto, 
/**
 * What it says.
 */
outcome: OutcomeDto, 
/**
 * The verdict as a sentence.
 */
sentence: string, 
/**
 * The change it is about, if one.
 */
sha: string | null, };

export type PlanDto = { 
/**
 * What would ship.
 */
preview: PreviewDto, 
/**
 * Every gate's verdict, blocking ones first.
 */
verdicts: Array<VerdictDto>, 
/**
 * Shas that would ship without their sign-off (confirm to ship them anyway).
 */
ride_along: Array<string>, 
/**
 * Whether nothing blocks.
 */
allowed: boolean, 
/**
 * What moves: "push deploy/staging to origin", "tag production/…", "record in Slipway".
 */
moves: string, 
/**
 * The deploy action, in words.
 */
action: string, 
/**
 * The verification, in words, if any.
 */
verification: string | null, 
/**
 * A promotion of this environment already running: who and since when.
 */
in_progress: string | null, };

export type PromoteInputDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * Promote up to this change (sha or prefix); default everything queued.
 */
to: string | null, 
/**
 * Where the person saw the environment stand (refused if it moved since).
 */
expected_from: string | null, 
/**
 * A reason, to promote through a freeze window.
 */
override_reason: string | null, 
/**
 * A reason, to promote past the config guard's block (audited).
 */
guard_override_reason: string | null, 
/**
 * Ship changes that lack their sign-off along with the target.
 */
accept_ride_along: boolean, };

export type RollbackInputDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * The earlier deployment's commit to go back to (default: where it stood before).
 */
to: string | null, 
/**
 * Why: the hold and follow-up carry it.
 */
reason: string, 
/**
 * Changes to mark bad (they go no further downstream until unmarked).
 */
mark_bad: Array<string>, 
/**
 * A reason, to roll back through a freeze window.
 */
override_reason: string | null, };

export type HotfixInputDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * The fix (sha or prefix), queued for the environment.
 */
fix: string, 
/**
 * A reason, to go through a freeze window.
 */
override_reason: string | null, 
/**
 * A reason, to ship past the config guard's block (audited).
 */
guard_override_reason: string | null, };

export type ProgressDto = { 
/**
 * `lock`, `push`, `action`, `verify` or `record`.
 */
step: string, 
/**
 * What happened, one line.
 */
line: string, };

export type DeploymentKindDto = "promote" | "rollback" | "redeploy" | "hotfix";

export type DeploymentStatusDto = "started" | "pushed" | "acted" | "verified" | "succeeded" | "failed";

export type DeploymentDto = { 
/**
 * Its number.
 */
id: number, 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * What kind of run.
 */
kind: DeploymentKindDto, 
/**
 * Where the environment stood.
 */
from_sha: string, 
/**
 * Where it was moved.
 */
to_sha: string, 
/**
 * The ref or tag written.
 */
ref_written: string, 
/**
 * The changes it shipped (rolled back, for a rollback), oldest first.
 */
changes: Array<string>, 
/**
 * Who.
 */
by: string, 
/**
 * Started, RFC 3339 UTC.
 */
started_at: string, 
/**
 * Finished, RFC 3339 UTC.
 */
finished_at: string | null, 
/**
 * How far it got.
 */
status: DeploymentStatusDto, 
/**
 * Why it failed, or what reconciling found.
 */
reason: string, 
/**
 * The run's own reason: a rollback's ("the card form fails"), a redeploy's ("again as
 * #12"); empty for a promotion.
 */
why: string, 
/**
 * What the deploy action and the verification said.
 */
output: string, 
/**
 * The reason a freeze was overridden.
 */
override_reason: string | null, 
/**
 * The ref moved and the deployment failed: offer a rollback.
 */
offer_rollback: boolean, };

export type RollbackTargetDto = { 
/**
 * The commit it would go back to.
 */
change: ChangeDto, 
/**
 * The changes going back there removes, oldest first (candidates to mark bad).
 */
removes: Array<ChangeDto>, };

export type RollbackOptionsDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * Where it stands.
 */
current: ChangeDto, 
/**
 * Earlier positions, the previous one first (the default).
 */
targets: Array<RollbackTargetDto>, };

export type HeaderDto = { 
/**
 * Name.
 */
name: string, 
/**
 * Value (may use variables).
 */
value: string, };

export type DeployActionDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * `none`, `webhook` or `command`.
 */
kind: string, 
/**
 * Webhook method.
 */
method: string, 
/**
 * Webhook URL (http or https; may use variables after the host).
 */
url: string, 
/**
 * Webhook headers.
 */
headers: Array<HeaderDto>, 
/**
 * Webhook JSON body template.
 */
body: string, 
/**
 * Command: program, then arguments (each stays one argument; no shell).
 */
argv: Array<string>, 
/**
 * Time limit in seconds.
 */
timeout_secs: number, 
/**
 * Health URL polled after the action (empty: none).
 */
verify_url: string, 
/**
 * Give up verifying after this many seconds.
 */
verify_timeout_secs: number, 
/**
 * Seconds between health polls.
 */
verify_interval_secs: number, 
/**
 * A new bearer token for the webhook, stored in the OS keychain (never read back).
 */
token: string | null, 
/**
 * Whether a token is stored (read-only; keep it when `token` is absent).
 */
has_token: boolean, 
/**
 * The variables templates may use (read-only).
 */
variables: Array<string>, };

export type SignoffInputDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * The change (sha or prefix), waiting for the environment.
 */
sha: string, 
/**
 * `approve` or `reject`.
 */
verdict: string, 
/**
 * Why, in the signer's words (required to reject).
 */
comment: string, };

export type WeeklyFreezeInputDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * One environment, or every one when absent.
 */
environment: string | null, 
/**
 * The window, such as "fri 16:00 - mon 08:00".
 */
window: string, 
/**
 * The IANA zone its times are read in.
 */
zone: string, 
/**
 * Why.
 */
reason: string, };

export type FollowUpDto = { 
/**
 * Its number.
 */
id: number, 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * What is to be done.
 */
title: string, 
/**
 * The rollback that opened it.
 */
deployment: number | null, 
/**
 * The deployment that rollback undid.
 */
rolled_back: number | null, 
/**
 * The change request it came from or is linked to.
 */
request: number | null, 
/**
 * Who opened it.
 */
opened_by: string, 
/**
 * When, RFC 3339 UTC.
 */
opened_at: string, 
/**
 * Who owns it.
 */
owner: string | null, 
/**
 * How urgent.
 */
priority: PriorityDto, 
/**
 * When it is due, RFC 3339 UTC.
 */
due_at: string, 
/**
 * The calendar its due date counts on ("24x7" when the project names none).
 */
calendar: string, 
/**
 * "due in 3 d 4 h", "overdue by 2 d", "done", "won't do".
 */
standing: string, 
/**
 * Open and past its due date.
 */
overdue: boolean, 
/**
 * Where it stands.
 */
status: FollowUpStatusDto, 
/**
 * Why it was closed so (won't do), or the note it was closed with.
 */
reason: string | null, 
/**
 * The ticket or document where the postmortem lives.
 */
external_link: string | null, 
/**
 * Who closed it, when closed.
 */
closed_by: string | null, 
/**
 * When it was closed, RFC 3339 UTC.
 */
closed_at: string | null, };

export type FollowUpStatusDto = "open" | "done" | "wont-do";

export type PriorityDto = "high" | "normal" | "low";

export type FollowUpEditDto = { 
/**
 * A new owner (an email address).
 */
owner: string | null, 
/**
 * A new priority.
 */
priority: PriorityDto | null, 
/**
 * A new due date (as [`NewFollowUpDto::due`]).
 */
due: string | null, 
/**
 * The ticket or document where the postmortem lives; empty removes it.
 */
external_link: string | null, 
/**
 * A change request to link.
 */
request: number | null, };

export type FollowUpCloseDto = { 
/**
 * Done or won't do.
 */
status: FollowUpStatusDto, 
/**
 * Why (needed for won't do), or a note.
 */
reason: string, };

export type NewFollowUpDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * What is to be done.
 */
title: string, 
/**
 * Who owns it (the person opening it when absent).
 */
owner: string | null, 
/**
 * When it is due (RFC 3339, `YYYY-MM-DD HH:MM` UTC or `YYYY-MM-DD`: that day's close on
 * the project's calendar); the project's default when absent.
 */
due: string | null, 
/**
 * A change request it belongs to.
 */
request: number | null, };

export type FollowUpSettingsDto = { 
/**
 * The calendar due dates count on (`null`: 24×7).
 */
calendar: string | null, 
/**
 * Business days from the rollback or the request's close to the due date.
 */
due_days: number, };

export type PostmortemDto = { 
/**
 * The draft, Markdown.
 */
markdown: string, 
/**
 * A file name to save it under.
 */
file_name: string, };

export type HoldDto = { 
/**
 * Why.
 */
reason: string, 
/**
 * Who owns lifting it.
 */
owner: string, 
/**
 * Since when, RFC 3339 UTC.
 */
since: string, };

export type AuditVerifyDto = { 
/**
 * Entries checked.
 */
entries: number, 
/**
 * Whether the chain is whole.
 */
ok: boolean, 
/**
 * Where it breaks, as a sentence.
 */
problem: string | null, 
/**
 * The newest entry a valid signed checkpoint covers (0: none).
 */
covered_through: number, 
/**
 * What the checkpoints cover, as a sentence.
 */
checkpoints: string, };

export type AuditEntryDto = { 
/**
 * Position.
 */
seq: number, 
/**
 * When, RFC 3339 UTC.
 */
at: string, 
/**
 * Who.
 */
actor: string, 
/**
 * What kind of act.
 */
action: string, 
/**
 * What it was done to.
 */
subject: string, 
/**
 * Details.
 */
detail: string, 
/**
 * The previous entry's hash.
 */
prev_hash: string, 
/**
 * This entry's hash.
 */
hash: string, };

export type InboxItemDto = { 
/**
 * Project name.
 */
project: string, 
/**
 * Environment name.
 */
environment: string, 
/**
 * The change.
 */
change: ChangeDto, 
/**
 * How long it has waited for the environment.
 */
age: string, 
/**
 * Seconds it has waited.
 */
age_seconds: number, 
/**
 * Where its sign-offs stand ("1 of 2 qa sign-offs").
 */
state: string, };

export type StakeholderDto = { 
/**
 * Their email address (how Slipway knows them).
 */
email: string, 
/**
 * Their name.
 */
name: string, 
/**
 * How chat messages mention them (`@dana`), or empty.
 */
chat_handle: string, 
/**
 * Roles (`qa`, `release-manager`).
 */
roles: Array<string>, 
/**
 * How many subscriptions they have (read-only).
 */
subscriptions: number, };

export type ChannelInputDto = { 
/**
 * A unique name (`release-mail`, `#releases`).
 */
name: string, 
/**
 * `email`, `slack`, `teams`, `webhook` or `desktop`.
 */
kind: string, 
/**
 * Email: the SMTP server's host.
 */
host: string, 
/**
 * Email: the SMTP port (587 for STARTTLS, 465 for TLS, 25 for none).
 */
port: number, 
/**
 * Email: `starttls`, `tls` or `none`.
 */
tls: string, 
/**
 * Email: the SMTP user, or empty for none.
 */
username: string, 
/**
 * Email: the sender address.
 */
from: string, 
/**
 * Slack, Teams, webhook: the URL to post to (kept in the keychain: it may carry a key).
 */
url: string, 
/**
 * Email: the SMTP password; webhook: the HMAC signing key. Kept in the keychain.
 */
secret: string, };

export type ChannelDto = { 
/**
 * Its name.
 */
name: string, 
/**
 * `email`, `slack`, `teams`, `webhook` or `desktop`.
 */
kind: string, 
/**
 * Where it delivers, without secrets ("smtp.example.com:587 (starttls) from rm@x",
 * "https://hooks.slack.com — URL in the keychain").
 */
summary: string, 
/**
 * Whether a secret is kept in the keychain for it.
 */
has_secret: boolean, 
/**
 * Who added it, and when (RFC 3339).
 */
created_by: string, 
/**
 * When it was added.
 */
created_at: string, 
/**
 * How many subscriptions use it.
 */
subscriptions: number, };

export type SubscriptionInputDto = { 
/**
 * The stakeholder's email.
 */
person: string, 
/**
 * The channel's name.
 */
channel: string, 
/**
 * Only this project (empty: all).
 */
project: string, 
/**
 * Only this environment (empty: all).
 */
environment: string, 
/**
 * Only these event kinds (empty: all).
 */
kinds: Array<string>, 
/**
 * `info`, `warning` or `critical` (empty: info).
 */
min_severity: string, 
/**
 * `immediate` or `digest HH:MM Area/City` (empty: immediate).
 */
delivery: string, };

export type SubscriptionDto = { 
/**
 * Its number.
 */
id: number, 
/**
 * The stakeholder's email.
 */
person: string, 
/**
 * The channel's name.
 */
channel: string, 
/**
 * The channel's kind.
 */
channel_kind: string, 
/**
 * Only this project (empty: all).
 */
project: string, 
/**
 * Only this environment (empty: all).
 */
environment: string, 
/**
 * Only these kinds (empty: all).
 */
kinds: Array<string>, 
/**
 * The minimum severity.
 */
min_severity: string, 
/**
 * `immediate` or `digest HH:MM Zone`.
 */
delivery: string, };

export type TemplateDto = { 
/**
 * The event kind.
 */
kind: string, 
/**
 * The channel kind.
 */
channel_kind: string, 
/**
 * The part (`subject`, `text`, `html`, `markdown`, `json`).
 */
part: string, 
/**
 * The text.
 */
body: string, 
/**
 * Whether the workspace changed it.
 */
custom: boolean, 
/**
 * The variables it may use.
 */
variables: Array<string>, };

export type TemplateInputDto = { 
/**
 * The event kind.
 */
kind: string, 
/**
 * The channel kind.
 */
channel_kind: string, 
/**
 * The part.
 */
part: string, 
/**
 * The text; `{{variable}}` placeholders must be the kind's.
 */
body: string, };

export type DeliveryDto = { 
/**
 * Its number (what `outbox retry` takes).
 */
id: number, 
/**
 * The event's number.
 */
event_id: number, 
/**
 * The event kind.
 */
kind: string, 
/**
 * The event's severity.
 */
severity: string, 
/**
 * What happened.
 */
title: string, 
/**
 * The project.
 */
project: string, 
/**
 * The environment, or empty.
 */
environment: string, 
/**
 * Who it is for.
 */
recipient: string, 
/**
 * The channel's name.
 */
channel: string, 
/**
 * The channel's kind.
 */
channel_kind: string, 
/**
 * `pending`, `sending`, `sent`, `dead` or `cancelled`.
 */
state: string, 
/**
 * Whether it waits for a daily digest.
 */
digest: boolean, 
/**
 * Attempts made.
 */
attempts: number, 
/**
 * The last attempt's error, or empty.
 */
last_error: string, 
/**
 * When it is (next) due, RFC 3339.
 */
next_attempt_at: string, 
/**
 * When it was written, RFC 3339.
 */
created_at: string, 
/**
 * When it was delivered, RFC 3339, or empty.
 */
sent_at: string, 
/**
 * The idempotency key every attempt carries.
 */
idempotency_key: string, 
/**
 * No channel reaches the recipient (an escalation with no subscription and no email
 * channel): stored dead with the reason in `last_error`; no retry can send it.
 */
undeliverable: boolean, };

export type OutboxDto = { 
/**
 * Waiting to be sent or retried.
 */
pending: number, 
/**
 * Being sent.
 */
sending: number, 
/**
 * Delivered.
 */
sent: number, 
/**
 * Dead letters: given up on; retry them by hand.
 */
dead: number, 
/**
 * No longer wanted.
 */
cancelled: number, 
/**
 * The deliveries asked for, newest first.
 */
entries: Array<DeliveryDto>, };

export type PageDto = "board" | "inbox" | "requests" | "notifications" | "follow_ups";

export type LinkDto = { 
/**
 * The page.
 */
page: PageDto, 
/**
 * The request to open, for a link that names one.
 */
request: number | null, 
/**
 * The follow-up to open, for a link that names one.
 */
follow_up: number | null, 
/**
 * The link asks to acknowledge the request's breach: "I'm on it" is made ready on its
 * page, never pressed.
 */
acknowledge: boolean, };

export type WindowStartDto = { 
/**
 * The link the app was started on, read by the core.
 */
link: LinkDto | null, 
/**
 * The route it showed last (`/requests/12`).
 */
last_page: string | null, };

export type DesktopNoticeDto = { 
/**
 * The title line.
 */
title: string, 
/**
 * The text.
 */
body: string, 
/**
 * A `slipway://` link into the app.
 */
link: string, 
/**
 * Where the link leads.
 */
target: LinkDto | null, 
/**
 * The severity.
 */
severity: string, };

export type DispatchDto = { 
/**
 * Deliveries made.
 */
delivered: number, 
/**
 * Attempts that failed and will be tried again.
 */
retrying: number, 
/**
 * Deliveries given up on (dead letters).
 */
dead: number, };

export type WaitingForMeDto = { 
/**
 * Changes waiting for a sign-off they may give.
 */
signoffs: number, 
/**
 * Change requests waiting for their approval.
 */
approvals: number, 
/**
 * Breached clocks they can acknowledge.
 */
breaches: number, 
/**
 * Escalations no channel can carry, waiting for a channel or a subscription.
 */
undeliverable: number, 
/**
 * All of it (the badge).
 */
total: number, 
/**
 * The items, most urgent first (at most 10).
 */
items: Array<WaitingItemDto>, };

export type WaitingKindDto = "signoff" | "approval" | "breach" | "undeliverable";

export type WaitingItemDto = { 
/**
 * What kind.
 */
kind: WaitingKindDto, 
/**
 * One line for a menu.
 */
label: string, 
/**
 * Where it is in the app (`slipway://inbox`, `slipway://request/12`).
 */
link: string, 
/**
 * Where the link leads.
 */
target: LinkDto | null, };

export type ReachDto = "subscribed" | "email_fallback" | "unreachable" | "per_request" | "nobody_holds_role";

export type ChainMemberDto = { 
/**
 * The policy: `emergency sev1`, or `aging payments/staging`.
 */
policy: string, 
/**
 * The threshold (`warn-50`, `breach`).
 */
threshold: string, 
/**
 * As the chain names them: an address, `role:lead`, `assignee`, `requester`.
 */
named: string, 
/**
 * The person's address (empty for `assignee`, `requester`, a role nobody holds).
 */
person: string, 
/**
 * How they would be reached.
 */
reach: ReachDto, 
/**
 * The channels, by name.
 */
channels: Array<string>, 
/**
 * In words: "by email (release-mail), no subscription", "no channel reaches …".
 */
sentence: string, };
