import { call } from "./call";
import { read } from "./query";
import type { AppInfoDto, DemoDto, LinkDto, PipelineProposalDto, ProjectDto, SettingsDto } from "./types.gen";

/** The app itself: which workspace it opened, the first run's ways in, and the settings. */
export const app = {
  info: () => call<AppInfoDto>("app_info"),
  /** The `slipway://` link the app was started on, read by the core; given once, then null. */
  startLink: () => call<LinkDto | null>("start_link"),
  createDemo: () => call<DemoDto>("create_demo"),
  /** What pipeline a clone suggests; nothing is stored. */
  detectPipeline: (repo: string) => call<PipelineProposalDto>("detect_pipeline", { repo }),
  /** An empty workspace with this project in it (or, on any error, neither). */
  startWithRepository: (name: string, repo: string, trunk: string, environments: [string, string][]) =>
    call<ProjectDto>("start_with_repository", { name, repo, trunk, environments }),
  settings: () => call<SettingsDto>("settings"),
  /** Keys and values as `slipway settings set` takes them; the answer is every setting after. */
  setSetting: (key: string, value: string) => call<SettingsDto>("set_setting", { key, value }),
};

export const appKeys = { info: ["app", "info"] as const, settings: ["app", "settings"] as const };

export const appInfoQuery = read(appKeys.info, app.info);
export const settingsQuery = read(appKeys.settings, app.settings);
