import { useState } from "react";
import { api } from "./api";
import type { ApiError, DeliveryDto, OutboxDto } from "./ipc.gen";
import type { Polled } from "./polling";
import { KindIcon, ListGate, SectionHead } from "./NotifyParts";
import { channelLabel, eventLabel } from "./notifyWords";
import { whenShort } from "./format";

/** How often the outbox is read while the notifications page is open. */
export const OUTBOX_REFRESH_MS = 5_000;

/** How many deliveries the table lists, newest first. */
export const OUTBOX_LIMIT = 100;

const FILTERS: { state: string | null; label: string }[] = [
  { state: null, label: "All" },
  { state: "pending", label: "Pending" },
  { state: "dead", label: "Dead" },
  { state: "sent", label: "Sent" },
];

const STATE_LABEL: Record<string, string> = {
  pending: "Pending",
  sending: "Sending",
  sent: "Sent",
  dead: "Dead",
  cancelled: "Cancelled",
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
  outbox: Polled<OutboxDto>;
  filter: string | null;
  onFilter: (state: string | null) => void;
  onRefresh: () => void;
}) {
  // A retried row says "Queued again" until a newer read says where it stands.
  const [retried, setRetried] = useState<Map<string, OutboxDto | null>>(new Map());
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Map<string, ApiError>>(new Map());
  const retry = async (d: DeliveryDto) => {
    const key = String(d.id);
    const readBefore = outbox.value;
    setBusy((b) => new Set(b).add(key));
    const outcome = await api.retryDelivery(d.id);
    setBusy((b) => without(b, key));
    if (outcome.ok) {
      setRetried((m) => new Map(m).set(key, readBefore));
      setErrors((m) => without(m, key));
    } else {
      setErrors((m) => new Map(m).set(key, outcome.error));
    }
    onRefresh();
  };
  const counts = outbox.value;
  return (
    <section className="notify-section" data-testid="outbox">
      <SectionHead title="Outbox" sub={`Every message is written here before it is sent, retried with backoff, and kept. Read every ${OUTBOX_REFRESH_MS / 1000} seconds.`}>
        <button type="button" className="button" onClick={onRefresh} data-testid="outbox-refresh">
          Refresh
        </button>
      </SectionHead>
      <div className="outbox-bar">
        <div className="pills" aria-label="Deliveries by state">
          <Pill label="pending" value={counts ? counts.pending + counts.sending : null} testId="outbox-count-pending" />
          <Pill label="sent" value={counts?.sent ?? null} testId="outbox-count-sent" />
          <Pill label="dead" value={counts?.dead ?? null} tone={counts && counts.dead > 0 ? "dead" : undefined} testId="outbox-count-dead" />
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
              <div className="outbox-row grid-head" role="row">
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
              {value.entries.map((d) => {
                const key = String(d.id);
                const queued = d.state === "dead" && retried.has(key) && retried.get(key) === value;
                return (
                  <DeliveryRow key={key} d={d} queued={queued} busy={busy.has(key)} error={errors.get(key) ?? null} onRetry={() => void retry(d)} />
                );
              })}
              {value.entries.length >= OUTBOX_LIMIT && <div className="table-foot">The newest {OUTBOX_LIMIT} are shown.</div>}
            </div>
          )
        }
      </ListGate>
    </section>
  );
}

function Pill({ label, value, tone, testId }: { label: string; value: number | null; tone?: string; testId: string }) {
  return (
    <span className={tone ? `pill pill-${tone}` : "pill"}>
      <strong data-testid={testId}>{value ?? "–"}</strong> {label}
    </span>
  );
}

function without<K, V>(from: Map<K, V>, key: K): Map<K, V>;
function without<K>(from: Set<K>, key: K): Set<K>;
function without<K, V>(from: Map<K, V> | Set<K>, key: K): Map<K, V> | Set<K> {
  const copy = from instanceof Map ? new Map(from) : new Set(from);
  copy.delete(key);
  return copy;
}

function DeliveryRow({
  d,
  queued,
  busy,
  error,
  onRetry,
}: {
  d: DeliveryDto;
  queued: boolean;
  busy: boolean;
  error: ApiError | null;
  onRetry: () => void;
}) {
  const dead = d.state === "dead";
  return (
    <div className={`outbox-row outbox-${d.state}`} role="row" data-testid="delivery-row" data-state={d.state} data-id={String(d.id)}>
      <span role="cell" className="outbox-when" title={d.created_at}>
        {whenShort(d.created_at)}
      </span>
      <span role="cell" className="cell-change">
        <span className="row-sub">
          <span className={`event-kind event-${d.severity}`}>{eventLabel(d.kind)}</span>
          <span>
            {d.project}
            {d.environment && ` · ${d.environment}`}
          </span>
        </span>
        <span className="row-title" title={d.title}>
          {d.title}
        </span>
      </span>
      <span role="cell" className="outbox-clip" title={d.recipient}>
        {d.recipient}
      </span>
      <span role="cell" className="outbox-channel" title={`${d.channel} (${channelLabel(d.channel_kind)})`}>
        <KindIcon kind={d.channel_kind} />
        <span className="outbox-clip">{d.channel}</span>
      </span>
      <span role="cell" className="outbox-state">
        <span className={`dstate dstate-${queued ? "pending" : d.state}`} data-testid="delivery-state">
          {queued ? "Queued again" : (STATE_LABEL[d.state] ?? d.state)}
        </span>
        <Due d={d} />
      </span>
      <span role="cell" className="num">
        {d.attempts}
      </span>
      <span role="cell" className="outbox-error-cell">
        {!dead && <ErrorText text={d.last_error} />}
      </span>
      <span role="cell" className="outbox-actions">
        {dead && (
          <button type="button" className="button button-small-inline" onClick={onRetry} disabled={queued || busy} data-testid={`retry-${String(d.id)}`}>
            {busy ? "Retrying…" : queued ? "Queued" : "Retry"}
          </button>
        )}
      </span>
      {dead && (
        <div className="outbox-note" role="cell" data-testid="dead-error">
          <span className="outbox-note-label">Gave up after {d.attempts === 1 ? "1 attempt" : `${d.attempts} attempts`}:</span> {d.last_error || "no error was recorded."}
        </div>
      )}
      {error && (
        <div className="outbox-note inline-error" role="alert" data-testid="retry-error" data-code={error.code}>
          {error.message}
        </div>
      )}
    </div>
  );
}

/** When a waiting delivery goes out next: its retry, or its digest. */
function Due({ d }: { d: DeliveryDto }) {
  if (d.state === "sent" && d.sent_at) {
    return (
      <span className="outbox-due" title={d.sent_at}>
        {whenShort(d.sent_at)}
      </span>
    );
  }
  if (d.state !== "pending" || !d.next_attempt_at) return null;
  return (
    <span className="outbox-due" title={d.next_attempt_at}>
      {d.digest ? "digest" : d.attempts > 0 ? "retry" : "due"} {whenShort(d.next_attempt_at)}
    </span>
  );
}

/** An error cut to one line; a click shows all of it. */
function ErrorText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (!text) return <span className="muted">—</span>;
  return (
    <button type="button" className={open ? "error-text error-text-open" : "error-text"} title={text} aria-expanded={open} onClick={() => setOpen(!open)}>
      {text}
    </button>
  );
}
