import { useState } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import {
  api,
  boardKeys,
  followUpKeys,
  useAct,
  type ApiError,
  type FollowUpCloseDto,
  type FollowUpDto,
  type FollowUpEditDto,
  type PostmortemDto,
  type PriorityDto,
} from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Problem } from "../../shared/Problem";
import { Section } from "../../shared/Section";
import { Field, FormCard, SelectField, useAnswer } from "../../shared/forms";
import { localDay, whenLong, whenShort } from "../../shared/format";
import { FollowUpLinks, PRIORITIES, PRIORITY_LABEL, PriorityBadge, Standing, StatusChip } from "./FollowUpParts";

/** One follow-up in a drawer: what it is, who owns it and when it is due, editing, closing, and its postmortem draft. */
export function FollowUpPanel({
  id,
  item,
  missing,
  onClose,
}: {
  id: number;
  /** The follow-up as the lists have it; null while they are read, or when it is not there. */
  item: FollowUpDto | null;
  /** Why there is nothing to show, once the lists are read. */
  missing: ApiError | null;
  onClose: () => void;
}) {
  const client = useQueryClient();
  // What the core answered to the last edit or close: shown until the lists read again (a follow-up
  // just closed leaves the open list, and this drawer still shows it).
  const [acted, setActed] = useState<FollowUpDto | null>(null);
  const shown = item ?? acted;
  // The edit form's answer outlives the form, which starts again from what the core saved.
  const editing = useAnswer();
  const remember = (next: FollowUpDto) => {
    setActed(next);
    client.setQueriesData<FollowUpDto[]>({ queryKey: followUpKeys.lists }, (list) => list?.map((f) => (f.id === next.id ? next : f)));
  };
  // The board lists open follow-ups too.
  const changed: QueryKey[] = [followUpKeys.all, boardKeys.all];

  return (
    <Drawer
      label={`Follow-up #${id}`}
      testId="follow-up-panel"
      data-id={id}
      wide
      closeLabel="Close this follow-up"
      onClose={onClose}
      head={
        <div className="request-head">
          <div className="column-kicker">
            Follow-up #{id}
            {shown && ` · ${shown.project} · ${shown.environment}`}
          </div>
          {shown && (
            <>
              <h2 data-testid="follow-up-title">{shown.title}</h2>
              <div className="badges">
                <PriorityBadge priority={shown.priority} />
                <StatusChip status={shown.status} />
                <Standing item={shown} />
              </div>
            </>
          )}
        </div>
      }
    >
      {!shown && !missing && <div className="loading">Reading the follow-up…</div>}
      {!shown && missing && (
        <div className="drawer-body">
          <Problem testId="follow-up-missing" title={`Slipway can’t show follow-up #${id}`} error={missing} />
        </div>
      )}
      {shown && (
        <div className="drawer-body fu-body">
          <Facts item={shown} />
          {shown.status === "open" ? (
            <>
              <CloseActions item={shown} changed={changed} onClosed={remember} />
              <EditForm key={editKey(shown)} item={shown} answer={editing} changed={changed} onSaved={remember} />
            </>
          ) : (
            <Closed item={shown} />
          )}
          <Postmortem id={shown.id} />
        </div>
      )}
    </Drawer>
  );
}

/** The form starts again from what the core says whenever one of the fields it edits changes there. */
function editKey(f: FollowUpDto): string {
  return [f.owner, f.priority, f.due_at, f.external_link].join("\u0000");
}

function Facts({ item }: { item: FollowUpDto }) {
  return (
    <>
      <dl className="facts">
        <Fact label="Owner" testId="follow-up-owner" value={item.owner ?? "no owner"} muted={item.owner === null} />
        <Fact label="Due" testId="follow-up-due" value={whenShort(item.due_at)} title={whenLong(item.due_at)} />
        <Fact label="Calendar" value={item.calendar} />
        <Fact label="Opened" value={`${whenShort(item.opened_at)} by ${item.opened_by}`} title={`${whenLong(item.opened_at)} by ${item.opened_by}`} />
      </dl>
      <div className="fu-links-line">
        <FollowUpLinks item={item} wide />
      </div>
    </>
  );
}

