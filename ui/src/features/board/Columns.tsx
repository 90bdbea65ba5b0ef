import { api, useAct, type ChangeDto, type DeploymentDto, type DeploymentStatusDto, type EnvironmentColumnDto, type StandingDto, type TipDto, type TrunkColumnDto } from "../../ipc";
import { localTimes, whenShort, worstBand } from "../../shared/format";
import { Meta } from "../../shared/change";
import { lateCount } from "../../shared/clock";
import { kindNoun, statusTone } from "../promotion";
import { QueueList } from "./Queue";

/** What an environment column can ask the board to open or do. */
export type EnvActions = {
  /** Promote everything queued (null) or up to one change. */
  promote: (to: string | null) => void;
  /** Ship only this fix. */
  hotfix: (sha: string) => void;
  rollback: () => void;
  history: () => void;
  settings: () => void;
  hold: () => void;
  /** Something changed (a hold lifted, a sign-off given): read the board again. */
  changed: () => void;
};

const STANDING: Record<StandingDto, string | null> = {
  up_to_date: null,
  behind: null,
  ahead: "ahead",
  diverged: "diverged",
};

export function TrunkColumn({ trunk }: { trunk: TrunkColumnDto }) {
  return (
    <section className="column column-trunk" data-testid="trunk-column">
      <header className="column-head">
        <div className="column-kicker">Trunk</div>
        <div className="column-title">
          <h2>{trunk.branch}</h2>
        </div>
        <Tip tip={trunk.tip} verb="Merged" />
      </header>
      <div className="column-subhead">Recently merged</div>
      <ol className="changes">
        {trunk.recent.map((c) => (
          <RecentRow key={c.sha} change={c} />
        ))}
      </ol>
    </section>
  );
}

/** Why Promote cannot be pressed, for its tooltip; null when it can. */
function promoteBlocked(column: EnvironmentColumnDto): string | null {
  if (column.error || !column.tip) return `Slipway can’t read where ${column.name} stands.`;
  if (column.running) return `A deployment of ${column.name} is running: ${localTimes(column.running)}.`;
  if (column.queue.length === 0) return `Nothing is queued for ${column.name}: it has everything ${column.upstream} has.`;
  return null;
}

export function EnvironmentColumn({ project, column, on }: { project: string; column: EnvironmentColumnDto; on: EnvActions }) {
  const band = worstBand(column);
  const late = lateCount(column.queue);
  const blocked = promoteBlocked(column);
  const n = column.queue.length;
  return (
    <section className="column" data-testid="env-column" data-env={column.name}>
      <header className="column-head">
        <div className="column-kicker-row">
          <div className="column-kicker">
            from {column.upstream} <span className="arrow">→</span>
          </div>
          {column.signoff_rule && (
            <span className="rule-chip" data-testid="signoff-rule" title={`A change enters ${column.name} with ${column.signoff_rule}`}>
              needs {column.signoff_rule}
            </span>
          )}
        </div>
        <div className="column-title">
          <h2>{column.name}</h2>
          <span className="column-counts">
            {late > 0 && (
              <span className="late-count" data-testid="late-count" title={`${late} queued ${late === 1 ? "change has" : "changes have"} waited past the aging goal`}>
                {late} late
              </span>
            )}
            <span className={`count ${band ? `band-${band}` : "count-empty"}`} data-testid="queue-count" title={`${column.queue.length} queued`}>
              {column.queue.length}
            </span>
          </span>
        </div>
        {column.tip && <Tip tip={column.tip} verb="Deployed" />}
        <Status project={project} column={column} on={on} />
        <button
          className="button button-primary button-small promote-button"
          onClick={() => on.promote(null)}
          disabled={blocked !== null}
          title={blocked ?? `See what ships and what the gates say, then confirm`}
          data-testid={`promote-${column.name}`}
        >
          {n > 0 ? `Promote ${n === 1 ? "1 change" : `${n} changes`}` : "Promote"}
        </button>
        <div className="column-links">
          <button className="link-button" onClick={on.rollback} data-testid={`rollback-${column.name}`} disabled={!column.tip}>
            Roll back…
          </button>
          {!column.hold && (
            <button className="link-button" onClick={on.hold} data-testid={`hold-${column.name}`}>
              Hold…
            </button>
          )}
          <button className="link-button" onClick={on.settings} data-testid={`deploy-settings-${column.name}`}>
            Deploy settings…
          </button>
        </div>
        {column.standing && STANDING[column.standing] && (
          <div className="standing" data-testid="standing" data-standing={column.standing}>
            <span className="tag tag-standing">{STANDING[column.standing]}</span>
            {column.only_here.length} {column.only_here.length === 1 ? "commit" : "commits"} only in {column.name} (not in{" "}
            {column.upstream})
          </div>
        )}
      </header>
      {column.only_here.length > 0 && (
        <ol className="changes changes-only-here" data-testid="only-here">
          {column.only_here.map((c) => (
            <RecentRow key={c.sha} change={c} />
          ))}
        </ol>
      )}
      {column.error ? (
        <div className="column-error" data-testid="column-error" role="alert">
          {column.error.message}
        </div>
      ) : column.queue.length === 0 ? (
        <div className="column-empty">Up to date with {column.upstream}</div>
      ) : (
        <>
          <div className="column-subhead">Queue · oldest first</div>
          <QueueList
            queue={column.queue}
            onPick={(sha) => on.promote(sha)}
            actions={{ project, environment: column.name, onHotfix: on.hotfix, onSigned: on.changed }}
          />
        </>
      )}
    </section>
  );
}

