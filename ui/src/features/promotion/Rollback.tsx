import { useState } from "react";
import { api, rollbackOptionsQuery, useRead } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Section } from "../../shared/Section";
import { Meta } from "../../shared/change";
import { RunPane, busyWhy, short, useRun } from "./Run";

/**
 * The rollback drawer: pick an earlier position (the previous one first), see the changes going
 * back takes away and mark the bad ones, say why; then the run's progress and how it ended.
 */
export function RollbackDrawer({
  project,
  environment,
  frozen,
  onClose,
  onChanged,
}: {
  project: string;
  environment: string;
  /** Freeze windows on now: a rollback through one needs a reason too. */
  frozen: string[];
  onClose: () => void;
  onChanged: () => void;
}) {
  const options = useRead(rollbackOptionsQuery(project, environment));
  const [target, setTarget] = useState(0);
  const [bad, setBad] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const [override, setOverride] = useState("");
  const run = useRun(onChanged);

  const value = options.value;
  const chosen = value?.targets[target] ?? null;
  const started = run.state.phase === "running" || run.state.phase === "done";
  const missing = !chosen
    ? "There is no earlier position to go back to."
    : reason.trim() === ""
      ? "Say why: the hold and the follow-up carry the reason."
      : frozen.length > 0 && override.trim() === ""
        ? "Frozen: give a reason to override the freeze."
        : null;

  const confirm = () => {
    if (!chosen) return;
    // Only changes this target removes can be marked bad.
    const marks = chosen.removes.filter((c) => bad.has(c.sha)).map((c) => c.sha);
    void run.start((onProgress) =>
      api.promotion.rollback(
        {
          project,
          environment,
          to: chosen.change.sha,
          reason: reason.trim(),
          mark_bad: marks,
          override_reason: frozen.length > 0 && override.trim() ? override.trim() : null,
        },
        onProgress,
      ),
    );
  };
  const toggle = (sha: string, on: boolean) => {
    const next = new Set(bad);
    if (on) next.add(sha);
    else next.delete(sha);
    setBad(next);
  };

  return (
    <Drawer
      label="Roll back"
      testId="rollback"
      closeLabel="Close rollback"
      onClose={onClose}
      busy={busyWhy(run.state)}
      head={
        <div>
          <div className="column-kicker">{run.state.phase === "running" ? "Rolling back…" : "Roll back"}</div>
          <h2>
            {project} · {environment}
          </h2>
        </div>
      }
    >
      {started ? (
        <div className="drawer-body">
          <RunPane state={run.state} onCancel={run.cancel} />
          {run.state.phase === "done" && run.state.deployment.status === "succeeded" && (
            <p className="after-note" data-testid="rollback-after">
              {environment} is on hold now, so nothing is promoted into it by accident; lift the hold on the board when it is safe.
              A follow-up is open on the board for the postmortem.
            </p>
          )}
        </div>
      ) : (
        <>
          {!options.loaded && <div className="loading">Reading where {environment} stood before…</div>}
          {options.loaded && options.value === null && (
            <div className="drawer-body">
              <div className="column-error" role="alert" data-testid="rollback-error">
                {options.error?.message}
              </div>
            </div>
          )}
          {value && (
            <>
              <div className="drawer-body">
                <p className="explain">
                  Rolling back moves {environment} from <code className="sha">{value.current.short_sha}</code> to an earlier deployment
                  and runs its deploy action. It also <strong>puts a hold on {environment}</strong> (nothing is promoted into it until
                  someone lifts it) and <strong>opens a follow-up</strong> for the postmortem.
                </p>
                {value.targets.length === 0 ? (
                  <p className="muted" data-testid="no-targets">
                    {environment} has no earlier deployment or ref position to go back to.
                  </p>
                ) : (
                  <>
                    <label className="field">
                      <span>Go back to</span>
                      <select className="select" value={target} onChange={(e) => setTarget(Number(e.target.value))} data-testid="rollback-target">
                        {value.targets.map((t, i) => (
                          <option key={t.change.sha} value={i}>
                            {t.change.short_sha} — {t.change.title}
                            {i === 0 ? " (where it stood before)" : ""}
                          </option>
                        ))}
                      </select>
                    </label>
                    {chosen && (
                      <Section title={`It takes away (${chosen.removes.length})`}>
                        {chosen.removes.length === 0 ? (
                          <p className="muted">Nothing: {environment} already has only what that position had.</p>
                        ) : (
                          <>
                            <p className="hint">Mark the change that broke things as bad: it then goes no further downstream until someone unmarks it.</p>
                            <ul className="removes">
                              {chosen.removes.map((c) => (
                                <li key={c.sha} data-testid="rollback-removes" data-sha={c.sha}>
                                  <div className="removes-change">
                                    <span className="change-title">{c.title}</span>
                                    <Meta change={c} />
                                  </div>
                                  <label className="check check-bad">
                                    <input
                                      type="checkbox"
                                      checked={bad.has(c.sha)}
                                      onChange={(e) => toggle(c.sha, e.target.checked)}
                                      data-testid="mark-bad"
                                    />
                                    mark bad
                                  </label>
                                </li>
                              ))}
                            </ul>
                          </>
                        )}
                      </Section>
                    )}
                    <label className="field">
                      <span>Why roll back? (required)</span>
                      <input
                        value={reason}
                        onChange={(e) => setReason(e.target.value)}
                        placeholder="Checkout returns 500 since the last promotion"
                        data-testid="rollback-reason"
                        required
                      />
                    </label>
                    {frozen.length > 0 && (
                      <label className="field override">
                        <span>{environment} is frozen ({frozen.join("; ")}) — why roll back anyway?</span>
                        <input value={override} onChange={(e) => setOverride(e.target.value)} placeholder="Restoring service" data-testid="override-reason" />
                      </label>
                    )}
                  </>
                )}
              </div>
              <div className="drawer-foot">
                {run.state.phase === "refused" && (
                  <div className="inline-error foot-error" role="alert" data-testid="run-error" data-code={run.state.error.code}>
                    {run.state.error.message}
                  </div>
                )}
                <div className="foot-row">
                  <span className="foot-why" data-testid="confirm-why">
                    {missing ?? `Moves ${environment} to ${chosen ? short(chosen.change.sha) : ""} and puts a hold on it.`}
                  </span>
                  <button className="button button-danger-solid" onClick={confirm} disabled={missing !== null} data-testid="confirm-rollback">
                    Roll back {environment}
                    {chosen ? ` to ${chosen.change.short_sha}` : ""}
                  </button>
                </div>
              </div>
            </>
          )}
        </>
      )}
    </Drawer>
  );
}
