import { useContext } from "react";
import type { QueuedChangeDto } from "../../ipc";
import { LateMark } from "../../shared/ClockView";
import { agingWords } from "../../shared/clock";
import { GATE_LABEL, Meta, gateBlockers } from "../../shared/change";
import { VIRTUALISE_ABOVE, VirtualRows } from "../../shared/VirtualRows";
import { Menu } from "../../shared/Menu";
import { SignoffControls } from "../promotion";
import { FocusContext } from "./focus";

/** What a queued change offers besides "promote up to here", for one project's environment. */
export type RowActions = {
  project: string;
  environment: string;
  /** Ship only this fix (the hotfix lane). */
  onHotfix: (sha: string) => void;
  /** A sign-off was given: the board reads again. */
  onSigned: () => void;
};

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
      className={`change queued edge-${change.band ?? "shipped"}`}
      data-testid="queued-change"
      data-sha={change.sha}
      title={`${why}\nClick to promote up to here (you see the plan first)`}
      onClick={() => onPick(change.sha)}
    >
      <div className="queued-main change-pickable" role="button" tabIndex={0} onKeyDown={(e) => e.key === "Enter" && onPick(change.sha)}>
        <div className="change-top">
          <span className="change-title">{change.title}</span>
          <LateMark clock={change.aging} />
          <span
            className={`age band-${change.band ?? "shipped"}`}
            data-testid="age"
            title={change.shipped_as ? `Waited ${change.age} before it shipped as another commit` : undefined}
          >
            {change.shipped_as ? "shipped" : change.age}
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
      {change.shipped_as && (
        <div className="change-note shipped-note" data-testid="shipped-as" title={change.shipped_as.sentence}>
          Already in {actions?.environment ?? "this environment"} as <code>{change.shipped_as.sha.slice(0, 8)}</code> (
          {change.shipped_as.how === "cherry_picked" ? "cherry-picked" : "same patch"}) — it will not ship again as new code
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
  // A change the palette led to is scrolled into view, even deep in a virtualised queue.
  const focused = useContext(FocusContext)?.sha ?? null;
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
      scrollToKey={focused !== null && bySha.has(focused) ? focused : null}
    />
  );
}
