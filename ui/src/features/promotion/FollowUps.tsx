import { useNavigate } from "react-router";
import { api, followUpKeys, useAct, type FollowUpDto } from "../../ipc";
import { PAGE_PATH } from "../../shared/links";

/** A project's open follow-ups (postmortems after rollbacks, emergency requests); each stays until someone closes it. */
export function FollowUps({ items, onClosed }: { items: FollowUpDto[]; onClosed: () => void }) {
  const navigate = useNavigate();
  const open = items.filter((f) => f.status === "open");
  if (open.length === 0) return null;
  return (
    <section className="follow-ups card" aria-label="Follow-ups">
      <div className="follow-ups-head">
        <span className="follow-ups-title">Follow-ups</span>
        <span className="section-count">{open.length} open</span>
        <button type="button" className="link-button follow-ups-all" onClick={() => void navigate(PAGE_PATH.follow_ups)} data-testid="all-follow-ups">
          All follow-ups
        </button>
      </div>
      <ul className="follow-ups-list">
        {open.map((f) => (
          <FollowUp key={f.id} item={f} onClosed={onClosed} onOpen={() => void navigate(`${PAGE_PATH.follow_ups}/${f.id}`)} />
        ))}
      </ul>
    </section>
  );
}

function FollowUp({ item, onClosed, onOpen }: { item: FollowUpDto; onClosed: () => void; onOpen: () => void }) {
  // Closing from the board means it was done; won't do (which needs a reason) is on its page.
  const closing = useAct(() => api.followUps.close(item.id, { status: "done", reason: "" }), { onDone: onClosed, invalidates: [followUpKeys.all] });
  const { busy, error } = closing;
  const close = () => closing.send();
  return (
    <li className="follow-up" data-testid="follow-up" data-id={item.id}>
      <span className="follow-up-env">{item.environment}</span>
      <div className="follow-up-body">
        <button type="button" className="follow-up-title follow-up-open" onClick={onOpen} title="Open this follow-up">
          {item.title}
        </button>
        <span className="follow-up-sub" title={`Opened by ${item.opened_by}`}>
          #{item.id} · {item.owner ? `owner ${item.owner}` : "no owner"} ·{" "}
          <span className={item.overdue ? "overdue" : undefined} data-testid="follow-up-standing" title={item.due_at}>
            {item.standing}
          </span>
          {item.deployment !== null && ` · after deployment #${item.deployment}`}
        </span>
        {error && (
          <span className="inline-error" role="alert">
            {error.message}
          </span>
        )}
      </div>
      <button className="button button-small-inline" onClick={close} disabled={busy} data-testid="close-follow-up" title="Close it as done">
        {busy ? "Closing…" : "Done"}
      </button>
    </li>
  );
}
