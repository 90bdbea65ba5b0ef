import { call, run, type OnProgress } from "./call";
import { read } from "./query";
import type { DeployActionDto, DeploymentDto, HotfixInputDto, PlanDto, PromoteInputDto, RollbackInputDto, RollbackOptionsDto, VerdictDto } from "./types.gen";

/** Promotions, rollbacks, hotfixes and redeploys, their history and deploy actions. */
export const promotion = {
  /** What promoting would ship and what every gate says; changes nothing. */
  plan: (input: PromoteInputDto) => call<PlanDto>("plan_promotion", { input }),
  /** A failure after the run started comes back as a failed deployment, not an error. */
  promote: (input: PromoteInputDto, onProgress: OnProgress) => run<DeploymentDto>("promote", { input }, onProgress),
  rollback: (input: RollbackInputDto, onProgress: OnProgress) => run<DeploymentDto>("rollback", { input }, onProgress),
  rollbackOptions: (project: string, environment: string) => call<RollbackOptionsDto>("rollback_options", { project, environment }),
  /** What the gates say of the fix alone, with the override reason applied (blocking ones first); changes nothing. */
  planHotfix: (input: HotfixInputDto) => call<VerdictDto[]>("plan_hotfix", { input }),
  /** Ships one queued fix without what waits before it. */
  hotfix: (input: HotfixInputDto, onProgress: OnProgress) => run<DeploymentDto>("hotfix", { input }, onProgress),
  redeploy: (deployment: number, onProgress: OnProgress) => run<DeploymentDto>("redeploy", { deployment }, onProgress),
  /** Stops the running promotion, rollback, hotfix or redeploy; it is recorded as failed. */
  cancel: () => call<null>("cancel_promotion"),
  /** An environment's deployments, newest first. */
  history: (project: string, environment: string) => call<DeploymentDto[]>("history", { project, environment }),
  deployAction: (project: string, environment: string) => call<DeployActionDto>("deploy_action", { project, environment }),
  /** Saves a deploy action; `token` null keeps the stored one (when `has_token`). */
  saveDeployAction: (input: DeployActionDto) => call<DeployActionDto>("save_deploy_action", { input }),
};

export const promotionKeys = {
  all: ["promotion"] as const,
  history: (project: string, environment: string) => ["promotion", "history", project, environment] as const,
  rollbackOptions: (project: string, environment: string) => ["promotion", "rollback-options", project, environment] as const,
  hotfixPlan: (input: HotfixInputDto) => ["promotion", "hotfix-plan", input.project, input.environment, input.fix, input.override_reason, input.guard_override_reason] as const,
};

export const historyQuery = (project: string, environment: string) =>
  read(promotionKeys.history(project, environment), () => promotion.history(project, environment));

export const rollbackOptionsQuery = (project: string, environment: string) =>
  read(promotionKeys.rollbackOptions(project, environment), () => promotion.rollbackOptions(project, environment));

export const hotfixPlanQuery = (input: HotfixInputDto) => read(promotionKeys.hotfixPlan(input), () => promotion.planHotfix(input));
