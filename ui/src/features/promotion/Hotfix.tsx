import { useState } from "react";
import { api, type EnvironmentColumnDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Section } from "../../shared/Section";
import { GATE_LABEL, Meta, gateBlockers } from "../../shared/change";
import { RunPane, busyWhy, useRun } from "./Run";

/**
 * The hotfix lane: one queued fix goes to the environment alone (cherry-picked onto its line
 * when other changes wait before it), with only that fix's gates checked.
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
  const run = useRun(onChanged);
  const index = column.queue.findIndex((c) => c.sha === sha);
  const fix = index >= 0 ? column.queue[index] : null;
  const env = column.name;
  const frozen = column.frozen.length > 0;
  const started = run.state.phase === "running" || run.state.phase === "done";
  const gates = fix ? gateBlockers(fix) : [];
  const why = !fix ? "This change no longer waits here." : frozen && override.trim() === "" ? "Frozen: give a reason to override the freeze." : null;

  const confirm = () =>
    void run.start((onProgress) =>
      api.promotion.hotfix({ project, environment: env, fix: sha, override_reason: frozen && override.trim() ? override.trim() : null }, onProgress),
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
                  {gates.length === 0 ? (
                    <p className="muted">No gate stands in its way.</p>
                  ) : (
                    <ul className="verdicts">
                      {gates.map((b) => (
                        <li key={b.kind} className={`verdict verdict-${b.kind === "freeze" ? "warn" : "block"}`}>
                          <span className="verdict-icon" aria-hidden="true">
                            {b.kind === "freeze" ? "!" : "✕"}
                          </span>
                          <span className="verdict-kind">{GATE_LABEL[b.kind]}</span>
                          <span className="verdict-text">{b.sentence}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </Section>
                {frozen && (
                  <label className="field override">
                    <span>{env} is frozen ({column.frozen.join("; ")}) — why must this fix ship now?</span>
                    <input value={override} onChange={(e) => setOverride(e.target.value)} placeholder="Stops double charges in production" data-testid="override-reason" />
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
              <span className="foot-why">{why ?? "Its sign-off, holds and bad marks are checked when you confirm."}</span>
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
