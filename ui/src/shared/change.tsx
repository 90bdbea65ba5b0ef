import type { BlockerDto, ChangeDto, QueuedChangeDto } from "../ipc";

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

/** A change's PR, author, co-authors, short sha and revert tag: one line under its title. */
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
