import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import {
  agingKeys,
  api,
  requestKeys,
  requestQuery,
  useAct,
  useRead,
  type RequestActionDto,
  type RequestDetailDto,
  type RequestStepDto,
  type RequestSummaryDto,
} from "../../ipc";
import { Problem } from "../../shared/Problem";
import { ClockPanel } from "../../shared/ClockView";
import { Drawer } from "../../shared/Drawer";
import { Section } from "../../shared/Section";
import { whenShort } from "../../shared/format";
import { unreachable } from "../../shared/never";
import { KindBadge, SeverityBadge, StateChip, stateLabel } from "./RequestBadges";

/** A step on a request: the core's names for them (what it offers, and what it is asked to do). */
export type ActionName = RequestStepDto & RequestActionDto["action"];

type Look = { label: string; style?: string };

/**
 * Every step a request page can show, with its label and style, in the order its buttons stand
 * (a step the core adds fails to compile until it has one). Which of them a request offers is the
 * core's answer (`summary.actions`), never worked out here.
 */
const ACTIONS: Record<RequestStepDto, Look> = {
  submit: { label: "Submit for approval", style: "button-primary" },
  approve: { label: "Approve", style: "button-primary" },
  verify: { label: "Mark verified", style: "button-primary" },
  resume: { label: "Resume", style: "button-primary" },
  close: { label: "Close request", style: "button-primary" },
  reject: { label: "Reject…", style: "button-danger" },
  hold: { label: "Put on hold…" },
  cancel: { label: "Cancel request…", style: "button-danger" },
  acknowledge: { label: "I’m on it", style: "button-attention" },
  link: { label: "Link change…" },
};

/** The steps the core offers this person on this request, in display order. */
function offered(summary: RequestSummaryDto): [ActionName, Look][] {
  return (Object.entries(ACTIONS) as [ActionName, Look][]).filter(([name]) => summary.actions.includes(name));
}

/** Steps that need words from the person: a reason, or what names the change to link. */
type Asking = "reject" | "hold" | "cancel" | "link";

const ASK: Record<Asking, { label: string; placeholder: string; confirm: string }> = {
  reject: { label: "Why is it rejected?", placeholder: "The fix does not cover the refund path", confirm: "Reject" },
  hold: { label: "Why put it on hold?", placeholder: "Waiting for the vendor's answer", confirm: "Put on hold" },
  cancel: { label: "Why cancel it?", placeholder: "Superseded by #14", confirm: "Cancel request" },
  link: { label: "Which change?", placeholder: "A sha, a #PR number or words from its title", confirm: "Link change" },
};

function isAsking(action: ActionName): action is Asking {
  return action in ASK;
}

function actionOf(name: ActionName, text: string): RequestActionDto {
  switch (name) {
    case "approve":
      return { action: "approve", role: null };
    case "reject":
    case "hold":
    case "cancel":
      return { action: name, reason: text.trim() };
    case "link":
      return { action: "link", change: text.trim() };
    case "submit":
    case "verify":
    case "resume":
    case "close":
    case "acknowledge":
      return { action: name };
    default:
      return unreachable(name);
  }
}

/** One change request: who, what, its clocks, what can be done next, and what happened. */
/**
 * One change request. `acknowledgeReady` (an acknowledge link opened it) puts "I'm on it" in
 * focus with a word on why; it is never pressed for the person.
 */
