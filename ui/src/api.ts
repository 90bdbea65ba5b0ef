import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AgingDto,
  ApiError,
  AppInfoDto,
  BoardDto,
  ChannelDto,
  ChannelInputDto,
  DemoDto,
  DeployActionDto,
  DeploymentDto,
  FetchStateDto,
  HotfixInputDto,
  InboxItemDto,
  NewRequestDto,
  OutboxDto,
  PlanDto,
  PreviewDto,
  ProgressDto,
  ProjectDto,
  PromoteInputDto,
  RequestActionDto,
  RequestDetailDto,
  RequestListDto,
  RollbackInputDto,
  RollbackOptionsDto,
  SignoffInputDto,
  StakeholderDto,
  SubscriptionDto,
  SubscriptionInputDto,
  TemplateDto,
  TemplateInputDto,
} from "./ipc.gen";

/** What every call to the app's core returns: a value, or an error a person can read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const UNEXPECTED: ApiError = {
  code: "internal",
  message: "Slipway hit an unexpected problem talking to its core. The log file has the details.",
};

/** Keeps errors to the `{code, message}` shape; anything else becomes a generic sentence. */
export function toApiError(raw: unknown): ApiError {
  if (typeof raw === "object" && raw !== null) {
    const { code, message } = raw as Record<string, unknown>;
    if (typeof code === "string" && typeof message === "string" && message.length > 0) {
      return { code: code as ApiError["code"], message };
    }
  }
  return UNEXPECTED;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (raw) {
    return { ok: false, error: toApiError(raw) };
  }
}

/** Where a run's progress lines go, one call per line, as the core reports them. */
export type OnProgress = (p: ProgressDto) => void;

/** A call whose progress streams back over a channel while it runs (promote, rollback, …). */
function run<T>(command: string, args: Record<string, unknown>, onProgress: OnProgress): Promise<Outcome<T>> {
  const channel = new Channel<ProgressDto>();
  channel.onmessage = onProgress;
  return call<T>(command, { ...args, onProgress: channel });
}

export const api = {
  appInfo: () => call<AppInfoDto>("app_info"),
  loadBoard: () => call<BoardDto>("load_board"),
  createDemo: () => call<DemoDto>("create_demo"),
  addProject: (name: string, repo: string, trunk: string, environments: [string, string][]) =>
    call<ProjectDto>("add_project", { name, repo, trunk, environments }),
  fetch: (project: string) => call<FetchStateDto>("fetch_project", { project }),
  cancelFetch: (project: string) => call<null>("cancel_fetch", { project }),
  preview: (project: string, environment: string, to: string | null) =>
    call<PreviewDto>("preview", { project, environment, to }),
  /** Change requests, nearest breach first; closed, rejected and cancelled ones too with `all`. */
  listRequests: (all: boolean) => call<RequestListDto>("list_requests", { all }),
  showRequest: (id: number) => call<RequestDetailDto>("show_request", { id }),
  openRequest: (input: NewRequestDto) => call<RequestDetailDto>("open_request", { input }),
  actOnRequest: (id: number, action: RequestActionDto) => call<RequestDetailDto>("act_on_request", { id, action }),
  aging: () => call<AgingDto>("aging", {}),

  /** What promoting would ship and what every gate says; changes nothing. */
  planPromotion: (input: PromoteInputDto) => call<PlanDto>("plan_promotion", { input }),
  /** A failure after the run started comes back as a failed deployment, not an error. */
  promote: (input: PromoteInputDto, onProgress: OnProgress) => run<DeploymentDto>("promote", { input }, onProgress),
  rollback: (input: RollbackInputDto, onProgress: OnProgress) => run<DeploymentDto>("rollback", { input }, onProgress),
  rollbackOptions: (project: string, environment: string) => call<RollbackOptionsDto>("rollback_options", { project, environment }),
  /** Ships one queued fix without what waits before it. */
  hotfix: (input: HotfixInputDto, onProgress: OnProgress) => run<DeploymentDto>("hotfix", { input }, onProgress),
  redeploy: (deployment: number, onProgress: OnProgress) => run<DeploymentDto>("redeploy", { deployment }, onProgress),
  /** Stops the running promotion, rollback, hotfix or redeploy; it is recorded as failed. */
  cancelPromotion: () => call<null>("cancel_promotion"),
  /** An environment's deployments, newest first. */
  history: (project: string, environment: string) => call<DeploymentDto[]>("history", { project, environment }),
  hold: (project: string, environment: string, reason: string) => call<null>("hold", { project, environment, reason }),
  unhold: (project: string, environment: string) => call<null>("unhold", { project, environment }),
  signoff: (input: SignoffInputDto) => call<null>("signoff", { input }),
  /** Changes waiting for the viewer's sign-off, oldest first. */
  inbox: () => call<InboxItemDto[]>("inbox"),
  /** Marks a change bad with a reason, or unmarks it with null. */
  markBad: (project: string, sha: string, reason: string | null) => call<null>("mark_bad", { project, sha, reason }),
  closeFollowUp: (id: number) => call<null>("close_follow_up", { id }),
  deployAction: (project: string, environment: string) => call<DeployActionDto>("deploy_action", { project, environment }),
  /** Saves a deploy action; `token` null keeps the stored one (when `has_token`). */
  saveDeployAction: (input: DeployActionDto) => call<DeployActionDto>("save_deploy_action", { input }),

  /** Stakeholders, by email. */
  stakeholders: () => call<StakeholderDto[]>("stakeholders"),
  /** Adds a stakeholder, or replaces the one with the same email. */
  saveStakeholder: (input: StakeholderDto) => call<null>("save_stakeholder", { input }),
  /** Removes a stakeholder and their subscriptions. */
  removeStakeholder: (email: string) => call<null>("remove_stakeholder", { email }),
  /** Notification channels, by name; never their secrets. */
  channels: () => call<ChannelDto[]>("channels"),
  /** Adds a channel; its secrets go to the OS keychain, so a missing keychain refuses it. */
  addChannel: (input: ChannelInputDto) => call<ChannelDto>("add_channel", { input }),
  removeChannel: (name: string) => call<null>("remove_channel", { name }),
  /** Sends a test message now, past the outbox; a failure comes back as `delivery_failed` with the exact reason. */
  testChannel: (name: string, to: string | null) => call<string>("test_channel", { name, to }),
  subscriptions: () => call<SubscriptionDto[]>("subscriptions"),
  subscribe: (input: SubscriptionInputDto) => call<SubscriptionDto>("subscribe", { input }),
  unsubscribe: (id: number) => call<null>("unsubscribe", { id }),
  /** Every event kind × channel kind × part in force, built-in or the workspace's own. */
  templates: () => call<TemplateDto[]>("templates"),
  /** Checked first: an unknown variable is refused with its name. */
  saveTemplate: (input: TemplateInputDto) => call<TemplateDto>("save_template", { input }),
  resetTemplate: (kind: string, channelKind: string, part: string) => call<null>("reset_template", { kind, channelKind, part }),
  /** Counts per state and the newest deliveries (only those in `state` when given). */
  outbox: (state: string | null, limit: number) => call<OutboxDto>("outbox", { state, limit }),
  /** Puts a dead letter back in line, its attempts reset. */
  retryDelivery: (id: number) => call<null>("retry_delivery", { id }),
};
