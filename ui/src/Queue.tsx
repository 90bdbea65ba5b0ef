import type { BlockerDto, ChangeDto, QueuedChangeDto } from "./ipc.gen";
import { LateMark } from "./ClockView";
import { agingWords } from "./clock";
import { VIRTUALISE_ABOVE, VirtualRows } from "./VirtualRows";
import { Menu } from "./Layout";
import { SignoffControls } from "./Signoff";

/** Blockers that come from a gate (they lead a change's list), with their short names. */
export const GATE_LABEL: Record<string, string> = {
  bad: "Marked bad",
  rejected: "Rejected",
  hold: "On hold",
  freeze: "Frozen",
  awaiting_signoff: "Awaiting sign-off",
};

/** A queued change's gate blockers, in the core's order. */
export function gateBlockers(change: QueuedChangeDto): BlockerDto[] {
  return change.blockers.filter((b) => b.kind in GATE_LABEL);
}

/** What a queued change offers besides "promote up to here", for one project's environment. */
export type RowActions = {
  project: string;
  environment: string;
  /** Ship only this fix (the hotfix lane). */
  onHotfix: (sha: string) => void;
  /** A sign-off was given: the board reads again. */
  onSigned: () => void;
};

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

type RowProps = { change: QueuedChangeDto; onPick: (sha: string) => void; bySha: Map<string, QueuedChangeDto>; actions?: RowActions };

function QueuedRow({ change, onPick, bySha, actions }: RowProps) {
  const why = [...change.blockers.map((b) => b.sentence), ...(change.aging ? [agingWords(change.aging)] : [])].join("\n");
  const revertedLater = change.blockers.some((b) => b.kind === "reverted_later");
  // A change and its revert are a pair: each row names the other when both wait here.
  const reverted = change.reverts ? bySha.get(change.reverts) : undefined;
  const gates = gateBlockers(change);
  const awaiting = gates.some((b) => b.kind === "awaiting_signoff");
  // Who marked it bad or rejected it, and why, is about this change alone: it is spelled out.
  const spelled = gates.filter((b) => b.kind === "bad" || b.kind === "rejected");
  return (
    // The whole row opens the promotion up to it; its inner controls do their own thing.
    <div
      className={`change queued edge-${change.band}`}
      data-testid="queued-change"
      data-sha={change.sha}
      title={`${why}\nClick to promote up to here (you see the plan first)`}
      onClick={() => onPick(change.sha)}
    >
      <div className="queued-main change-pickable" role="button" tabIndex={0} onKeyDown={(e) => e.key === "Enter" && onPick(change.sha)}>
        <div className="change-top">
          <span className="change-title">{change.title}</span>
          <LateMark clock={change.aging} />
          <span className={`age band-${change.band}`} data-testid="age">
            {change.age}
          </span>
        </div>
        <Meta change={change} />
      </div>
      {actions && (
        <div className="queued-menu">
          <Menu
            label={`More for ${change.short_sha}`}
            testId="change-menu"
            items={[
              { label: "Promote up to here…", onSelect: () => onPick(change.sha) },
              { label: "Ship only this fix…", onSelect: () => actions.onHotfix(change.sha), testId: "hotfix-button" },
            ]}
          />
        </div>
      )}
      {revertedLater && <div className="change-note">Reverted later in this queue</div>}
      {reverted && (
        <div className="change-note" data-testid="reverts-pair">
          Reverts {reverted.pr !== null ? `#${reverted.pr}` : reverted.short_sha}, earlier in this queue
        </div>
      )}
      {gates.length > 0 && (
        <div className="gates">
          {gates.map((b) => (
            <span key={b.kind} className={`gate gate-${b.kind}`} data-testid="gate-blocker" data-kind={b.kind} title={b.sentence}>
              {GATE_LABEL[b.kind]}
            </span>
          ))}
          {awaiting && actions && (
            <SignoffControls
              project={actions.project}
              environment={actions.environment}
              sha={change.sha}
              approveLabel="Sign off"
              compact
              onDone={actions.onSigned}
            />
          )}
        </div>
      )}
      {spelled.map((b) => (
        <div key={b.kind} className={`gate-note gate-note-${b.kind}`}>
          {b.sentence}
        </div>
      ))}
    </div>
  );
}

/** A queue, oldest first; long queues are virtualised so 10,000 rows stay smooth. */
export function QueueList({ queue, onPick, actions }: { queue: QueuedChangeDto[]; onPick: (sha: string) => void; actions?: RowActions }) {
  const bySha = new Map(queue.map((c) => [c.sha, c]));
  if (queue.length <= VIRTUALISE_ABOVE) {
    return (
      <ol className="changes" data-testid="queue">
        {queue.map((c) => (
          <li key={c.sha}>
            <QueuedRow change={c} onPick={onPick} bySha={bySha} actions={actions} />
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
      row={(c) => <QueuedRow change={c} onPick={onPick} bySha={bySha} actions={actions} />}
    />
  );
}
