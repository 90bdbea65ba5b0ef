import { api, useAct, type FollowUpDto } from "../../ipc";
import { whenShort } from "../../shared/format";

/** A project's open follow-ups (postmortems after rollbacks); each stays until someone closes it. */
export function FollowUps({ items, onClosed }: { items: FollowUpDto[]; onClosed: () => void }) {
  const open = items.filter((f) => f.closed_by === null);
  if (open.length === 0) return null;
  return (
    <section className="follow-ups card" aria-label="Follow-ups">
      <div className="follow-ups-head">
        <span className="follow-ups-title">Follow-ups</span>
        <span className="section-count">{open.length} open</span>
      </div>
      <ul className="follow-ups-list">
        {open.map((f) => (
          <FollowUp key={f.id} item={f} onClosed={onClosed} />
        ))}
      </ul>
    </section>
  );
}

function FollowUp({ item, onClosed }: { item: FollowUpDto; onClosed: () => void }) {
  const closing = useAct(() => api.gates.closeFollowUp(item.id), { onDone: onClosed });
  const { busy, error } = closing;
  const close = () => closing.send();
  return (
    <li className="follow-up" data-testid="follow-up" data-id={item.id}>
      <span className="follow-up-env">{item.environment}</span>
      <div className="follow-up-body">
        <span className="follow-up-title">{item.title}</span>
        <span className="follow-up-sub">
          #{item.id} · opened by {item.opened_by} · <span title={item.opened_at}>{whenShort(item.opened_at)}</span>
          {item.deployment !== null && ` · after deployment #${item.deployment}`}
        </span>
        {error && (
          <span className="inline-error" role="alert">
            {error.message}
          </span>
        )}
      </div>
      <button className="button button-small-inline" onClick={close} disabled={busy} data-testid="close-follow-up">
        {busy ? "Closing…" : "Close"}
      </button>
    </li>
  );
}
