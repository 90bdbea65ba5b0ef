import { useSyncExternalStore } from "react";
import {
  QueryClient,
  focusManager,
  notifyManager,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseQueryOptions,
} from "@tanstack/react-query";
import { unwrap, type Outcome } from "./call";
import type { ApiError } from "./types.gen";

declare module "@tanstack/react-query" {
  interface Register {
    // Every query and act fails with the core's `{code, message}`, never a raw error.
    defaultError: ApiError;
  }
}

/** A read of the core as a query: `load` answers with an Outcome, refused reads become the query's error. */
export function read<T, K extends QueryKey>(queryKey: K, load: () => Promise<Outcome<T>>, refetchInterval?: number) {
  return queryOptions({ queryKey, queryFn: () => unwrap(load()), refetchInterval });
}

function onVisibility(then: () => void) {
  document.addEventListener("visibilitychange", then);
  return () => document.removeEventListener("visibilitychange", then);
}

let watching = false;

/** Tells TanStack Query the window is "focused" exactly while it is visible, so interval reads pause while it is hidden. */
function watchVisibility() {
  if (watching) return;
  watching = true;
  focusManager.setEventListener((setFocused) => onVisibility(() => setFocused(!document.hidden)));
}

/**
 * The app's query client. The core is local (no network to wait for, so `networkMode: "always"`)
 * and answers a failed read with a sentence that a retry would not change: no retries, the error
 * is shown at once over the last good data, and the next interval reads again.
 */
export function makeQueryClient(): QueryClient {
  watchVisibility();
  // Observers hear of a new answer in a microtask rather than TanStack's default `setTimeout(0)`:
  // the screen follows the core's answer before the next timer (as it did before TanStack),
  // and React batches the renders anyway.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, networkMode: "always" },
      mutations: { retry: false, networkMode: "always" },
    },
  });
}

/** Whether the window is visible now; a render follows each change. */
export function useVisible(): boolean {
  return useSyncExternalStore(onVisibility, () => !document.hidden);
}

/** What a view knows of a read: nothing yet, the last good value (and the newest read's failure), or only a failure. */
export type Read<T> =
  | { loaded: false; value: null; error: null }
  | { loaded: true; value: T; error: ApiError | null }
  | { loaded: true; value: null; error: ApiError };

/**
 * Reads a query while the window is visible (and `enabled`): nothing is read while it is hidden,
 * and a stale read is made again as soon as it shows. A failed read keeps the last good value.
 */
export function useRead<T, K extends QueryKey>(options: UseQueryOptions<T, ApiError, T, K>, enabled = true): Read<T> {
  const visible = useVisible();
  const q = useQuery({ ...options, enabled: enabled && visible });
  if (q.data !== undefined) return { loaded: true, value: q.data, error: q.error };
  if (q.error) return { loaded: true, value: null, error: q.error };
  return { loaded: false, value: null, error: null };
}

/** What an act does when the core accepted it: queries to read again, and anything else. */
export type ActOptions<T, V> = {
  invalidates?: QueryKey[] | ((value: T, vars: V) => QueryKey[]);
  onDone?: (value: T, vars: V) => void;
  onFailed?: (error: ApiError, vars: V) => void;
};

/**
 * One act on the core (promote, sign off, hold, add a channel…) as a TanStack mutation. The call
 * starts in the event that asked for it — a mutation's own function would start a few microtasks
 * later — and the mutation follows its promise: busy, the refusal, then the queries it changed
 * are invalidated so they read again.
 */
export function useAct<T, V = void>(act: (vars: V) => Promise<Outcome<T>>, options: ActOptions<T, V> = {}) {
  const client = useQueryClient();
  const mutation = useMutation<T, ApiError, { vars: V; started: Promise<Outcome<T>> }>({
    mutationFn: ({ started }) => unwrap(started),
    onSuccess: (value, { vars }) => {
      const keys = typeof options.invalidates === "function" ? options.invalidates(value, vars) : (options.invalidates ?? []);
      for (const queryKey of keys) void client.invalidateQueries({ queryKey });
      options.onDone?.(value, vars);
    },
    onError: (error, { vars }) => options.onFailed?.(error, vars),
  });
  const send = (vars: V): Promise<Outcome<T>> => {
    const started = act(vars);
    mutation.mutate({ vars, started });
    return started;
  };
  return {
    send,
    busy: mutation.isPending,
    error: mutation.error,
    /** What the act was asked to do, while it runs and after. */
    vars: mutation.variables?.vars,
    reset: mutation.reset,
  };
}
