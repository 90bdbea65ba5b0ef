import { useCallback, useEffect, useRef, useState } from "react";
import { api, type ApiError, type DeploymentDto, type DeploymentKindDto, type DeploymentStatusDto, type OnProgress, type Outcome, type ProgressDto } from "../../ipc";
import { whenShort } from "../../shared/format";
import { unreachable } from "../../shared/never";

/** A promotion, rollback, hotfix or redeploy: not started, streaming its steps, ended, or refused before it began. */
export type RunState =
  | { phase: "idle" }
  | { phase: "running"; lines: ProgressDto[]; cancelling: boolean }
  | { phase: "done"; lines: ProgressDto[]; deployment: DeploymentDto }
  | { phase: "refused"; lines: ProgressDto[]; error: ApiError };

/** The first 8 characters of a sha, as the board shows them. */
export function short(sha: string): string {
  return sha.slice(0, 8);
}

const KIND: Record<DeploymentKindDto, { noun: string; done: string }> = {
  promote: { noun: "Promotion", done: "Promoted" },
  rollback: { noun: "Rollback", done: "Rolled back" },
  redeploy: { noun: "Redeploy", done: "Redeployed" },
  hotfix: { noun: "Hotfix", done: "Hotfix shipped" },
};

/** "Promotion", "Rollback", … for a deployment's kind. */
export function kindNoun(kind: DeploymentKindDto): string {
  return KIND[kind].noun;
}

/** How a deployment's status is coloured: done well, failed, or still under way. */
export function statusTone(status: DeploymentStatusDto): "ok" | "failed" | "running" {
  switch (status) {
    case "succeeded":
      return "ok";
    case "failed":
      return "failed";
    case "started":
    case "pushed":
    case "acted":
    case "verified":
      return "running";
    default:
      return unreachable(status);
  }
}

const STEP: Record<string, string> = {
  lock: "lock",
  push: "ref",
  action: "deploy",
  verify: "verify",
  record: "record",
};

/**
 * Runs one deployment and keeps what it said: every progress line as it arrives, then the
 * deployment it recorded (succeeded or failed) or the reason it was refused before starting.
 * Unlike the one-shot acts (`useAct`), a run keeps its own state: each streamed line must be on
 * screen in the task that brought it, and TanStack notifies its observers a task later. When it
 * ends, `onEnded` has what it changed read again (the board's owner invalidates its queries).
 */
export function useRun(onEnded: () => void) {
  const [state, setState] = useState<RunState>({ phase: "idle" });
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const start = useCallback(
    async (go: (onProgress: OnProgress) => Promise<Outcome<DeploymentDto>>) => {
      setState({ phase: "running", lines: [], cancelling: false });
      const outcome = await go((line) => {
        if (!live.current) return;
        setState((s) => (s.phase === "running" ? { ...s, lines: [...s.lines, line] } : s));
      });
      if (!live.current) return;
      setState((s) => {
        const lines = s.phase === "idle" ? [] : s.lines;
        return outcome.ok ? { phase: "done", lines, deployment: outcome.value } : { phase: "refused", lines, error: outcome.error };
      });
      // A refusal changed nothing, but the board may be out of date (that is often why).
      onEnded();
    },
    [onEnded],
  );
  const cancel = useCallback(() => {
    setState((s) => (s.phase === "running" ? { ...s, cancelling: true } : s));
    void api.promotion.cancel();
  }, []);
  const reset = useCallback(() => setState({ phase: "idle" }), []);
  return { state, start, cancel, reset };
}

/** Why a drawer cannot close now, for its Close button's tooltip; null when it can. */
export function busyWhy(state: RunState): string | null {
  return state.phase === "running" ? "Wait for the run to finish, or cancel it" : null;
}

/** The progress of a run as it streams in, its Cancel button, and then how it ended. */
export function RunPane({ state, onCancel, onRollback }: { state: RunState; onCancel: () => void; onRollback?: () => void }) {
  const log = useRef<HTMLOListElement>(null);
  const count = state.phase === "idle" ? 0 : state.lines.length;
  useEffect(() => {
    // Follow the newest line, as a terminal does.
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [count]);
  if (state.phase === "idle") return null;
  return (
    <div className="run" data-testid="run" data-phase={state.phase}>
      {state.phase === "running" && (
        <div className="run-head">
          <span className="run-live" aria-hidden="true" />
          <span className="run-title">{state.cancelling ? "Cancelling…" : "Running…"}</span>
          <span className="run-sub">
            {state.lines.length > 0 ? `step: ${STEP[state.lines[state.lines.length - 1].step] ?? state.lines[state.lines.length - 1].step}` : "starting"}
          </span>
          <button className="button button-small-inline" onClick={onCancel} disabled={state.cancelling} data-testid="cancel-run">
            {state.cancelling ? "Cancelling…" : "Cancel"}
          </button>
        </div>
      )}
      {state.lines.length > 0 && (
        <ol className="progress" ref={log} aria-label="Progress" aria-live="polite">
          {state.lines.map((p, i) => (
            <li key={i} className={`progress-line step-${p.step}`} data-testid="progress-line" data-step={p.step}>
              <span className="progress-step">{STEP[p.step] ?? p.step}</span>
              <span className="progress-text">{p.line}</span>
            </li>
          ))}
        </ol>
      )}
      {state.phase === "done" && <DeploymentResult deployment={state.deployment} onRollback={onRollback} />}
      {state.phase === "refused" && (
        <div className="inline-error" role="alert" data-testid="run-error" data-code={state.error.code}>
          {state.error.code === "cancelled" ? "Cancelled before anything moved. " : ""}
          {state.error.message}
        </div>
      )}
    </div>
  );
}

/** How a deployment ended: what moved where, or why it failed, with a way back when the ref had moved. */
export function DeploymentResult({ deployment: d, onRollback }: { deployment: DeploymentDto; onRollback?: () => void }) {
  const tone = statusTone(d.status);
  const n = d.changes.length;
  return (
    <div className={`result result-${tone}`} data-testid="deployment-result" data-status={d.status} role={tone === "failed" ? "alert" : "status"}>
      <div className="result-icon" aria-hidden="true">
        {tone === "ok" ? "✓" : tone === "failed" ? "!" : "…"}
      </div>
      <div className="result-body">
        <div className="result-title">
          {tone === "ok"
            ? `${KIND[d.kind].done} ${d.environment} to ${short(d.to_sha)}`
            : tone === "failed"
              ? `${kindNoun(d.kind)} of ${d.environment} failed`
              : `${kindNoun(d.kind)} of ${d.environment}: ${d.status}`}
        </div>
        <div className="result-sub">
          #{d.id} · {short(d.from_sha)} → {short(d.to_sha)} · {n} {n === 1 ? "change" : "changes"} · by {d.by} · {whenShort(d.started_at)}
        </div>
        {d.reason && <p className="result-reason">{d.reason}</p>}
        {d.override_reason && <p className="result-note">Freeze overridden: {d.override_reason}</p>}
        {d.offer_rollback && onRollback && (
          <div className="result-actions">
            <span>
              {d.environment} already stands at {short(d.to_sha)}. Roll it back to where it was?
            </span>
            <button className="button button-danger-solid" onClick={onRollback} data-testid="result-rollback">
              Roll back
            </button>
          </div>
        )}
        {d.output && <Output text={d.output} />}
      </div>
    </div>
  );
}

/** What the deploy action and the verification printed, folded away until asked for. */
export function Output({ text }: { text: string }) {
  return (
    <details className="output">
      <summary>Output</summary>
      <pre className="output-text">{text}</pre>
    </details>
  );
}
