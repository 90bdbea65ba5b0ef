import { call } from "./call";
import type { ProjectDto } from "./types.gen";

/** The workspace's projects. */
export const projects = {
  add: (name: string, repo: string, trunk: string, environments: [string, string][]) =>
    call<ProjectDto>("add_project", { name, repo, trunk, environments }),
};
