/** Type, severity and state of a change request, as small coloured labels. */

const KIND_LABEL: Record<string, string> = { emergency: "Emergency", normal: "Normal", standard: "Standard" };

export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className={`badge kind-${kind}`} data-testid="kind-badge">
      {KIND_LABEL[kind] ?? kind}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span className={`badge sev sev-${severity}`} data-testid="severity-badge">
      {severity.toUpperCase()}
    </span>
  );
}

const STATE_LABEL: Record<string, string> = {
  draft: "Draft",
  submitted: "Submitted",
  approved: "Approved",
  verified: "Verified",
  deployed: "Deployed",
  closed: "Closed",
  rejected: "Rejected",
  cancelled: "Cancelled",
  "on-hold": "On hold",
};

export function stateLabel(state: string): string {
  return STATE_LABEL[state] ?? state;
}

export function StateChip({ state }: { state: string }) {
  return (
    <span className={`state state-${state}`} data-testid="state-chip" data-state={state}>
      <span className="state-dot" aria-hidden="true" />
      {stateLabel(state)}
    </span>
  );
}
