import type { ChangeDto, EnvironmentColumnDto, StandingDto, TipDto, TrunkColumnDto } from "./ipc.gen";
import { whenShort, worstBand } from "./format";
import { Meta, QueueList } from "./Queue";
import { lateCount } from "./clock";

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

export function EnvironmentColumn({
  column,
  onPreview,
}: {
  column: EnvironmentColumnDto;
  onPreview: (to: string | null) => void;
}) {
  const band = worstBand(column);
  const late = lateCount(column.queue);
  return (
    <section className="column" data-testid="env-column" data-env={column.name}>
      <header className="column-head">
        <div className="column-kicker">
          from {column.upstream} <span className="arrow">→</span>
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
        {column.queue.length > 0 && (
          <button className="button button-small" onClick={() => onPreview(null)} data-testid="preview-button">
            Preview promotion
          </button>
        )}
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
          <QueueList queue={column.queue} onPick={(sha) => onPreview(sha)} />
        </>
      )}
    </section>
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
