import { call } from "./call";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { read } from "./query";
import type { NewRequestDto, RequestActionDto, RequestDetailDto, RequestListDto } from "./types.gen";

/** Change requests and their lifecycle. */
export const requests = {
  /** Change requests, nearest breach first; closed, rejected and cancelled ones too with `all`. */
  list: (all: boolean) => call<RequestListDto>("list_requests", { all }),
  show: (id: number) => call<RequestDetailDto>("show_request", { id }),
  open: (input: NewRequestDto) => call<RequestDetailDto>("open_request", { input }),
  act: (id: number, action: RequestActionDto) => call<RequestDetailDto>("act_on_request", { id, action }),
};

/** How often views with SLA clocks (the request list, a request's page) read them again; countdowns tick in between. */
export const CLOCK_REFRESH_MS = 30_000;

export const requestKeys = {
  all: ["requests"] as const,
  lists: ["requests", "list"] as const,
  list: (all: boolean) => ["requests", "list", all] as const,
  detail: (id: number) => ["requests", "detail", id] as const,
};

// The open list stays on screen until the full one is read, and back.
export const requestListQuery = (all: boolean) =>
  queryOptions({ ...read(requestKeys.list(all), () => requests.list(all), CLOCK_REFRESH_MS), placeholderData: keepPreviousData });

// Clocks are read again as often as the list does; countdowns tick in between.
export const requestQuery = (id: number) => read(requestKeys.detail(id), () => requests.show(id), CLOCK_REFRESH_MS);
