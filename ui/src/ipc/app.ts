import { call } from "./call";
import { read } from "./query";
import type { AppInfoDto, DemoDto, PipelineProposalDto, ProjectDto, SettingsDto, WindowStartDto } from "./types.gen";

/** The app itself: which workspace it opened, the first run's ways in, and the settings. */
export const app = {
  info: () => call<AppInfoDto>("app_info"),
  /** Where the window opens: the `slipway://` link the app was started on (once), else its last page. */
  windowStart: () => call<WindowStartDto>("window_start"),
  /** Keeps the page the window shows, to open on next time. */
  rememberPage: (route: string) => call<null>("remember_page", { route }),
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
