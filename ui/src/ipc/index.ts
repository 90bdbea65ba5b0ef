/** The app's core over Tauri IPC: the call wrapper, the generated types, and the API by domain with its queries. */
import { aging } from "./aging";
import { app } from "./app";
import { board } from "./board";
import { fetching } from "./fetch";
import { followUps } from "./followUps";
import { metrics } from "./metrics";
import { gates } from "./gates";
import { guard } from "./guard";
import { notifications } from "./notifications";
import { preview } from "./preview";
import { projects } from "./projects";
import { promotion } from "./promotion";
import { requests } from "./requests";

export type * from "./types.gen";
export * from "./vocabulary.gen";
export { toApiError, unwrap, type OnProgress, type Outcome } from "./call";
export { makeQueryClient, read, useAct, useRead, useVisible, type ActOptions, type Read } from "./query";
export { appInfoQuery, appKeys, settingsQuery } from "./app";
export { boardKeys, boardQuery } from "./board";
export { INBOX_REFRESH_MS, gateKeys, inboxQuery } from "./gates";
export { FOLLOW_UPS_REFRESH_MS, followUpKeys, followUpsQuery } from "./followUps";
export { historyQuery, hotfixPlanQuery, promotionKeys, rollbackOptionsQuery } from "./promotion";
export { CLOCK_REFRESH_MS, requestKeys, requestListQuery, requestQuery } from "./requests";
export { AGING_REFRESH_MS, agingKeys, agingQuery } from "./aging";
export { METRICS_REFRESH_MS, metricsKeys, metricsQuery } from "./metrics";
export { driftQuery, guardKeys, guardSettingsQuery } from "./guard";
export {
  LISTS_REFRESH_MS,
  OUTBOX_LIMIT,
  OUTBOX_REFRESH_MS,
  TEMPLATES_REFRESH_MS,
  channelsQuery,
  notificationKeys,
  outboxQuery,
  stakeholdersQuery,
  subscriptionsQuery,
  templatesQuery,
} from "./notifications";

/** Every command of the core, by domain (as the core's API crate groups them). */
export const api = { app, board, projects, fetch: fetching, preview, promotion, gates, followUps, requests, aging, metrics, notifications, guard };