export function RequestPage({ id, onClose, onChanged, acknowledgeReady = false }: { id: number; onClose: () => void; onChanged?: () => void; acknowledgeReady?: boolean }) {
  // Clocks are read again as often as the list does (CLOCK_REFRESH_MS); countdowns tick in between.
  const page = useRead(requestQuery(id));
  const client = useQueryClient();
  // The act's answer is the request as it now stands: shown at once (a read begun before it is
  // dropped), while the list and the aging view read again.
  const acted = useCallback(
    (next: RequestDetailDto) => {
      void client.cancelQueries({ queryKey: requestKeys.detail(id) });
      client.setQueryData(requestKeys.detail(id), next);
      onChanged?.();
    },
    [client, id, onChanged],
  );

  const detail = page.value;
  return (
    <Drawer
      label={`Change request #${id}`}
      testId="request-page"
      data-id={id}
      wide
      closeLabel="Close this page"
      onClose={onClose}
      head={
        <div className="request-head">
          <div className="column-kicker">
            Change request #{id}
            {detail && ` · ${detail.summary.project}`}
          </div>
          {detail && (
            <>
              <h2 data-testid="request-title">{detail.summary.title}</h2>
              <div className="badges">
                <KindBadge kind={detail.summary.kind} />
                <SeverityBadge severity={detail.summary.severity} />
                <StateChip state={detail.summary.state} />
              </div>
            </>
          )}
        </div>
      }
    >
      {!page.loaded && <div className="loading">Reading the request…</div>}
      {/* A failed re-read keeps the page as it was; only a page with nothing to show says why. */}
      {page.loaded && page.value === null && (
        <div className="drawer-body">
          <Problem testId="request-load-error" title={`Slipway can’t show request #${id}`} error={page.error} />
        </div>
      )}
      {detail && <RequestBody detail={detail} onActed={acted} acknowledgeReady={acknowledgeReady} />}
    </Drawer>
  );
}

