import { useLayoutEffect, useRef, useState } from "react";
import { CHANNEL_KINDS, CHANNEL_PARTS, EVENT_KINDS, api, notificationKeys, templatesQuery, useRead, type ChannelKind, type EventKind, type Part, type TemplateDto } from "../../ipc";
import { FormCard, SelectField, useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { SectionHead } from "./NotifyParts";
import { CHANNEL_OPTIONS, EVENT_OPTIONS, partLabel } from "./notifyWords";

/** Templates change only here; they are read again after a save and now and then. */

type Pick = { kind: EventKind; channel: ChannelKind; part: Part };

const keyOf = (p: Pick) => `${p.kind}/${p.channel}/${p.part}`;

const ESCAPING: Record<Part, string> = {
  subject: "Values go in as they are.",
  text: "Values go in as they are.",
  html: "Values are HTML-escaped.",
  markdown: "Values are escaped for the chat’s markup.",
  json: "Values are escaped for JSON strings; keep each variable inside quotes.",
};

/** The words of every message: per event kind, channel kind and part, built-in until changed here. */
export function Templates() {
  const templates = useRead(templatesQuery);
  return (
    <section className="notify-section" data-testid="templates">
      <SectionHead title="Templates" sub="The words of each message. Variables in double braces are filled in when it is sent; an unknown one is refused when you save." />
      <ListGate list={templates} what="the templates" testId="templates-error">
        {(list) => <Editor templates={list} />}
      </ListGate>
    </section>
  );
}

function Editor({ templates }: { templates: TemplateDto[] }) {
  const [pick, setPick] = useState<Pick>({ kind: EVENT_KINDS[0], channel: CHANNEL_KINDS[0], part: CHANNEL_PARTS[CHANNEL_KINDS[0]][0] });
  // What was typed, per template, until it is saved or reset: switching templates loses nothing.
  const [drafts, setDrafts] = useState<Map<string, string>>(new Map());
  const answer = useAnswer();
  const box = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once an inserted variable is on screen.
  const caret = useRef<number | null>(null);

  // The parts a channel's messages have are the core's (its vocabulary).
  const parts = CHANNEL_PARTS[pick.channel];
  const part = parts.includes(pick.part) ? pick.part : (parts[0] ?? pick.part);
  const current = { ...pick, part };
  const template = templates.find((t) => t.kind === current.kind && t.channel_kind === current.channel && t.part === current.part);
  const key = keyOf(current);
  const body = drafts.get(key) ?? template?.body ?? "";
  const dirty = template !== undefined && drafts.has(key) && drafts.get(key) !== template.body;

  const choose = (change: Partial<Pick>) => {
    setPick({ ...current, ...change });
    answer.clear();
  };
  const type = (text: string) => {
    setDrafts(new Map(drafts).set(key, text));
    answer.edited();
  };
  const forget = () =>
    setDrafts((all) => {
      const next = new Map(all);
      next.delete(key);
      return next;
    });
  const insert = (variable: string) => {
    const token = `{{${variable}}}`;
    const el = box.current;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    caret.current = start + token.length;
    type(body.slice(0, start) + token + body.slice(end));
  };
  useLayoutEffect(() => {
    // After an insert, the caret stands after the variable, as if it had been typed.
    const at = caret.current;
    if (at === null || !box.current) return;
    caret.current = null;
    box.current.focus();
    box.current.setSelectionRange(at, at);
  }, [body]);
  // After either, the draft goes: the list read again holds what is in force. A refusal keeps
  // the text as typed, so the named variable can be fixed in place.
  const saved = (said: string) => () => {
    forget();
    return said;
  };
  const save = () =>
    answer.send(
      () => api.notifications.saveTemplate({ kind: current.kind, channel_kind: current.channel, part: current.part, body }),
      saved("Saved. Messages from now on use it."),
      [notificationKeys.templates],
    );
  const reset = () => {
    if (!template?.custom) {
      // Only typed, never saved: the built-in text is still the one in force.
      forget();
      answer.clear();
      return;
    }
    void answer.send(() => api.notifications.resetTemplate(current.kind, current.channel, current.part), saved("Back to the built-in template."), [
      notificationKeys.templates,
    ]);
  };

  return (
    <FormCard
      title="Template"
      titled={false}
      className="template-editor"
      answer={answer}
      answerId="template"
      submit={{ label: "Save", busy: "Saving…", testId: "template-save" }}
      actions={
        <button type="button" className="button" onClick={reset} disabled={answer.busy || !(template?.custom || dirty)} data-testid="template-reset" title="Use Slipway’s own text again">
          Reset to built-in
        </button>
      }
      onSubmit={() => void save()}
    >
      <div className="form-grid form-grid-3">
        <SelectField label="Event" value={current.kind} options={EVENT_OPTIONS} onChange={(kind) => choose({ kind })} testId="template-kind" />
        <SelectField label="Channel" value={current.channel} options={CHANNEL_OPTIONS} onChange={(channel) => choose({ channel })} testId="template-channel" />
        <SelectField label="Part" value={current.part} options={parts.map((p) => ({ value: p, label: partLabel(p) }))} onChange={(part) => choose({ part })} testId="template-part" />
      </div>
      <label className="field">
        <span className="label-line">
          Text
          <span className={template?.custom ? "badge template-custom" : "badge template-builtin"} data-testid="template-state">
            {template?.custom ? "Customised" : "Built-in"}
          </span>
          {dirty && <span className="optional">unsaved changes</span>}
        </span>
        <textarea
          ref={box}
          className="mono"
          rows={current.part === "subject" ? 2 : 10}
          value={body}
          onChange={(e) => type(e.target.value)}
          spellCheck={false}
          data-testid="template-body"
          aria-invalid={answer.error !== null}
        />
        <span className="hint">{ESCAPING[current.part]}</span>
      </label>
      <div className="variables">
        <span className="hint">Click a variable to put it where the cursor is:</span>
        <div className="chips">
          {(template?.variables ?? []).map((v) => (
            <button key={v} type="button" className="chip var-chip chip-button" onClick={() => insert(v)} data-testid={`template-var-${v}`}>
              {`{{${v}}}`}
            </button>
          ))}
        </div>
      </div>
    </FormCard>
  );
}
