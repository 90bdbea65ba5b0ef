import { call } from "./call";
import { read } from "./query";
import type { DoraAskDto, DoraDto } from "./types.gen";

/** Delivery metrics: DORA's five and where the time goes, for one environment of one project. */
export const metrics = {
  load: (ask: DoraAskDto) => call<DoraDto>("dora", { ask }),
};

/** How often the metrics read again while the page is open. */
export const METRICS_REFRESH_MS = 120_000;

export const metricsKeys = {
  all: ["metrics"] as const,
  of: (ask: DoraAskDto) => ["metrics", ask.project, ask.environment, ask.days] as const,
};

export const metricsQuery = (ask: DoraAskDto) => read(metricsKeys.of(ask), () => metrics.load(ask), METRICS_REFRESH_MS);
