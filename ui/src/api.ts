import { invoke } from "@tauri-apps/api/core";
import type {
  AgingDto,
  ApiError,
  AppInfoDto,
  BoardDto,
  DemoDto,
  FetchStateDto,
  NewRequestDto,
  PreviewDto,
  ProjectDto,
  RequestActionDto,
  RequestDetailDto,
  RequestListDto,
} from "./ipc.gen";

/** What every call to the app's core returns: a value, or an error a person can read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const UNEXPECTED: ApiError = {
  code: "internal",
  message: "Slipway hit an unexpected problem talking to its core. The log file has the details.",
};

/** Keeps errors to the `{code, message}` shape; anything else becomes a generic sentence. */
export function toApiError(raw: unknown): ApiError {
  if (typeof raw === "object" && raw !== null) {
    const { code, message } = raw as Record<string, unknown>;
    if (typeof code === "string" && typeof message === "string" && message.length > 0) {
      return { code: code as ApiError["code"], message };
    }
  }
  return UNEXPECTED;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (raw) {
    return { ok: false, error: toApiError(raw) };
  }
}

export const api = {
  appInfo: () => call<AppInfoDto>("app_info"),
  loadBoard: () => call<BoardDto>("load_board"),
  createDemo: () => call<DemoDto>("create_demo"),
  addProject: (name: string, repo: string, trunk: string, environments: [string, string][]) =>
    call<ProjectDto>("add_project", { name, repo, trunk, environments }),
  fetch: (project: string) => call<FetchStateDto>("fetch_project", { project }),
  cancelFetch: (project: string) => call<null>("cancel_fetch", { project }),
  preview: (project: string, environment: string, to: string | null) =>
    call<PreviewDto>("preview", { project, environment, to }),
  /** Change requests, nearest breach first; closed, rejected and cancelled ones too with `all`. */
  listRequests: (all: boolean) => call<RequestListDto>("list_requests", { all }),
  showRequest: (id: number) => call<RequestDetailDto>("show_request", { id }),
  openRequest: (input: NewRequestDto) => call<RequestDetailDto>("open_request", { input }),
  actOnRequest: (id: number, action: RequestActionDto) => call<RequestDetailDto>("act_on_request", { id, action }),
  aging: () => call<AgingDto>("aging", {}),
};
