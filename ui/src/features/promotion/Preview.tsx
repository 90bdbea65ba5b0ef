import { useEffect, useState } from "react";
import { api, type ApiError, type Outcome, type PlanDto, type PreviewDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Figure, Section } from "../../shared/Section";
import { Meta } from "../../shared/change";
import { localTimes } from "../../shared/format";
import { RunPane, busyWhy, short, useRun } from "./Run";
import { REPLAN_MS, Verdicts } from "./Verdicts";

/** What the promotion drawer is about: an environment, moved to its upstream's head or up to one change. */
export type PromotionRequest = { project: string; environment: string; to: string | null };

/**
 * The promotion drawer: exactly what would ship and what every gate says (nothing changes
 * until the person confirms), then the run's progress and how it ended.
 */
export function PromotionDrawer({
  request,
  onClose,
  onChanged,
  onRollback,
  onHotfix,
}: {
  request: PromotionRequest;
  onClose: () => void;
  onChanged: () => void;
  onRollback: () => void;
  onHotfix: (sha: string) => void;
}) {
  const { project, environment, to } = request;
  const [override, setOverride] = useState("");
  const [guardOverride, setGuardOverride] = useState("");
  const [accept, setAccept] = useState(false);
  const [looks, setLooks] = useState(0);
  const [planned, setPlanned] = useState<{ reason: string; looks: number; outcome: Outcome<PlanDto> } | null>(null);
  const run = useRun(onChanged);
  const reason = override.trim();
  const guardReason = guardOverride.trim();
  // What the plan was asked with: both reasons, so a plan for other words is not taken as fresh.
  const asked = `${reason}\u0000${guardReason}`;

  useEffect(() => {
    let live = true;
    // The first look is at once; a reason being typed is asked about once typing pauses.
    const timer = setTimeout(
      () => {
        void api.promotion
          .plan({
            project,
            environment,
            to,
            expected_from: null,
            override_reason: reason || null,
            guard_override_reason: guardReason || null,
            accept_ride_along: false,
          })
          .then((outcome) => live && setPlanned({ reason: asked, looks, outcome }));
      },
      reason || guardReason ? REPLAN_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [project, environment, to, reason, guardReason, asked, looks]);

  const outcome = planned?.outcome ?? null;
  const plan = outcome?.ok ? outcome.value : null;
  const fresh = planned !== null && planned.reason === asked && planned.looks === looks;
  const phase = run.state.phase;
  const started = phase === "running" || phase === "done";

  const confirm = () => {
    if (!plan) return;
    void run.start((onProgress) =>
      api.promotion.promote(
        {
          project,
          environment,
          to: plan.preview.to?.sha ?? to,
          expected_from: plan.preview.from.sha,
          override_reason: reason || null,
          guard_override_reason: guardReason || null,
          accept_ride_along: plan.ride_along.length > 0 && accept,
        },
        onProgress,
      ),
    );
  };
  const lookAgain = () => {
    run.reset();
    setAccept(false);
    setLooks((n) => n + 1);
    onChanged();
  };

  return (
    <Drawer
      label="Promotion"
      testId="preview"
      closeLabel="Close promotion"
      onClose={onClose}
      busy={busyWhy(run.state)}
      head={
        <div>
          <div className="column-kicker">
            {phase === "running" ? "Promoting…" : started ? "Promotion" : "Promote · nothing changes until you confirm"}
          </div>
          <h2>
            {project} → {environment}
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
          {outcome === null && <div className="loading">Working out what would ship and asking the gates…</div>}
          {outcome && !outcome.ok && (
            <div className="drawer-body">
              <div className="column-error" role="alert" data-testid="preview-error">
                {outcome.error.message}
              </div>
            </div>
          )}
          {plan && (
            <>
              <div className="drawer-body">
                <PreviewSummary preview={plan.preview} />
                {plan.in_progress && (
                  <div className="preview-warning" data-testid="in-progress">
                    A deployment of {environment} is running: {localTimes(plan.in_progress)}. Wait for it to finish, then look again.
                  </div>
                )}
                <Gates
                  plan={plan}
                  override={override}
                  onOverride={setOverride}
                  guardOverride={guardOverride}
                  onGuardOverride={setGuardOverride}
                  accept={accept}
                  onAccept={setAccept}
                />
                <WhatHappens plan={plan} />
                {to !== null && plan.preview.shipping.length > 1 && (
                  <p className="hotfix-hint">
                    Only want this one fix in {environment}?{" "}
                    <button className="link-button" onClick={() => onHotfix(to)} data-testid="switch-to-hotfix">
                      Ship only this fix
                    </button>{" "}
                    — the {plan.preview.shipping.length - 1} changes before it stay queued.
                  </p>
                )}
                <PreviewDetails preview={plan.preview} />
              </div>
              <ConfirmBar
                plan={plan}
                environment={environment}
                fresh={fresh}
                accept={accept}
                reason={reason}
                guardReason={guardReason}
                refused={run.state.phase === "refused" ? run.state : null}
                onConfirm={confirm}
                onLookAgain={lookAgain}
              />
            </>
          )}
        </>
      )}
    </Drawer>
  );
}

/** Why the confirm button cannot be pressed, as the footer says it; null when it can. */
function holdUp(plan: PlanDto, fresh: boolean, accept: boolean, reason: string, guardReason: string): string | null {
  if (!fresh) return "Asking the gates again…";
  if (plan.in_progress) return "Another deployment of this environment is running.";
  if (plan.preview.shipping.length === 0) return "Nothing waits: there is nothing to promote.";
  const blocking = plan.verdicts.filter((v) => v.outcome === "block");
  if (blocking.some((v) => v.kind === "freeze") && !reason) return "Frozen: give a reason to override the freeze.";
  if (blocking.some((v) => v.kind === "config") && !guardReason && plan.preview.guard.override_role === null)
    return "The config guard blocks: give a reason to ship past it.";
  if (blocking.length > 0 || !plan.allowed) return "A gate blocks this promotion (in red above).";
  if (plan.ride_along.length > 0 && !accept) return "Confirm the changes that ride along without sign-off.";
  return null;
}

function ConfirmBar({
  plan,
  environment,
  fresh,
  accept,
  reason,
  guardReason,
  refused,
  onConfirm,
  onLookAgain,
}: {
  plan: PlanDto;
  environment: string;
  fresh: boolean;
  accept: boolean;
  reason: string;
  guardReason: string;
  refused: { error: ApiError } | null;
  onConfirm: () => void;
  onLookAgain: () => void;
}) {
  const why = holdUp(plan, fresh, accept, reason, guardReason);
  const n = plan.preview.shipping.length;
  return (
    <div className="drawer-foot">
      {refused && (
        <div className="inline-error foot-error" role="alert" data-testid="run-error" data-code={refused.error.code}>
          {refused.error.message}
          {(refused.error.code === "environment_moved" || refused.error.code === "promotion_in_progress") && (
            <button className="button button-small-inline" onClick={onLookAgain} data-testid="look-again">
              Refresh and look again
            </button>
          )}
        </div>
      )}
      <div className="foot-row">
        <span className={why ? "foot-why" : "foot-why foot-ready"} data-testid="confirm-why">
          {why ?? `Moves ${environment} from ${plan.preview.from.short_sha} to ${plan.preview.to?.short_sha ?? "—"}.`}
        </span>
        <button className="button button-primary" onClick={onConfirm} disabled={why !== null} data-testid="confirm-promote">
          Promote {n} {n === 1 ? "change" : "changes"} to {environment}
        </button>
      </div>
    </div>
  );
}

/** Every gate's verdict, the override reason when a freeze is in the way, and the ride-along confirmation. */
function Gates({
  plan,
  override,
  onOverride,
  guardOverride,
  onGuardOverride,
  accept,
  onAccept,
}: {
  plan: PlanDto;
  override: string;
  onOverride: (reason: string) => void;
  guardOverride: string;
  onGuardOverride: (reason: string) => void;
  accept: boolean;
  onAccept: (accept: boolean) => void;
}) {
  const frozen = plan.verdicts.some((v) => v.kind === "freeze" && (v.outcome === "block" || v.outcome === "overridden"));
  const bySha = new Map(plan.preview.shipping.map((c) => [c.sha, c]));
  const guard = plan.preview.guard;
  const guarded = plan.verdicts.some((v) => v.kind === "config" && (v.outcome === "block" || v.outcome === "overridden"));
  return (
    <Section title="Gates">
      <Verdicts verdicts={plan.verdicts} />
      {guard.findings.length > 0 && (
        <ul className="guard-findings" data-testid="guard-findings">
          {guard.findings.map((f, i) => (
            <li key={`${f.path}:${f.line}:${i}`} data-testid="guard-finding" data-kind={f.kind}>
              <code>
                {f.path}:{f.line}
              </code>{" "}
              <span className="guard-matched">{f.matched}</span>
              {f.change && (
                <span className="guard-change">
                  {" "}
                  from <code className="sha">{short(f.change)}</code> {f.change_title ?? ""}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {guarded && guard.override_role === null && (
        <label className="field override">
          <span>Ship past the config guard — why is this setting right for {plan.preview.environment}?</span>
          <input
            value={guardOverride}
            onChange={(e) => onGuardOverride(e.target.value)}
            placeholder="The perf host is the new shared orders gateway, confirmed with its owners"
            data-testid="guard-override-reason"
          />
          <span className="hint">The reason goes into the audit log with the findings.</span>
        </label>
      )}
      {guarded && guard.override_role !== null && (
        <p className="hint" data-testid="guard-override-role">
          Only an approving sign-off by a {guard.override_role} lifts the config guard&apos;s block.
        </p>
      )}
      {frozen && (
        <label className="field override">
          <span>Override the freeze — why must this ship now?</span>
          <input
            value={override}
            onChange={(e) => onOverride(e.target.value)}
            placeholder="Payment outage fix, agreed with the incident lead"
            data-testid="override-reason"
          />
          <span className="hint">The reason goes on the deployment and into the audit log.</span>
        </label>
      )}
      {plan.ride_along.length > 0 && (
        <div className="ride-along" data-testid="ride-along">
          <div className="ride-along-title">
            {plan.ride_along.length} {plan.ride_along.length === 1 ? "change rides" : "changes ride"} along without {plan.ride_along.length === 1 ? "its" : "their"} sign-off
          </div>
          <ul>
            {plan.ride_along.map((sha) => (
              <li key={sha}>
                <code className="sha">{short(sha)}</code> {bySha.get(sha)?.title ?? ""}
              </li>
            ))}
          </ul>
          <label className="check">
            <input type="checkbox" checked={accept} onChange={(e) => onAccept(e.target.checked)} data-testid="accept-ride-along" />
            Ship {plan.ride_along.length === 1 ? "it" : "them"} anyway: I know {plan.ride_along.length === 1 ? "it has" : "they have"} not been signed off
          </label>
        </div>
      )}
    </Section>
  );
}

/** The ref move, the deploy action and the verification, in words. */
function WhatHappens({ plan }: { plan: PlanDto }) {
  return (
    <Section title="What happens">
      <dl className="steps">
        <dt>1 · Ref</dt>
        <dd data-testid="plan-moves">{plan.moves}</dd>
        <dt>2 · Deploy</dt>
        <dd data-testid="plan-action">{plan.action}</dd>
        <dt>3 · Verify</dt>
        <dd className={plan.verification ? "" : "muted"}>{plan.verification ?? "no verification set up"}</dd>
      </dl>
    </Section>
  );
}

function PreviewSummary({ preview }: { preview: PreviewDto }) {
  return (
    <>
      <div className="preview-stats">
        <Figure value={preview.shipping.length} label={preview.shipping.length === 1 ? "change" : "changes"} testId="preview-count" />
        <Figure value={preview.files.length} label="files" />
        <Figure value={`+${preview.additions}`} label="lines added" tone="plus" />
        <Figure value={`−${preview.deletions}`} label="lines removed" tone="minus" />
      </div>
      <p className="preview-range">
        From <code className="sha">{preview.from.short_sha}</code> to{" "}
        <code className="sha">{preview.to ? preview.to.short_sha : preview.from.short_sha}</code> of {preview.upstream}
      </p>
      {preview.left_behind.length > 0 && (
        <div className="preview-warning" data-testid="left-behind">
          {preview.left_behind.length} later {preview.left_behind.length === 1 ? "change stays" : "changes stay"} behind in the queue.
        </div>
      )}
      {preview.already_shipped.length > 0 && (
        <div className="preview-note" data-testid="already-shipped">
          <strong>
            {preview.already_shipped.length} {preview.already_shipped.length === 1 ? "change is" : "changes are"} already in {preview.environment}
          </strong>{" "}
          under another commit and will not ship again as new code:
          <ul>
            {preview.already_shipped.map((s) => (
              <li key={s.change.sha}>
                <code className="sha">{s.change.short_sha}</code> {s.change.title} — {s.shipped_as.sentence}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function PreviewDetails({ preview }: { preview: PreviewDto }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Section title={`Changes (${preview.shipping.length})`}>
        <ol className="preview-list">
          {preview.shipping.map((c) => (
            <li key={c.sha}>
              <span className="change-title">{c.title}</span>
              <Meta change={c} />
            </li>
          ))}
        </ol>
      </Section>
      {preview.tickets.length > 0 && (
        <Section title={`Tickets (${preview.tickets.length})`}>
          <div className="chips">
            {preview.tickets.map((t) => (
              <span key={t} className="chip">
                {t}
              </span>
            ))}
          </div>
        </Section>
      )}
      <Section title={`Authors (${preview.authors.length})`}>
        <div className="chips">
          {preview.authors.map((a) => (
            <span key={a} className="chip">
              {a}
            </span>
          ))}
        </div>
      </Section>
      <Section title={`Files (${preview.files.length})`}>
        <table className="files">
          <tbody>
            {preview.files.map((f) => (
              <tr key={f.path}>
                <td className="plus">{f.binary ? "bin" : `+${f.additions}`}</td>
                <td className="minus">{f.binary ? "" : `−${f.deletions}`}</td>
                <td className="path">{f.path}</td>
                <td className="status">{f.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Release notes (Markdown)">
        <pre className="notes" data-testid="release-notes">
          {preview.release_notes}
        </pre>
        <button
          className="button"
          onClick={() => void navigator.clipboard?.writeText(preview.release_notes).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy release notes"}
        </button>
      </Section>
    </>
  );
}
