import { useState } from "react";
import { api, type Read, type StakeholderDto } from "../../ipc";
import { ConfirmRemove, Field, FormCard, useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { SectionHead } from "./NotifyParts";
import { counted } from "./notifyWords";

type Form = { email: string; name: string; handle: string; roles: string };

const BLANK: Form = { email: "", name: "", handle: "", roles: "" };

/** Roles as typed ("qa, release-manager") into the list the core takes. */
function rolesOf(text: string): string[] {
  return text
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** The people Slipway tells things to, and who sign off or approve by role. */
export function Stakeholders({ people, onChanged }: { people: Read<StakeholderDto[]>; onChanged: () => void }) {
  const [form, setForm] = useState<Form>(BLANK);
  // The email of the person being edited; their email is who they are, so it stays fixed.
  const [editing, setEditing] = useState<string | null>(null);
  const answer = useAnswer();
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    answer.edited();
  };
  const edit = (p: StakeholderDto) => {
    setEditing(p.email);
    setForm({ email: p.email, name: p.name, handle: p.chat_handle, roles: p.roles.join(", ") });
    answer.clear();
  };
  const cancel = () => {
    setEditing(null);
    setForm(BLANK);
    answer.clear();
  };
  const save = () =>
    answer.send(
      () => api.notifications.saveStakeholder({ email: form.email, name: form.name, chat_handle: form.handle, roles: rolesOf(form.roles), subscriptions: 0 }),
      () => {
        setEditing(null);
        setForm(BLANK);
        onChanged();
        return `${editing ? "Saved" : "Added"} ${form.email.trim()}.`;
      },
    );

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
              <div className="grid-row grid-head people-row" role="row">
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
                <div key={p.email} className={editing === p.email ? "grid-row people-row row-editing" : "grid-row people-row"} role="row" data-testid="stakeholder-row" data-email={p.email}>
                  <span role="cell" className="cell-strong ellipsis" title={p.name}>
                    {p.name}
                  </span>
                  <span role="cell" className="ellipsis" title={p.email}>
                    {p.email}
                  </span>
                  <span role="cell" className="ellipsis">
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
                      question={p.subscriptions > 0 ? `Remove ${p.name} and their ${counted(p.subscriptions, "subscription")}?` : `Remove ${p.name}?`}
                      testId={`remove-stakeholder-${p.email}`}
                      remove={() => api.notifications.removeStakeholder(p.email)}
                      onRemoved={() => {
                        if (editing === p.email) cancel();
                        onChanged();
                      }}
                    />
                  </span>
                </div>
              ))}
            </div>
          )
        }
      </ListGate>
      <FormCard
        title={editing ? `Edit ${editing}` : "Add a stakeholder"}
        testId="stakeholder-form"
        answer={answer}
        answerId="stakeholder"
        submit={{ label: editing ? "Save" : "Add stakeholder", busy: "Saving…", testId: "stakeholder-save" }}
        actions={
          editing && (
            <button type="button" className="button" onClick={cancel}>
              Cancel
            </button>
          )
        }
        onSubmit={() => void save()}
      >
        <div className="form-grid">
          <Field label="Email">
            <input
              inputMode="email"
              value={form.email}
              onChange={(e) => set({ email: e.target.value })}
              placeholder="dana@example.com"
              readOnly={editing !== null}
              data-testid="stakeholder-email"
            />
          </Field>
          <Field label="Name" note="optional">
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="Dana Rossi" data-testid="stakeholder-name" />
          </Field>
          <Field label="Chat handle" note="optional">
            <input value={form.handle} onChange={(e) => set({ handle: e.target.value })} placeholder="@dana" data-testid="stakeholder-handle" />
          </Field>
          <Field label="Roles" note="comma-separated">
            <input value={form.roles} onChange={(e) => set({ roles: e.target.value })} placeholder="qa, release-manager" data-testid="stakeholder-roles" />
          </Field>
        </div>
      </FormCard>
    </section>
  );
}
