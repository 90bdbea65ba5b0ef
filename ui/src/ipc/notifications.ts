import { call } from "./call";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { read } from "./query";
import type {
  ChannelDto,
  ChannelInputDto,
  OutboxDto,
  StakeholderDto,
  SubscriptionDto,
  SubscriptionInputDto,
  TemplateDto,
  TemplateInputDto,
} from "./types.gen";

/** Stakeholders, channels, subscriptions, templates and the outbox. */
export const notifications = {
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

/** How often the people, channels and subscriptions are read again (others may change them too). */
export const LISTS_REFRESH_MS = 60_000;

/** How often the outbox is read while the notifications page is open. */
export const OUTBOX_REFRESH_MS = 5_000;

/** How many deliveries the outbox table lists, newest first. */
export const OUTBOX_LIMIT = 100;

/** Templates change only here, so they are read rarely. */
export const TEMPLATES_REFRESH_MS = 300_000;

export const notificationKeys = {
  all: ["notifications"] as const,
  /** The settings lists: stakeholders, channels, subscriptions (the outbox and templates are apart). */
  lists: ["notifications", "lists"] as const,
  stakeholders: ["notifications", "lists", "stakeholders"] as const,
  channels: ["notifications", "lists", "channels"] as const,
  subscriptions: ["notifications", "lists", "subscriptions"] as const,
  outboxAll: ["notifications", "outbox"] as const,
  outbox: (state: string | null) => ["notifications", "outbox", state] as const,
  templates: ["notifications", "templates"] as const,
};

export const stakeholdersQuery = read(notificationKeys.stakeholders, notifications.stakeholders, LISTS_REFRESH_MS);
export const channelsQuery = read(notificationKeys.channels, notifications.channels, LISTS_REFRESH_MS);
export const subscriptionsQuery = read(notificationKeys.subscriptions, notifications.subscriptions, LISTS_REFRESH_MS);
// Another filter's deliveries stay on screen until this one's are read.
export const outboxQuery = (state: string | null) =>
  queryOptions({ ...read(notificationKeys.outbox(state), () => notifications.outbox(state, OUTBOX_LIMIT), OUTBOX_REFRESH_MS), placeholderData: keepPreviousData });
export const templatesQuery = read(notificationKeys.templates, notifications.templates, TEMPLATES_REFRESH_MS);
