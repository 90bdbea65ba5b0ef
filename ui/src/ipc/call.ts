import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError, ProgressDto } from "./types.gen";

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

/** One command of the core, its failure kept to the `{code, message}` shape. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (raw) {
    return { ok: false, error: toApiError(raw) };
  }
}

/** Where a run's progress lines go, one call per line, as the core reports them. */
export type OnProgress = (p: ProgressDto) => void;

/** A call whose progress streams back over a channel while it runs (promote, rollback, …). */
export function run<T>(command: string, args: Record<string, unknown>, onProgress: OnProgress): Promise<Outcome<T>> {
  const channel = new Channel<ProgressDto>();
  channel.onmessage = onProgress;
  return call<T>(command, { ...args, onProgress: channel });
}

/** The value of an outcome, or its error thrown: what TanStack Query expects of a query or a mutation. */
export async function unwrap<T>(outcome: Promise<Outcome<T>>): Promise<T> {
  const o = await outcome;
  if (o.ok) return o.value;
  throw o.error;
}
