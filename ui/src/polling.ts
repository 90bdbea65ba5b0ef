import { useEffect, useState } from "react";
import type { Outcome } from "./api";
import type { ApiError } from "./ipc.gen";

/** What a polled view knows: the last good value, and the last failure if the newest read failed. */
export type Polled<T> = { value: T | null; error: ApiError | null; loaded: boolean };

/**
 * Reads `load` now, every `everyMs`, and again whenever `key` changes (a toggle, an action
 * done, the header's Refresh). A failed read keeps the last good value on screen.
 */
export function usePolled<T>(load: () => Promise<Outcome<T>>, everyMs: number, key: unknown): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ value: null, error: null, loaded: false });
  useEffect(() => {
    let live = true;
    const read = () =>
      void load().then((outcome) => {
        if (!live) return;
        setState((before) =>
          outcome.ok
            ? { value: outcome.value, error: null, loaded: true }
            : { value: before.value, error: outcome.error, loaded: true },
        );
      });
    read();
    const timer = setInterval(read, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [load, everyMs, key]);
  return state;
}
