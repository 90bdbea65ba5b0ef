import { call } from "./call";
import { read } from "./query";
import type { AgingDto } from "./types.gen";

/** Aging clocks: how waiting developed, and every queued change and open request by age. */
export const aging = {
  load: () => call<AgingDto>("aging", {}),
};

/** How often the aging view reads again. */
export const AGING_REFRESH_MS = 60_000;

export const agingKeys = { all: ["aging"] as const };

export const agingQuery = read(agingKeys.all, aging.load, AGING_REFRESH_MS);