function Fact({ label, value, muted, title, testId }: { label: string; value: string; muted?: boolean; title?: string; testId?: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={muted ? "muted" : ""} title={title ?? value} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** How a closed follow-up was closed: by whom, when, and why. */
function Closed({ item }: { item: FollowUpDto }) {
  const how = item.status === "wont-do" ? "Closed as won’t do" : "Closed as done";
  return (
    <div className={`fu-closed fu-closed-${item.status}`} data-testid="follow-up-closed">
      <div>
        <strong>{how}</strong>
        {item.closed_by && ` by ${item.closed_by}`}
        {item.closed_at && (
          <>
            {" · "}
            <span title={whenLong(item.closed_at)}>{whenShort(item.closed_at)}</span>
          </>
        )}
      </div>
      {item.reason && <p className="fu-closed-reason">{item.reason}</p>}
    </div>
  );
}

/** Done, or won't do with a reason (the core refuses one without; its sentence is shown as it says it). */
function CloseActions({ item, changed, onClosed }: { item: FollowUpDto; changed: QueryKey[]; onClosed: (next: FollowUpDto) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const closing = useAct((close: FollowUpCloseDto) => api.followUps.close(item.id, close), {
    invalidates: changed,
    onDone: (next) => {
      setAsking(false);
      onClosed(next);
    },
  });
  const busy = closing.busy ? (closing.vars?.status ?? null) : null;
  const done = () => {
    closing.reset();
    void closing.send({ status: "done", reason: "" });
  };
  const wontDo = () => void closing.send({ status: "wont-do", reason: reason.trim() });

  return (
    <div className="actions-block fu-actions">
      <div className="actions" role="group" aria-label="Close this follow-up">
        <button className="button button-primary" onClick={done} disabled={busy !== null} data-testid="follow-up-done">
          {busy === "done" ? "Closing…" : "Done"}
        </button>
        <button
          className={`button ${asking ? "button-pressed" : ""}`}
          onClick={() => {
            closing.reset();
            setAsking(!asking);
          }}
          disabled={busy !== null}
          aria-expanded={asking}
          data-testid="follow-up-wont-do"
        >
          Won’t do…
        </button>
      </div>
      {asking && (
        <form
          className="ask"
          data-testid="follow-up-wont-do-form"
          onSubmit={(e) => {
            e.preventDefault();
            wontDo();
          }}
        >
          <label>
            Why won’t it be done?
            <textarea
              name="reason"
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="The rollback's cause is tracked in INC-2231; no separate postmortem"
              autoFocus
              data-testid="follow-up-reason"
            />
          </label>
          <div className="row">
            <button type="submit" className="button button-danger-solid" disabled={busy !== null} data-testid="follow-up-wont-do-confirm">
              {busy === "wont-do" ? "Closing…" : "Close as won’t do"}
            </button>
            <button type="button" className="button" onClick={() => setAsking(false)}>
              Never mind
            </button>
            <span className="muted">A reason is required; it is kept with the follow-up.</span>
          </div>
        </form>
      )}
      {closing.error && (
        <div className="inline-error" role="alert" data-testid="follow-up-close-error" data-code={closing.error.code}>
          {closing.error.message}
        </div>
      )}
    </div>
  );
}

/** What the form holds, as typed. */
type Draft = { owner: string; priority: PriorityDto; due: string; link: string };

function draftOf(item: FollowUpDto): Draft {
  return { owner: item.owner ?? "", priority: item.priority, due: localDay(item.due_at), link: item.external_link ?? "" };
}

/** Only what differs from the follow-up as it stands; null fields stay as they are (an emptied link is removed). */
function editOf(item: FollowUpDto, draft: Draft): FollowUpEditDto {
  const was = draftOf(item);
  const owner = draft.owner.trim();
  const link = draft.link.trim();
  return {
    owner: owner !== was.owner ? owner : null,
    priority: draft.priority !== was.priority ? draft.priority : null,
    due: draft.due !== was.due ? draft.due : null,
    external_link: link !== was.link ? link : null,
    request: null,
  };
}

function EditForm({
  item,
  answer,
  changed,
  onSaved,
}: {
  item: FollowUpDto;
  answer: ReturnType<typeof useAnswer>;
  changed: QueryKey[];
  onSaved: (next: FollowUpDto) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(item));
  const edit = editOf(item, draft);
  const same = edit.owner === null && edit.priority === null && edit.due === null && edit.external_link === null;
  const set = (patch: Partial<Draft>) => {
    answer.edited();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const submit = () => {
    if (same) return;
    void answer.send(
      () => api.followUps.edit(item.id, edit),
      (next) => {
        onSaved(next);
        return "Saved.";
      },
      changed,
    );
  };
  // Text fields, not email or url ones: the core checks the address and the link and says why
  // in its words; the browser's own checks would stop the form before it asks.
  return (
    <FormCard
      title="Owner, priority and due date"
      testId="follow-up-edit"
      className="fu-edit"
      answer={answer}
      answerId="follow-up-edit"
      submit={{ label: "Save", busy: "Saving…", testId: "follow-up-save", disabled: same }}
      onSubmit={submit}
    >
      <div className="form-grid">
        <Field label="Owner" hint="Reminders go to this address.">
          <input type="text" inputMode="email" autoComplete="email" spellCheck={false} value={draft.owner} onChange={(e) => set({ owner: e.target.value })} placeholder="dana@example.com" data-testid="follow-up-owner-input" />
        </Field>
        <SelectField
          label="Priority"
          value={draft.priority}
          options={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))}
          onChange={(priority) => set({ priority })}
          testId="follow-up-priority-input"
        />
        <Field label="Due" hint={`The day’s close on the ${item.calendar} calendar.`}>
          <input type="date" value={draft.due} onChange={(e) => set({ due: e.target.value })} data-testid="follow-up-due-input" />
        </Field>
        <Field label="Postmortem link" note="optional" hint="The ticket or document where the postmortem lives; empty removes it.">
          <input type="text" inputMode="url" spellCheck={false} value={draft.link} onChange={(e) => set({ link: e.target.value })} placeholder="https://tickets.example.com/INC-2231" data-testid="follow-up-link-input" />
        </Field>
      </div>
    </FormCard>
  );
}

/** The postmortem draft the core writes from the rollback and its request: read, copied, or saved to a file. */
function Postmortem({ id }: { id: number }) {
  const [draftValue, setDraftValue] = useState<PostmortemDto | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const draft = useAct(() => api.followUps.draft(id), {
    onDone: (value) => {
      setDraftValue(value);
      setCopied(null);
    },
  });
  const saving = useAct(() => api.followUps.savePostmortem(id), {
    onDone: (path) => setSaved(path),
  });

  const failed = draft.error ?? saving.error;

  const load = () => {
    setSaved(null);
    saving.reset();
    void draft.send();
  };
  const copy = (markdown: string) => {
    setCopied(null);
    navigator.clipboard.writeText(markdown).then(
      () => setCopied("Copied"),
      () => setCopied("The clipboard refused the draft; select the text and copy it by hand."),
    );
  };
  const saveAs = () => {
    setSaved(null);
    void saving.send();
  };

  return (
    <Section title="Postmortem">
      {draftValue === null ? (
        <div className="fu-draft-start">
          <p className="muted">A Markdown draft with the rollback, the deployment it undid, the request and the timeline, to finish and file.</p>
          <button className="button" onClick={load} disabled={draft.busy} data-testid="follow-up-draft">
            {draft.busy ? "Writing the draft…" : "Postmortem draft"}
          </button>
        </div>
      ) : (
        <div className="fu-draft" data-testid="postmortem">
          <div className="fu-draft-head">
            <code className="fu-draft-name">{draftValue.file_name}</code>
            <div className="row">
              {copied && (
                <span className={copied === "Copied" ? "foot-saved fu-draft-note" : "fu-draft-note inline-error"} role="status" data-testid="postmortem-copied">
                  {copied}
                </span>
              )}
              <button className="button button-small-inline" onClick={load} disabled={draft.busy} title="Write the draft again from what the core knows now">
                {draft.busy ? "Writing…" : "Write again"}
              </button>
              <button className="button button-small-inline" onClick={() => copy(draftValue.markdown)} data-testid="postmortem-copy">
                Copy
              </button>
              <button className="button button-small-inline button-primary" onClick={saveAs} disabled={saving.busy} data-testid="postmortem-save">
                {saving.busy ? "Saving…" : "Save…"}
              </button>
            </div>
          </div>
          <textarea className="fu-draft-text" readOnly value={draftValue.markdown} rows={16} spellCheck={false} data-testid="postmortem-text" aria-label="Postmortem draft" />
          {saved && (
            <div className="foot-saved fu-draft-note" role="status" data-testid="postmortem-saved">
              Saved to {saved}
            </div>
          )}
        </div>
      )}
      {failed && (
        <div className="inline-error" role="alert" data-testid="postmortem-error" data-code={failed.code}>
          {failed.message}
        </div>
      )}
    </Section>
  );
}
