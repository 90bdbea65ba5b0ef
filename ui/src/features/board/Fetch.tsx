import { useEffect, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { api, type ApiError, type FetchProgressDto, type ProjectBoardDto } from "../../ipc";
import { whenShort } from "../../shared/format";

type State = { kind: "idle" } | { kind: "fetching"; progress: FetchProgressDto | null } | { kind: "failed"; error: ApiError };

/** Fetch the project's remote now, with progress and cancel; says when it was last fetched. */
export function FetchControl({ project, onDone }: { project: ProjectBoardDto; onDone: () => void }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  useEffect(() => {
    const stop = listen<FetchProgressDto>("fetch-progress", (e) => {
      if (e.payload.project === project.name) setState({ kind: "fetching", progress: e.payload });
    }).catch(() => null);
    return () => void stop.then((s) => s?.());
  }, [project.name]);

  const start = async () => {
    setState({ kind: "fetching", progress: null });
    const outcome = await api.fetch.start(project.name);
    setState(outcome.ok || outcome.error.code === "cancelled" ? { kind: "idle" } : { kind: "failed", error: outcome.error });
    onDone();
  };

  const last = project.fetch?.last_success;
  return (
    <div className="fetch" data-testid="fetch">
      {state.kind === "fetching" ? (
        <>
          <span className="fetch-progress" data-testid="fetch-progress">
            Fetching…
            {state.progress && state.progress.total_objects > 0 && ` ${state.progress.received_objects}/${state.progress.total_objects} objects`}
          </span>
          <button className="button button-small-inline" onClick={() => void api.fetch.cancel(project.name)}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <span className="fetch-when" data-testid="fetched-at">
            {last ? `Fetched ${whenShort(last)}` : "Not fetched yet"}
          </span>
          <button className="button button-small-inline" onClick={() => void start()} data-testid="fetch-button">
            Fetch
          </button>
        </>
      )}
      {state.kind === "failed" && <span className="sr-only">{state.error.message}</span>}
    </div>
  );
}

/** Shown when the last fetch failed: the board is what was known at the last good fetch. */
export function StaleBanner({ project }: { project: ProjectBoardDto }) {
  if (!project.fetch?.stale) return null;
  const since = project.fetch.last_success;
  return (
    <div className="stale" role="status" data-testid="stale">
      <strong>Stale.</strong> {since ? `Showing what was fetched at ${whenShort(since)}.` : "Never fetched successfully."} The last
      fetch ({whenShort(project.fetch.last_attempt)}) failed: {project.fetch.error}
    </div>
  );
}
