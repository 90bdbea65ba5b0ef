import type { ChangeDto, QueuedChangeDto } from "./ipc.gen";
import { LateMark } from "./ClockView";
import { agingWords } from "./clock";
import { VIRTUALISE_ABOVE, VirtualRows } from "./VirtualRows";

export function Meta({ change }: { change: ChangeDto }) {
  return (
    <div className="change-meta">
      {change.pr !== null && <span className="pr">#{change.pr}</span>}
      <span className="author" title={[change.author, ...change.co_authors].join(", ")}>
        {change.author}
        {change.co_authors.length > 0 && ` +${change.co_authors.length}`}
      </span>
      <code className="sha">{change.short_sha}</code>
      {change.reverts && <span className="tag tag-revert">revert</span>}
    </div>
  );
}

type RowProps = { change: QueuedChangeDto; onPick: (sha: string) => void; bySha: Map<string, QueuedChangeDto> };

function QueuedRow({ change, onPick, bySha }: RowProps) {
  const why = [...change.blockers.map((b) => b.sentence), ...(change.aging ? [agingWords(change.aging)] : [])].join("\n");
  const revertedLater = change.blockers.some((b) => b.kind === "reverted_later");
  // A change and its revert are a pair: each row names the other when both wait here.
  const reverted = change.reverts ? bySha.get(change.reverts) : undefined;
  return (
    <div
      className={`change change-pickable edge-${change.band}`}
      data-testid="queued-change"
      data-sha={change.sha}
      title={`${why}\nClick to preview promoting up to here`}
      role="button"
      tabIndex={0}
      onClick={() => onPick(change.sha)}
      onKeyDown={(e) => e.key === "Enter" && onPick(change.sha)}
    >
      <div className="change-top">
        <span className="change-title">{change.title}</span>
        <LateMark clock={change.aging} />
        <span className={`age band-${change.band}`} data-testid="age">
          {change.age}
        </span>
      </div>
      <Meta change={change} />
      {revertedLater && <div className="change-note">Reverted later in this queue</div>}
      {reverted && (
        <div className="change-note" data-testid="reverts-pair">
          Reverts {reverted.pr !== null ? `#${reverted.pr}` : reverted.short_sha}, earlier in this queue
        </div>
      )}
    </div>
  );
}

/** A queue, oldest first; long queues are virtualised so 10,000 rows stay smooth. */
export function QueueList({ queue, onPick }: { queue: QueuedChangeDto[]; onPick: (sha: string) => void }) {
  const bySha = new Map(queue.map((c) => [c.sha, c]));
  if (queue.length <= VIRTUALISE_ABOVE) {
    return (
      <ol className="changes" data-testid="queue">
        {queue.map((c) => (
          <li key={c.sha}>
            <QueuedRow change={c} onPick={onPick} bySha={bySha} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <VirtualRows
      className="changes changes-virtual"
      data-testid="queue"
      data-virtual="true"
      items={queue}
      keyOf={(c) => c.sha}
      rowHeight={62}
      // Until the column is measured, assume a typical height so the first paint has rows.
      initialRect={{ width: 320, height: 640 }}
      overscan={8}
      row={(c) => <QueuedRow change={c} onPick={onPick} bySha={bySha} />}
    />
  );
}
