import { call } from "./call";
import { read } from "./query";
import type { AppInfoDto, DemoDto } from "./types.gen";

/** The app itself: which workspace it opened, and the demo workspace. */
export const app = {
  info: () => call<AppInfoDto>("app_info"),
  createDemo: () => call<DemoDto>("create_demo"),
};

export const appKeys = { info: ["app", "info"] as const };

export const appInfoQuery = read(appKeys.info, app.info);
