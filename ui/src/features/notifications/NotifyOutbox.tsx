import { useState } from "react";
import { OUTBOX_LIMIT, OUTBOX_REFRESH_MS, api, type DeliveryDto, type OutboxDto, type Read } from "../../ipc";
import { useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { whenShort } from "../../shared/format";
import { KindIcon, SectionHead } from "./NotifyParts";
import { channelLabel, counted, eventLabel } from "./notifyWords";

const FILTERS: { state: string | null; label: string }[] = [
  { state: null, label: "All" },
  { state: "pending", label: "Pending" },
  { state: "dead", label: "Dead" },
  { state: "sent", label: "Sent" },
];

/** Each delivery state as shown: its word and its colour (the history's status chips). */
const STATES: Record<string, { label: string; tone: string }> = {
  pending: { label: "Pending", tone: "status-running" },
  sending: { label: "Sending", tone: "status-running" },
  sent: { label: "Sent", tone: "status-ok" },
  dead: { label: "Dead", tone: "status-failed" },
  cancelled: { label: "Cancelled", tone: "" },
};

const EMPTY: Record<string, string> = {
  all: "Nothing has been sent yet. When something ships, breaks or waits too long, each message to each subscriber is written here first.",
  pending: "Nothing waits to be sent.",
  dead: "No dead letters: every delivery went out or is still being tried.",
  sent: "Nothing has been delivered yet.",
};

/**
 * The outbox: every message to every subscriber, written before it is sent and kept after.
 * Dead letters (given up after their retries) stand out with their last error and a Retry.
 */
export function Outbox({
  outbox,
  filter,
  onFilter,
  onRefresh,
}: {
  outbox: Read<OutboxDto>;
  filter: string | null;
  onFilter: (state: string | null) => void;
  onRefresh: () => void;
}) {
  const counts = outbox.value;
  return (
    <section className="notify-section" data-testid="outbox">
      <SectionHead title="Outbox" sub={`Every message is written here before it is sent, retried with backoff, and kept. Read every ${OUTBOX_REFRESH_MS / 1000} seconds.`}>
        <button type="button" className="button" onClick={onRefresh} data-testid="outbox-refresh">
          Refresh
        </button>
      </SectionHead>
      <div className="outbox-bar">
        <div className="chips" aria-label="Deliveries by state">
          <Pill label="pending" value={counts ? counts.pending + counts.sending : null} testId="outbox-count-pending" />
          <Pill label="sent" value={counts?.sent ?? null} testId="outbox-count-sent" />
          <Pill label="dead" value={counts?.dead ?? null} alert={!!counts && counts.dead > 0} testId="outbox-count-dead" />
          <Pill label="cancelled" value={counts?.cancelled ?? null} testId="outbox-count-cancelled" />
        </div>
        <div className="segmented" role="radiogroup" aria-label="Show">
          {FILTERS.map((f) => (
            <button
              key={f.label}
              type="button"
              role="radio"
              aria-checked={filter === f.state}
              className={filter === f.state ? "on" : ""}
              onClick={() => onFilter(f.state)}
              data-testid={`outbox-filter-${f.state ?? "all"}`}
            >
              {f.label}
            </button>
          ))}
        </div>
      </div>
      <ListGate list={outbox} what="the outbox" testId="outbox-error">
        {(value) =>
          value.entries.length === 0 ? (
            <div className="card card-empty" data-testid="outbox-empty">
              {EMPTY[filter ?? "all"] ?? EMPTY.all}
            </div>
          ) : (
            <div className="table-card" role="table" aria-label="Deliveries, newest first">
              <div className="grid-row grid-head outbox-row" role="row">
                <span role="columnheader">When</span>
                <span role="columnheader">Event</span>
                <span role="columnheader">Recipient</span>
                <span role="columnheader">Channel</span>
                <span role="columnheader">State</span>
                <span role="columnheader" className="num">
                  Tries
                </span>
                <span role="columnheader">Last error</span>
                <span role="columnheader">
                  <span className="sr-only">Actions</span>
                </span>
              </div>
              {value.entries.map((d) => (
                <DeliveryRow key={d.id} d={d} onRetried={onRefresh} />
              ))}
              {value.entries.length >= OUTBOX_LIMIT && <div className="table-foot">The newest {OUTBOX_LIMIT} are shown.</div>}
            </div>
          )
        }
      </ListGate>
    </section>
  );
}

/** A count of deliveries in one state: the number stands out, its word is muted (unless it alerts). */
function Pill({ label, value, alert = false, testId }: { label: string; value: number | null; alert?: boolean; testId: string }) {
  return (
    <span className={alert ? "chip chip-alert" : "chip"}>
      <strong data-testid={testId}>{value ?? "–"}</strong> <span className={alert ? undefined : "muted"}>{label}</span>
    </span>
  );
}

/** One delivery; a dead letter shows why it was given up on, and a Retry that puts it back in line. */
function DeliveryRow({ d, onRetried }: { d: DeliveryDto; onRetried: () => void }) {
  const answer = useAnswer();
  // The read a retry was asked from: until a newer read says where the delivery stands, it says "Queued again".
  const [retriedFrom, setRetriedFrom] = useState<DeliveryDto | null>(null);
  const queued = retriedFrom === d;
  const dead = d.state === "dead";
  const state = queued ? { label: "Queued again", tone: STATES.pending.tone } : (STATES[d.state] ?? { label: d.state, tone: "" });
  const retry = async () => {
    await answer.send(
      () => api.notifications.retryDelivery(d.id),
      () => {
        setRetriedFrom(d);
        return null;
      },
    );
    // Read again at once, not only at the next tick.
    onRetried();
  };
  return (
    <div className={`grid-row outbox-row outbox-${d.state}${dead ? " edge-late" : ""}`} role="row" data-testid="delivery-row" data-state={d.state} data-id={d.id}>
      <span role="cell" className="outbox-when" title={d.created_at}>
        {whenShort(d.created_at)}
      </span>
      <span role="cell" className="cell-change">
        <span className="row-sub">
          <span className={`badge severity-${d.severity}`}>{eventLabel(d.kind)}</span>
          <span>
            {d.project}
            {d.environment && ` · ${d.environment}`}
          </span>
        </span>
        <span className="row-title" title={d.title}>
          {d.title}
        </span>
      </span>
      <span role="cell" className="ellipsis" title={d.recipient}>
        {d.recipient}
      </span>
      {d.undeliverable ? (
        <span role="cell" className="channel-cell muted">
          No channel
        </span>
      ) : (
        <span role="cell" className="channel-cell" title={`${d.channel} (${channelLabel(d.channel_kind)})`}>
          <KindIcon kind={d.channel_kind} />
          <span className="ellipsis">{d.channel}</span>
        </span>
      )}
      <span role="cell" className="outbox-state">
        <span className={`status-chip ${state.tone}`} data-testid="delivery-state">
          {state.label}
        </span>
        <Due d={d} />
      </span>
      <span role="cell" className="num">
        {d.attempts}
      </span>
      <span role="cell" className="cell-change">
        {!dead && <ErrorText text={d.last_error} />}
      </span>
      <span role="cell" className="row-actions">
        {dead && !d.undeliverable && (
          <button type="button" className="button button-small-inline" onClick={() => void retry()} disabled={queued || answer.busy} data-testid={`retry-${d.id}`}>
            {answer.busy ? "Retrying…" : queued ? "Queued" : "Retry"}
          </button>
        )}
      </span>
      {dead && (
        <div className="row-note inline-error" role="cell" data-testid="dead-error">
          <strong>{d.undeliverable ? "Undeliverable:" : `Gave up after ${counted(d.attempts, "attempt")}:`}</strong> {d.last_error || "no error was recorded."}
        </div>
      )}
      {answer.error && (
        <div className="row-note inline-error" role="alert" data-testid="retry-error" data-code={answer.error.code}>
          {answer.error.message}
        </div>
      )}
    </div>
  );
}

/** When a waiting delivery goes out next: its retry, or its digest. */
function Due({ d }: { d: DeliveryDto }) {
  if (d.state === "sent" && d.sent_at) {
    return (
      <span className="when" title={d.sent_at}>
        {whenShort(d.sent_at)}
      </span>
    );
  }
  if (d.state !== "pending" || !d.next_attempt_at) return null;
  return (
    <span className="when" title={d.next_attempt_at}>
      {d.digest ? "digest" : d.attempts > 0 ? "retry" : "due"} {whenShort(d.next_attempt_at)}
    </span>
  );
}

/** An error cut to one line; a click shows all of it. */
function ErrorText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (!text) return <span className="muted">—</span>;
  return (
    <button type="button" className={open ? "link-button error-text error-text-open" : "link-button error-text"} title={text} aria-expanded={open} onClick={() => setOpen(!open)}>
      {text}
    </button>
  );
}
