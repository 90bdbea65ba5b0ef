import type { DoraChangeDto, DoraDeploymentDto, DoraMetricDto } from "../../ipc";
import { span } from "../../shared/clock";
import { whenShort } from "../../shared/format";
import { VIRTUALISE_ABOVE, VirtualRows } from "../../shared/VirtualRows";

/** The deployments a figure counts: all of them for frequency, the failed ones for fail rate and recovery, the unplanned ones for rework. */
export function deploymentsBehind(deployments: DoraDeploymentDto[], metric: DoraMetricDto): DoraDeploymentDto[] {
  switch (metric) {
    case "change_fail_rate":
    case "recovery_time":
      return deployments.filter((d) => d.failure !== null);
    case "rework_rate":
      return deployments.filter((d) => d.unplanned !== null);
    default:
      return deployments;
  }
}

const UNPLANNED_WORDS = { rollback: "rollback", hotfix: "hotfix lane", emergency: "emergency request" } as const;
const SOURCE_WORDS = { slipway: "Slipway run", reflog: "reflog", tag: "tag", record: "recorded" } as const;

function DeploymentRow({ d, onRequest }: { d: DoraDeploymentDto; onRequest: (id: number) => void }) {
  return (
    <div className="dora-row" role="row" data-testid="dora-deployment" data-sha={d.sha} data-failed={d.failure !== null}>
      <span role="cell">{whenShort(d.at)}</span>
      <span role="cell">
        <span className={`badge dora-kind dora-kind-${d.kind}`}>{d.kind}</span>
      </span>
      <span role="cell" className="sha" title={d.sha}>
        {d.short_sha}
      </span>
      <span role="cell" className="muted">
        {d.changes.length === 1 ? "1 change" : `${d.changes.length} changes`} · {SOURCE_WORDS[d.source]}
        {d.run !== null && ` #${d.run}`}
      </span>
      <span role="cell">
        {d.failure ? (
          <span className="dora-failure">
            <strong>Failed:</strong> {d.failure.why}
            {d.failure.recovery_seconds !== null
              ? ` · restored ${span(d.failure.recovery_seconds, { days: true })} later by a ${d.failure.restored_kind}`
              : " · not restored yet"}
          </span>
        ) : d.unplanned ? (
          <span>
            Unplanned: {UNPLANNED_WORDS[d.unplanned]}
            {d.request !== null && (
              <>
                {" "}
                <button className="link-button" onClick={() => onRequest(d.request as number)}>
                  request #{d.request}
                </button>
              </>
            )}
          </span>
        ) : (
          <span className="muted">planned</span>
        )}
      </span>
    </div>
  );
}

export function DeploymentTable({ deployments, onRequest }: { deployments: DoraDeploymentDto[]; onRequest: (id: number) => void }) {
  if (deployments.length === 0) return <div className="card card-empty">None in this window.</div>;
  return (
    <div className="card grid-table" role="table" data-testid="dora-deployments">
      <div className="dora-row grid-head" role="row">
        <span role="columnheader">When</span>
        <span role="columnheader">Kind</span>
        <span role="columnheader">Commit</span>
        <span role="columnheader">Shipped</span>
        <span role="columnheader">Outcome</span>
      </div>
      {[...deployments].reverse().map((d) => (
        <DeploymentRow key={`${d.at}/${d.sha}`} d={d} onRequest={onRequest} />
      ))}
    </div>
  );
}

function ChangeRow({ c, stages }: { c: DoraChangeDto; stages: string[] }) {
  const waits = c.stage_waits
    .map((w, i) => (w === null ? null : `${stages[i]} ${span(w, { days: true })}`))
    .filter((w): w is string => w !== null)
    .join(" · ");
  return (
    <div className="dora-row dora-change-row" role="row" data-testid="dora-change" data-sha={c.sha}>
      <span role="cell" className="cell-change">
        <span className="row-title" title={c.title}>
          {c.title}
        </span>
        <span className="meta sha">
          {c.short_sha}
          {c.off_trunk && " · hotfix commit"}
        </span>
      </span>
      <span role="cell">{span(c.lead_seconds, { days: true })}</span>
      <span role="cell" className="muted">
        {span(c.from_merge_seconds, { days: true })}
      </span>
      <span role="cell">{whenShort(c.deployed_at)}</span>
      <span role="cell" className="muted dora-waits" title={waits}>
        {waits || "—"}
      </span>
    </div>
  );
}

/** The changes first deployed in the window, longest lead time first. */
export function ChangeTable({ changes, stages }: { changes: DoraChangeDto[]; stages: string[] }) {
  if (changes.length === 0) return <div className="card card-empty">No change reached this environment for the first time in this window.</div>;
  const sorted = [...changes].sort((a, b) => b.lead_seconds - a.lead_seconds);
  const head = (
    <div className="dora-row dora-change-row grid-head" role="row">
      <span role="columnheader">Change</span>
      <span role="columnheader">Lead time</span>
      <span role="columnheader">From merge</span>
      <span role="columnheader">Deployed</span>
      <span role="columnheader">Waits</span>
    </div>
  );
  return (
    <div className="card grid-table" role="table" data-testid="dora-changes">
      {head}
      {sorted.length <= VIRTUALISE_ABOVE ? (
        sorted.map((c) => <ChangeRow key={c.sha} c={c} stages={stages} />)
      ) : (
        <VirtualRows
          className="grid-scroller"
          items={sorted}
          keyOf={(c) => c.sha}
          rowHeight={52}
          initialRect={{ width: 960, height: 560 }}
          overscan={10}
          row={(c) => <ChangeRow c={c} stages={stages} />}
        />
      )}
    </div>
  );
}
