import { useCallback, useEffect, useRef, useState } from "react";
import type { Outcome } from "./api";
import type { ApiError } from "./ipc.gen";

/** How often views with SLA clocks (the request list, a request's page) read them again; countdowns tick in between. */
export const CLOCK_REFRESH_MS = 30_000;

/** What a polled view knows: nothing yet, the last good value (and the newest read's failure), or only a failure. */
export type Polled<T> =
  | { loaded: false; value: null; error: null }
  | { loaded: true; value: T; error: ApiError | null }
  | { loaded: true; value: null; error: ApiError };

/**
 * Reads `load` now, every `everyMs`, and again whenever `key` changes (a toggle, an action
 * done, the header's Refresh). While the window is hidden nothing is read; it reads again as
 * soon as it shows. A failed read keeps the last good value on screen. `put` shows a value
 * got otherwise (an action's answer) until the next read; reads begun before it are dropped.
 */
export function usePolled<T>(load: () => Promise<Outcome<T>>, everyMs: number, key: unknown): Polled<T> & { put: (value: T) => void } {
  const [state, setState] = useState<Polled<T>>({ value: null, error: null, loaded: false });
  const generation = useRef(0);
  useEffect(() => {
    let live = true;
    const read = () => {
      if (document.hidden) return;
      const asked = generation.current;
      void load().then((outcome) => {
        if (!live || asked !== generation.current) return;
        setState(({ value: kept }): Polled<T> => {
          if (outcome.ok) return { value: outcome.value, error: null, loaded: true };
          return kept === null ? { value: null, error: outcome.error, loaded: true } : { value: kept, error: outcome.error, loaded: true };
        });
      });
    };
    const onVisibility = () => {
      if (!document.hidden) read();
    };
    read();
    const timer = setInterval(read, everyMs);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [load, everyMs, key]);
  const put = useCallback((value: T) => {
    generation.current += 1;
    setState({ value, error: null, loaded: true });
  }, []);
  return { ...state, put };
}
