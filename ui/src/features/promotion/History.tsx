import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, historyQuery, promotionKeys, useRead, type DeploymentDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { whenShort } from "../../shared/format";
import { Output, RunPane, busyWhy, kindNoun, short, statusTone, useRun } from "./Run";

/** How long a run took, as people read it ("12 s", "3 min"). */
function took(d: DeploymentDto): string | null {
  if (!d.finished_at) return null;
  const s = Math.max(0, Math.round((Date.parse(d.finished_at) - Date.parse(d.started_at)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** An environment's deployments, newest first, each one redeployable once it succeeded. */
export function HistoryDrawer({
  project,
  environment,
  onClose,
  onChanged,
}: {
  project: string;
  environment: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const history = useRead(historyQuery(project, environment));
  const client = useQueryClient();
  const [asking, setAsking] = useState<number | null>(null);
  // A redeploy that ended is a new entry: read again, and the board too.
  const ended = useCallback(() => {
    void client.invalidateQueries({ queryKey: promotionKeys.history(project, environment) });
    onChanged();
  }, [client, project, environment, onChanged]);
  const run = useRun(ended);

  const redeploy = (id: number) => {
    setAsking(null);
    void run.start((onProgress) => api.promotion.redeploy(id, onProgress));
  };

  return (
    <Drawer
      label={`History of ${environment}`}
      testId="history"
      wide
      closeLabel="Close history"
      onClose={onClose}
      busy={busyWhy(run.state)}
      head={
        <div>
          <div className="column-kicker">Deployments · newest first</div>
          <h2>
            {project} · {environment}
          </h2>
        </div>
      }
    >
      <div className="drawer-body">
        {run.state.phase !== "idle" && (
          <div className="history-run">
            <RunPane state={run.state} onCancel={run.cancel} />
            {run.state.phase !== "running" && (
              <button className="button button-small-inline" onClick={run.reset}>
                Dismiss
              </button>
            )}
          </div>
        )}
        {!history.loaded && <div className="loading">Reading the history…</div>}
        {history.loaded && history.value === null && (
          <div className="column-error" role="alert" data-testid="history-error">
            {history.error?.message}
          </div>
        )}
        {history.value && history.value.length === 0 && (
          <p className="muted" data-testid="history-empty">
            Slipway has not deployed {environment} yet. Promotions, rollbacks, hotfixes and redeploys show here.
          </p>
        )}
        {history.value && history.value.length > 0 && (
          <ol className="history">
            {history.value.map((d) => (
              <Entry
                key={d.id}
                deployment={d}
                asking={asking === d.id}
                canRedeploy={run.state.phase !== "running"}
                onAsk={() => setAsking(asking === d.id ? null : d.id)}
                onRedeploy={() => redeploy(d.id)}
              />
            ))}
          </ol>
        )}
      </div>
    </Drawer>
  );
}

function Entry({
  deployment: d,
  asking,
  canRedeploy,
  onAsk,
  onRedeploy,
}: {
  deployment: DeploymentDto;
  asking: boolean;
  canRedeploy: boolean;
  onAsk: () => void;
  onRedeploy: () => void;
}) {
  const tone = statusTone(d.status);
  const n = d.changes.length;
  const duration = took(d);
  return (
    <li className={`history-entry history-${tone}`} data-testid="history-entry" data-id={d.id} data-kind={d.kind} data-status={d.status}>
      <span className="history-dot" aria-hidden="true" />
      <div className="history-body">
        <div className="history-top">
          <span className="history-kind">{kindNoun(d.kind)}</span>
          <span className={`status-chip status-${tone}`}>{d.status}</span>
          <span className="history-range">
            <code className="sha">{short(d.from_sha)}</code> → <code className="sha">{short(d.to_sha)}</code>
          </span>
          <span className="history-id">#{d.id}</span>
          {d.status === "succeeded" && (
            <button className="button button-small-inline history-redeploy" onClick={onAsk} disabled={!canRedeploy} aria-expanded={asking} data-testid="redeploy">
              Redeploy…
            </button>
          )}
        </div>
        <div className="history-sub">
          {d.by} · <span title={d.started_at}>{whenShort(d.started_at)}</span>
          {duration && ` · took ${duration}`} · {n} {n === 1 ? "change" : "changes"}
          {d.kind === "rollback" ? " taken away" : ""}
        </div>
        {d.why && (
          <div className="history-reason" data-testid="history-why">
            {d.kind === "rollback" ? "Why: " : ""}
            {d.why}
          </div>
        )}
        {d.reason && <div className={tone === "failed" ? "history-reason history-reason-failed" : "history-reason"}>{d.reason}</div>}
        {d.override_reason && <div className="history-reason">Freeze overridden: {d.override_reason}</div>}
        {asking && (
          <div className="ask history-ask">
            <span>
              Run {short(d.to_sha)} through {d.environment}’s deploy action and verification again (moving the ref back to it if it
              stands elsewhere)?
            </span>
            <div className="row">
              <button className="button button-primary" onClick={onRedeploy} data-testid="confirm-redeploy">
                Redeploy {short(d.to_sha)}
              </button>
              <button className="button" onClick={onAsk}>
                Never mind
              </button>
            </div>
          </div>
        )}
        {d.output && <Output text={d.output} />}
      </div>
    </li>
  );
}
