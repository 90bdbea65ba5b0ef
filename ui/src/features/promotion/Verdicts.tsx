import type { GateKindDto, OutcomeDto, VerdictDto } from "../../ipc";

/** How long typing an override reason pauses before the gates are asked again. */
export const REPLAN_MS = 400;

/** Each gate's short name in a verdict list. */
const GATE_NAME: Record<GateKindDto, string> = {
  hold: "hold",
  freeze: "freeze",
  signoff: "sign-off",
  ride_along: "ride-along",
  bad: "bad",
  config: "config guard",
  secret: "secret",
};

const OUTCOME_ICON: Record<OutcomeDto, string> = { block: "✕", warn: "!", overridden: "↷", pass: "✓" };

/** The gates' verdicts as the core gave them (blocking ones first), as the promotion and hotfix drawers show them. */
export function Verdicts({ verdicts }: { verdicts: VerdictDto[] }) {
  return (
    <ul className="verdicts">
      {verdicts.map((v, i) => (
        <Verdict key={`${v.kind}/${v.sha ?? ""}/${i}`} verdict={v} />
      ))}
    </ul>
  );
}

function Verdict({ verdict: v }: { verdict: VerdictDto }) {
  return (
    <li className={`verdict verdict-${v.outcome}`} data-testid="plan-verdict" data-outcome={v.outcome} data-kind={v.kind}>
      <span className="verdict-icon" aria-hidden="true">
        {OUTCOME_ICON[v.outcome]}
      </span>
      <span className="verdict-kind">{GATE_NAME[v.kind]}</span>
      <span className="verdict-text">
        {v.sentence}
        {v.outcome === "overridden" && <span className="tag tag-overridden">overridden</span>}
      </span>
    </li>
  );
}

/** The first verdict that blocks, if one does. */
export function firstBlock(verdicts: VerdictDto[]): VerdictDto | null {
  return verdicts.find((v) => v.outcome === "block") ?? null;
}
