import type { BlockerDto, BlockerKindDto, ChangeDto, QueuedChangeDto } from "../ipc";

/**
 * The blocker kinds that come from a gate (they lead a change's list). The others say where a
 * change stands rather than what stops it. A kind the core adds is a gate until it is named here,
 * so `GATE_LABEL` fails to compile without its label.
 */
export type GateBlockerKind = Exclude<BlockerKindDto, "not_promoted" | "reverted_later">;

/** A blocker that comes from a gate. */
export type GateBlocker = BlockerDto & { kind: GateBlockerKind };

/** Each gate blocker's short name. */
export const GATE_LABEL: Record<GateBlockerKind, string> = {
  bad: "Marked bad",
  rejected: "Rejected",
  hold: "On hold",
  freeze: "Frozen",
  awaiting_signoff: "Awaiting sign-off",
  config_guard: "Config guard",
};

export function isGateBlocker(blocker: BlockerDto): blocker is GateBlocker {
  return blocker.kind in GATE_LABEL;
}

/** A queued change's gate blockers, in the core's order. */
export function gateBlockers(change: QueuedChangeDto): GateBlocker[] {
  return change.blockers.filter(isGateBlocker);
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
