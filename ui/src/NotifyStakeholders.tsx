import { useState } from "react";
import { api } from "./api";
import type { ApiError, StakeholderDto } from "./ipc.gen";
import type { Polled } from "./polling";
import { ConfirmRemove, FormNote, ListGate, SectionHead } from "./NotifyParts";

type Form = { email: string; name: string; handle: string; roles: string };

const BLANK: Form = { email: "", name: "", handle: "", roles: "" };

/** Roles as typed ("qa, release-manager") into the list the core takes. */
export function rolesOf(text: string): string[] {
  return text
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** The people Slipway tells things to, and who sign off or approve by role. */
export function Stakeholders({ people, onChanged }: { people: Polled<StakeholderDto[]>; onChanged: () => void }) {
  const [form, setForm] = useState<Form>(BLANK);
  // The email of the person being edited; their email is who they are, so it stays fixed.
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    setDone(null);
  };
  const edit = (p: StakeholderDto) => {
    setEditing(p.email);
    setForm({ email: p.email, name: p.name, handle: p.chat_handle, roles: p.roles.join(", ") });
    setError(null);
    setDone(null);
  };
  const cancel = () => {
    setEditing(null);
    setForm(BLANK);
    setError(null);
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    const email = form.email.trim();
    const outcome = await api.saveStakeholder({ email, name: form.name.trim(), chat_handle: form.handle.trim(), roles: rolesOf(form.roles), subscriptions: 0 });
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    setDone(editing ? `Saved ${email}.` : `Added ${email}.`);
    setEditing(null);
    setForm(BLANK);
    onChanged();
  };
  const remove = (p: StakeholderDto) => async () => {
    const outcome = await api.removeStakeholder(p.email);
    if (!outcome.ok) return outcome.error;
    if (editing === p.email) cancel();
    onChanged();
    return null;
  };

  return (
    <section className="notify-section" data-testid="stakeholders">
      <SectionHead title="Stakeholders" sub="People who are told what happens. Their roles also count for sign-offs and approvals." />
      <ListGate list={people} what="the stakeholders" testId="stakeholders-error">
        {(list) =>
          list.length === 0 ? (
            <div className="card card-empty" data-testid="stakeholders-empty">
              No stakeholders yet. Add the people who should hear about releases below.
            </div>
          ) : (
            <div className="table-card" role="table" aria-label="Stakeholders">
              <div className="people-row grid-head" role="row">
                <span role="columnheader">Name</span>
                <span role="columnheader">Email</span>
                <span role="columnheader">Chat handle</span>
                <span role="columnheader">Roles</span>
                <span role="columnheader" className="num">
                  Subscriptions
                </span>
                <span role="columnheader">
                  <span className="sr-only">Actions</span>
                </span>
              </div>
              {list.map((p) => (
                <div key={p.email} className={editing === p.email ? "people-row row-editing" : "people-row"} role="row" data-testid="stakeholder-row" data-email={p.email}>
                  <span role="cell" className="cell-strong outbox-clip" title={p.name}>
                    {p.name}
                  </span>
                  <span role="cell" className="outbox-clip" title={p.email}>
                    {p.email}
                  </span>
                  <span role="cell" className="outbox-clip">
                    {p.chat_handle || <span className="muted">—</span>}
                  </span>
                  <span role="cell" className="chips">
                    {p.roles.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      p.roles.map((r) => (
                        <span key={r} className="chip chip-small">
                          {r}
                        </span>
                      ))
                    )}
                  </span>
                  <span role="cell" className="num">
                    {p.subscriptions}
                  </span>
                  <span role="cell" className="row-actions">
                    <button type="button" className="button button-small-inline" onClick={() => edit(p)} data-testid={`edit-stakeholder-${p.email}`}>
                      Edit
                    </button>
                    <ConfirmRemove
                      question={p.subscriptions > 0 ? `Remove ${p.name} and their ${p.subscriptions} subscription${p.subscriptions === 1 ? "" : "s"}?` : `Remove ${p.name}?`}
                      testId={`remove-stakeholder-${p.email}`}
                      onConfirm={remove(p)}
                    />
                  </span>
                </div>
              ))}
            </div>
          )
        }
      </ListGate>
      <form
        className="card form-card"
        data-testid="stakeholder-form"
        aria-label={editing ? `Edit ${editing}` : "Add a stakeholder"}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3 className="form-title">{editing ? `Edit ${editing}` : "Add a stakeholder"}</h3>
        <div className="form-grid">
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              value={form.email}
              onChange={(e) => set({ email: e.target.value })}
              placeholder="dana@example.com"
              readOnly={editing !== null}
              data-testid="stakeholder-email"
            />
          </label>
          <label className="field">
            <span>
              Name <span className="optional">optional</span>
            </span>
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="Dana Rossi" data-testid="stakeholder-name" />
          </label>
          <label className="field">
            <span>
              Chat handle <span className="optional">optional</span>
            </span>
            <input value={form.handle} onChange={(e) => set({ handle: e.target.value })} placeholder="@dana" data-testid="stakeholder-handle" />
          </label>
          <label className="field">
            <span>
              Roles <span className="optional">comma-separated</span>
            </span>
            <input value={form.roles} onChange={(e) => set({ roles: e.target.value })} placeholder="qa, release-manager" data-testid="stakeholder-roles" />
          </label>
        </div>
        <div className="form-foot">
          <FormNote error={error} done={done} testId="stakeholder" />
          {editing && (
            <button type="button" className="button" onClick={cancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={busy} data-testid="stakeholder-save">
            {busy ? "Saving…" : editing ? "Save" : "Add stakeholder"}
          </button>
        </div>
      </form>
    </section>
  );
}
