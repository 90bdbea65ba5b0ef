import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { api } from "./api";
import type { ApiError, TemplateDto } from "./ipc.gen";
import { usePolled } from "./polling";
import { FormNote, ListGate, SectionHead } from "./NotifyParts";
import { CHANNEL_KINDS, EVENT_KINDS, partLabel } from "./notifyWords";

/** Templates change only here; they are read again after a save and now and then. */
const TEMPLATES_REFRESH_MS = 300_000;

type Pick = { kind: string; channel: string; part: string };

const keyOf = (p: Pick) => `${p.kind}/${p.channel}/${p.part}`;

const ESCAPING: Record<string, string> = {
  subject: "Values go in as they are.",
  text: "Values go in as they are.",
  html: "Values are HTML-escaped.",
  markdown: "Values are escaped for the chat’s markup.",
  json: "Values are escaped for JSON strings; keep each variable inside quotes.",
};

/** The words of every message: per event kind, channel kind and part, built-in until changed here. */
export function Templates({ refreshToken = 0 }: { refreshToken?: number }) {
  const [changed, setChanged] = useState(0);
  const load = useCallback(() => api.templates(), []);
  const templates = usePolled(load, TEMPLATES_REFRESH_MS, `${refreshToken}/${changed}`);
  const reload = useCallback(() => setChanged((n) => n + 1), []);
  return (
    <section className="notify-section" data-testid="templates">
      <SectionHead title="Templates" sub="The words of each message. Variables in double braces are filled in when it is sent; an unknown one is refused when you save." />
      <ListGate list={templates} what="the templates" testId="templates-error">
        {(list) => <Editor templates={list} onSaved={reload} />}
      </ListGate>
    </section>
  );
}

function Editor({ templates, onSaved }: { templates: TemplateDto[]; onSaved: () => void }) {
  const [pick, setPick] = useState<Pick>({ kind: EVENT_KINDS[0].kind, channel: CHANNEL_KINDS[0].kind, part: "subject" });
  // What was typed, per template, until it is saved or reset: switching templates loses nothing.
  const [drafts, setDrafts] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once an inserted variable is on screen.
  const caret = useRef<number | null>(null);

  const parts = templates.filter((t) => t.kind === pick.kind && t.channel_kind === pick.channel).map((t) => t.part);
  const part = parts.includes(pick.part) ? pick.part : (parts[0] ?? pick.part);
  const current = { ...pick, part };
  const template = templates.find((t) => t.kind === current.kind && t.channel_kind === current.channel && t.part === current.part);
  const key = keyOf(current);
  const body = drafts.get(key) ?? template?.body ?? "";
  const dirty = template !== undefined && drafts.has(key) && drafts.get(key) !== template.body;

  const choose = (change: Partial<Pick>) => {
    setPick({ ...current, ...change });
    setError(null);
    setDone(null);
  };
  const type = (text: string) => {
    setDrafts(new Map(drafts).set(key, text));
    setDone(null);
  };
  const forget = () => {
    const next = new Map(drafts);
    next.delete(key);
    setDrafts(next);
  };
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
  const save = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await api.saveTemplate({ kind: current.kind, channel_kind: current.channel, part: current.part, body });
    setBusy(false);
    if (!outcome.ok) {
      // The text stays as typed, so the named variable can be fixed in place.
      setError(outcome.error);
      return;
    }
    forget();
    setDone("Saved. Messages from now on use it.");
    onSaved();
  };
  const reset = async () => {
    if (!template?.custom) {
      // Only typed, never saved: the built-in text is still the one in force.
      forget();
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await api.resetTemplate(current.kind, current.channel, current.part);
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    forget();
    setDone("Back to the built-in template.");
    onSaved();
  };

  return (
    <form
      className="card form-card template-editor"
      aria-label="Template"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="form-grid form-grid-3">
        <label className="field">
          <span>Event</span>
          <select value={current.kind} onChange={(e) => choose({ kind: e.target.value })} data-testid="template-kind">
            {EVENT_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Channel</span>
          <select value={current.channel} onChange={(e) => choose({ channel: e.target.value })} data-testid="template-channel">
            {CHANNEL_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Part</span>
          <select value={current.part} onChange={(e) => choose({ part: e.target.value })} data-testid="template-part">
            {parts.map((p) => (
              <option key={p} value={p}>
                {partLabel(p)}
              </option>
            ))}
          </select>
        </label>
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
          aria-invalid={error !== null}
        />
        <span className="hint">{ESCAPING[current.part] ?? ""}</span>
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
      <div className="form-foot">
        <FormNote error={error} done={done} testId="template" />
        <button type="button" className="button" onClick={() => void reset()} disabled={busy || !(template?.custom || dirty)} data-testid="template-reset" title="Use Slipway’s own text again">
          Reset to built-in
        </button>
        <button type="submit" className="button button-primary" disabled={busy} data-testid="template-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
