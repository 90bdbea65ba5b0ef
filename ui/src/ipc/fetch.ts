import { call } from "./call";
import type { FetchStateDto } from "./types.gen";

/** Fetching a project's remote. */
export const fetching = {
  start: (project: string) => call<FetchStateDto>("fetch_project", { project }),
  cancel: (project: string) => call<null>("cancel_fetch", { project }),
};
