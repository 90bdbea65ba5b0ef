import { call } from "./call";
import { read } from "./query";
import type { DriftDto, GuardChangeDto, GuardSettingsDto } from "./types.gen";

/** The config guard: a project's settings (markers, denied settings, file patterns, modes, the override) and the config drift between two environments. */
export const guard = {
  /** The settings, with the markers learned from what the last environment runs. */
  settings: (project: string) => call<GuardSettingsDto>("guard_settings", { project }),
  /** One change, checked first (a bad marker, pattern or glob is refused and nothing is saved); answers the settings as they now stand. */
  edit: (project: string, change: GuardChangeDto) => call<GuardSettingsDto>("edit_guard", { project, change }),
  /** The config files that differ between two environments' commits, with their diffs. */
  drift: (project: string, from: string, to: string) => call<DriftDto>("config_drift", { project, from, to }),
};

export const guardKeys = {
  all: ["guard"] as const,
  settings: (project: string) => ["guard", "settings", project] as const,
  /** Every drift of a project: the guard's file patterns decide whose file is whose. */
  drifts: (project: string) => ["guard", "drift", project] as const,
  drift: (project: string, from: string, to: string) => ["guard", "drift", project, from, to] as const,
};

export const guardSettingsQuery = (project: string) => read(guardKeys.settings(project), () => guard.settings(project));

export const driftQuery = (project: string, from: string, to: string) => read(guardKeys.drift(project, from, to), () => guard.drift(project, from, to));
