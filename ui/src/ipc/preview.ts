import { call } from "./call";
import type { PreviewDto } from "./types.gen";

/** What moving an environment would ship; changes nothing. */
export const preview = {
  load: (project: string, environment: string, to: string | null) => call<PreviewDto>("preview", { project, environment, to }),
};