function RequestBody({ detail, onActed, acknowledgeReady }: { detail: RequestDetailDto; onActed: (next: RequestDetailDto) => void; acknowledgeReady: boolean }) {
  const s = detail.summary;
  return (
    <div className="drawer-body">
      <Actions summary={s} onActed={onActed} acknowledgeReady={acknowledgeReady} />
      <dl className="facts">
        <Fact label="Requested by" value={s.requester} />
        <Fact label="Assignee" value={s.assignee ?? "unassigned"} muted={!s.assignee} />
        <Fact label="Target" value={s.target_environment ?? "no environment named"} muted={!s.target_environment} />
        <Fact label="Opened" value={whenShort(s.opened_at)} title={s.opened_at} />
      </dl>
      {s.approvals_needed.length > 0 && (
        <div className="approvals" data-testid="approvals-needed">
          Still needs approval from{" "}
          {s.approvals_needed.map((role) => (
            <span key={role} className="chip">
              {role}
            </span>
          ))}
        </div>
      )}
      {detail.description && <p className="description">{detail.description}</p>}
      <Section title="SLA clocks">
        {!s.has_policy ? (
          <p className="muted" data-testid="no-policy">
            No SLA policy covers {s.kind} {s.severity.toUpperCase()} requests, so no clock runs for this one.
          </p>
        ) : s.clocks.length === 0 ? (
          <p className="muted">No clock has started yet.</p>
        ) : (
          <div className="clock-grid">
            {s.clocks.map((c) => (
              <ClockPanel key={c.key} clock={c} />
            ))}
          </div>
        )}
      </Section>
      <Section title={`Timeline (${detail.timeline.length})`}>
        <ol className="timeline">
          {detail.timeline.map((e, i) => (
            <li key={`${e.at}/${i}`} className={`timeline-entry kind-${e.kind}`} data-testid="timeline-entry" data-kind={e.kind}>
              <span className="timeline-dot" aria-hidden="true" />
              <span className="timeline-at" title={e.at}>
                {whenShort(e.at)}
              </span>
              <span className="timeline-text">
                <strong>{e.actor}</strong> {e.text}
              </span>
            </li>
          ))}
        </ol>
      </Section>
      <Section title={`Linked changes (${detail.links.length + detail.unknown_links.length})`}>
        {detail.links.length + detail.unknown_links.length === 0 ? (
          <p className="muted">No change is linked yet. Link the fix so reviewers see what ships.</p>
        ) : (
          <ul className="linked">
            {detail.links.map((c) => (
              <li key={c.sha} data-testid="linked-change" data-sha={c.sha}>
                <code className="sha">{c.short_sha}</code>
                <span className="linked-title">{c.title}</span>
                {c.pr !== null && <span className="pr">#{c.pr}</span>}
                <span className="muted">{c.author}</span>
              </li>
            ))}
            {detail.unknown_links.map((sha) => (
              <li key={sha} data-testid="linked-change" data-sha={sha}>
                <code className="sha">{sha.slice(0, 8)}</code>
                <span className="linked-title muted">not in the local clone (fetch the project to see it)</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

function Actions({ summary, onActed, acknowledgeReady }: { summary: RequestSummaryDto; onActed: (next: RequestDetailDto) => void; acknowledgeReady: boolean }) {
  const [asking, setAsking] = useState<Asking | null>(null);
  // An acknowledge link: "I'm on it" is focused while the core still offers it.
  const ready = acknowledgeReady && summary.actions.includes("acknowledge");
  const [text, setText] = useState("");
  const act = useAct(({ action }: { name: ActionName; action: RequestActionDto }) => api.requests.act(summary.id, action), {
    invalidates: [requestKeys.lists, agingKeys.all],
    onDone: (next) => {
      setAsking(null);
      setText("");
      onActed(next);
    },
  });
  const busy = act.busy ? (act.vars?.name ?? null) : null;
  const error = act.error;
  const actions = offered(summary);

  const run = (name: ActionName) => {
    if (isAsking(name) && text.trim() === "") return;
    void act.send({ name, action: actionOf(name, text) });
  };
  const press = (name: ActionName) => {
    act.reset();
    if (isAsking(name)) {
      setAsking(asking === name ? null : name);
      setText("");
    } else {
      run(name);
    }
  };

  const readyNote = acknowledgeReady && (
    <p className={`ack-ready ${ready ? "" : "muted"}`} role="status" data-testid="ack-ready" data-ready={ready}>
      {ready
        ? "You followed an acknowledge link: press “I’m on it” to say you are handling this breach. Its reminders stop; nothing was done yet."
        : "You followed an acknowledge link, but this request has no breached clock waiting for “I’m on it” now: nothing was done."}
    </p>
  );
  if (actions.length === 0) {
    return (
      <>
        {readyNote}
        <p className="muted actions-none" data-testid="no-actions">
        This request is {stateLabel(summary.state).toLowerCase()}; there is nothing you can do with it now.
        </p>
      </>
    );
  }
  return (
    <div className="actions-block">
      {readyNote}
      <div className="actions" role="group" aria-label="Actions">
        {actions.map(([name, { label, style }]) => (
          <button
            key={name}
            className={`button ${style ?? ""} ${asking === name ? "button-pressed" : ""}`}
            onClick={() => press(name)}
            disabled={busy !== null}
            data-testid={`action-${name}`}
            aria-expanded={isAsking(name) ? asking === name : undefined}
            autoFocus={ready && name === "acknowledge"}
          >
            {busy === name ? "Working…" : label}
          </button>
        ))}
      </div>
      {asking && (
        <form
          className="ask"
          data-testid="reason-form"
          onSubmit={(e) => {
            e.preventDefault();
            run(asking);
          }}
        >
          <label>
            {ASK[asking].label}
            <input
              name={asking === "link" ? "change" : "reason"}
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={ASK[asking].placeholder}
              autoFocus
              required
            />
          </label>
          <div className="row">
            <button
              type="submit"
              className={`button ${asking === "link" || asking === "hold" ? "button-primary" : "button-danger-solid"}`}
              disabled={busy !== null || text.trim() === ""}
              data-testid="confirm-action"
            >
              {busy ? "Working…" : ASK[asking].confirm}
            </button>
            <button type="button" className="button" onClick={() => setAsking(null)}>
              Never mind
            </button>
            {asking !== "link" && <span className="muted">A reason is required; it goes into the timeline.</span>}
          </div>
        </form>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="action-error" data-code={error.code}>
          {error.message}
        </div>
      )}
    </div>
  );
}

function Fact({ label, value, muted, title }: { label: string; value: string; muted?: boolean; title?: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={muted ? "muted" : ""} title={title}>
        {value}
      </dd>
    </div>
  );
}
