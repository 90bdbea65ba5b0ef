import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, hotfixPlanQuery, type EnvironmentColumnDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Section } from "../../shared/Section";
import { Meta } from "../../shared/change";
import { RunPane, busyWhy, useRun } from "./Run";
import { REPLAN_MS, Verdicts, firstBlock } from "./Verdicts";

/** `value` once it has stood still for `ms` (at once when it is empty: nothing is being typed). */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), value ? ms : 0);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The hotfix lane: one queued fix goes to the environment alone (cherry-picked onto its line
 * when other changes wait before it), with only that fix's gates checked. What they say is the
 * core's answer (`plan_hotfix`), asked again as an override reason is typed.
 */
export function HotfixDrawer({
  project,
  column,
  sha,
  onClose,
  onChanged,
  onRollback,
}: {
  project: string;
  column: EnvironmentColumnDto;
  sha: string;
  onClose: () => void;
  onChanged: () => void;
  onRollback: () => void;
}) {
  const [override, setOverride] = useState("");
  const [guardOverride, setGuardOverride] = useState("");
  const run = useRun(onChanged);
  const index = column.queue.findIndex((c) => c.sha === sha);
  const fix = index >= 0 ? column.queue[index] : null;
  const env = column.name;
  const started = run.state.phase === "running" || run.state.phase === "done";
  const reason = override.trim();
  // The first look is at once; a reason being typed is asked about once typing pauses.
  const asked = useSettled(reason, REPLAN_MS);
  const guardReason = guardOverride.trim();
  const askedGuard = useSettled(guardReason, REPLAN_MS);
  const plan = useQuery({
    ...hotfixPlanQuery({
      project,
      environment: env,
      fix: sha,
      override_reason: asked || null,
      guard_override_reason: askedGuard || null,
    }),
    enabled: fix !== null && !started,
    placeholderData: keepPreviousData,
  });
  const verdicts = plan.data ?? null;
  const fresh = verdicts !== null && asked === reason && askedGuard === guardReason && !plan.isPlaceholderData;
  const blocking = verdicts ? firstBlock(verdicts) : null;
  const frozen = column.frozen.length > 0 || (verdicts ?? []).some((v) => v.kind === "freeze" && v.outcome !== "pass");
  const guarded = (verdicts ?? []).some((v) => v.kind === "config" && v.outcome !== "pass");
  const why = !fix
    ? "This change no longer waits here."
    : plan.error
      ? plan.error.message
      : !fresh
        ? verdicts === null
          ? "Asking the gates…"
          : "Asking the gates again…"
        : (blocking?.sentence ?? null);

  const confirm = () =>
    void run.start((onProgress) => api.promotion.hotfix(
        {
          project,
          environment: env,
          fix: sha,
          override_reason: reason || null,
          guard_override_reason: guardReason || null,
        },
        onProgress,
      ),
    );

  return (
    <Drawer
      label="Ship only this fix"
      testId="hotfix"
      closeLabel="Close hotfix"
      onClose={onClose}
      busy={busyWhy(run.state)}
      head={
        <div>
          <div className="column-kicker">{run.state.phase === "running" ? "Shipping the fix…" : "Hotfix lane · ship only this fix"}</div>
          <h2>
            {project} → {env}
          </h2>
        </div>
      }
    >
      {started ? (
        <div className="drawer-body">
          <RunPane state={run.state} onCancel={run.cancel} onRollback={onRollback} />
        </div>
      ) : (
        <>
          <div className="drawer-body">
            {fix ? (
              <>
                <div className="hotfix-change">
                  <span className="change-title">{fix.title}</span>
                  <Meta change={fix} />
                </div>
                <p className="explain" data-testid="hotfix-explain">
                  {index === 0 ? (
                    <>Nothing waits before it: {env} moves up to this change alone.</>
                  ) : (
                    <>
                      The fix is cherry-picked onto {env}’s line ({column.tip?.change.short_sha ?? "where it stands"}); the{" "}
                      <strong>
                        {index} {index === 1 ? "change queued before it stays" : "changes queued before it stay"} behind
                      </strong>
                      , unverified changes do not ride along. If it does not apply cleanly, nothing changes and Slipway says so.
                    </>
                  )}
                </p>
                <Section title="Its gates">
                  {plan.error ? (
                    <div className="column-error" role="alert" data-testid="hotfix-plan-error">
                      {plan.error.message}
                    </div>
                  ) : verdicts === null ? (
                    <p className="muted">Asking the gates…</p>
                  ) : verdicts.length === 0 ? (
                    <p className="muted">No gate stands in its way.</p>
                  ) : (
                    <Verdicts verdicts={verdicts} />
                  )}
                </Section>
                {frozen && (
                  <label className="field override">
                    <span>{env} is frozen ({column.frozen.join("; ")}) — why must this fix ship now?</span>
                    <input value={override} onChange={(e) => setOverride(e.target.value)} placeholder="Stops double charges in production" data-testid="override-reason" />
                  </label>
                )}
                {guarded && (
                  <label className="field override">
                    <span>The config guard blocks this fix’s own lines — why are they right for {env}?</span>
                    <input
                      value={guardOverride}
                      onChange={(e) => setGuardOverride(e.target.value)}
                      placeholder="The orders source moved to this host for good"
                      data-testid="hotfix-guard-reason"
                    />
                  </label>
                )}
              </>
            ) : (
              <p className="muted">This change no longer waits for {env}; refresh the board.</p>
            )}
          </div>
          <div className="drawer-foot">
            {run.state.phase === "refused" && (
              <div className="inline-error foot-error" role="alert" data-testid="run-error" data-code={run.state.error.code}>
                {run.state.error.message}
              </div>
            )}
            <div className="foot-row">
              <span className={why ? "foot-why" : "foot-why foot-ready"} data-testid="hotfix-why">
                {why ?? "Its sign-off, holds and bad marks are checked again when you confirm."}
              </span>
              <button className="button button-primary" onClick={confirm} disabled={why !== null} data-testid="confirm-hotfix">
                Ship only this fix to {env}
              </button>
            </div>
          </div>
        </>
      )}
    </Drawer>
  );
}