/** What the environment's gates and its last deployment say: running now, hold, freezes, how the last one went. */
function Status({ project, column, on }: { project: string; column: EnvironmentColumnDto; on: EnvActions }) {
  const unhold = useAct(() => api.gates.unhold(project, column.name), { onDone: on.changed });
  const { busy: lifting, error } = unhold;
  const lift = () => unhold.send();
  const { hold, running, frozen, last_deployment: last } = column;
  if (!hold && !running && frozen.length === 0 && !last) return null;
  return (
    <div className="env-status">
      {running && (
        <div className="notice notice-running" data-testid={`running-${column.name}`}>
          <span className="run-live" aria-hidden="true" />
          <span title={running}>Running: {localTimes(running)}</span>
        </div>
      )}
      {hold && (
        <div className="hold-banner" data-testid={`hold-banner-${column.name}`} role="status">
          <div className="hold-text">
            <div className="hold-top">
              <span className="hold-label">On hold</span>
              <span className="hold-who" title={hold.since}>
                {hold.owner} · since {whenShort(hold.since)}
              </span>
            </div>
            <div className="hold-reason">{hold.reason}</div>
          </div>
          <button className="button button-small-inline" onClick={() => void lift()} disabled={lifting} data-testid={`lift-hold-${column.name}`}>
            {lifting ? "Lifting…" : "Lift hold"}
          </button>
          {error && (
            <div className="hold-error" role="alert">
              {error.message}
            </div>
          )}
        </div>
      )}
      {frozen.map((f) => (
        <div key={f} className="notice notice-freeze" data-testid={`freeze-${column.name}`}>
          <span className="notice-label">Frozen</span> {f}
        </div>
      ))}
      {last && <LastDeployment environment={column.name} deployment={last} onHistory={on.history} />}
    </div>
  );
}

/** How the last deployment ended, or that it still runs. */
const STATUS_WORD: Record<DeploymentStatusDto, string> = {
  started: "running",
  pushed: "running",
  acted: "running",
  verified: "running",
  succeeded: "succeeded",
  failed: "failed",
};

function LastDeployment({ environment, deployment: d, onHistory }: { environment: string; deployment: DeploymentDto; onHistory: () => void }) {
  const tone = statusTone(d.status);
  return (
    <div className={`last-deploy last-${tone}`} data-testid={`last-deployment-${environment}`} data-status={d.status}>
      <div className="last-line">
        <span className="status-dot" aria-hidden="true" />
        <span className="last-what">
          {kindNoun(d.kind)} {STATUS_WORD[d.status]}
        </span>
        <button className="link-button" onClick={onHistory} data-testid={`history-${environment}`}>
          History
        </button>
      </div>
      <div className="last-who" title={d.started_at}>
        by {d.by} · {whenShort(d.started_at)}
      </div>
      {tone === "failed" && d.reason && <div className="last-reason">{d.reason}</div>}
    </div>
  );
}

function Tip({ tip, verb }: { tip: TipDto; verb: string }) {
  return (
    <div className="tip" data-testid="tip" data-sha={tip.change.sha}>
      <div className="tip-line">
        <code className="sha">{tip.change.short_sha}</code>
        <span className="tip-title" title={tip.change.title}>
          {tip.change.title}
        </span>
      </div>
      <div className="tip-when" title={tip.since}>
        {verb} {tip.since_age} ago · {whenShort(tip.since)}
      </div>
    </div>
  );
}

function RecentRow({ change }: { change: ChangeDto }) {
  return (
    <li className="change" data-sha={change.sha}>
      <div className="change-top">
        <span className="change-title" title={change.title}>
          {change.title}
        </span>
        <span className="when">{whenShort(change.merged_at)}</span>
      </div>
      <Meta change={change} />
    </li>
  );
}
