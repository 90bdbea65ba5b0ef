import "./forms.css";
import { useState, type ReactNode } from "react";
import type { QueryKey } from "@tanstack/react-query";
import { useAct, type ApiError, type Outcome } from "../ipc";

/** What the core last said to a form or a button: busy while it answers, then its refusal or what was done. */
export type Answer = { busy: boolean; error: ApiError | null; done: string | null };

type Ask = { call: () => Promise<Outcome<unknown>>; onDone: (value: unknown) => string | null; invalidates: QueryKey[] };

/**
 * The state every form and row action shares, over one TanStack mutation. `send` makes one call
 * to the core; a refusal is kept, word for word, until the next call (what was typed stays, to be
 * fixed), and on success the queries in `invalidates` are read again and `onDone` does what
 * follows and says what was done (null: nothing to say). `edited` forgets what was done once the
 * input changes again; `clear` forgets the refusal too.
 */
export function useAnswer() {
  const [done, setDone] = useState<string | null>(null);
  const act = useAct((ask: Ask) => ask.call(), {
    invalidates: (_, ask) => ask.invalidates,
    onDone: (value, ask) => setDone(ask.onDone(value)),
  });
  const send = <T,>(call: () => Promise<Outcome<T>>, onDone: (value: T) => string | null, invalidates: QueryKey[] = []) => {
    setDone(null);
    return act.send({ call, onDone: onDone as (value: unknown) => string | null, invalidates });
  };
  const edited = () => setDone(null);
  const clear = () => {
    act.reset();
    setDone(null);
  };
  return { busy: act.busy, error: act.error, done, send, edited, clear };
}

/** A Remove button that asks once more, in place, before it acts; a refusal is shown beside it. */
export function ConfirmRemove({
  question,
  testId,
  remove,
  onRemoved,
}: {
  question: string;
  testId: string;
  remove: () => Promise<Outcome<null>>;
  onRemoved: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const answer = useAnswer();
  if (!asking) {
    return (
      <button type="button" className="button button-small-inline button-danger" onClick={() => setAsking(true)} data-testid={testId}>
        Remove
      </button>
    );
  }
  const confirm = () =>
    answer.send(remove, () => {
      setAsking(false);
      onRemoved();
      return null;
    });
  return (
    <span className="row-actions" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="button button-small-inline"
        onClick={() => {
          setAsking(false);
          answer.clear();
        }}
        disabled={answer.busy}
      >
        Cancel
      </button>
      <button type="button" className="button button-small-inline button-danger-solid" onClick={() => void confirm()} disabled={answer.busy} data-testid={`confirm-${testId}`}>
        {answer.busy ? "Removing…" : "Remove"}
      </button>
      {answer.error && (
        <span className="inline-error confirm-error" role="alert" data-code={answer.error.code}>
          {answer.error.message}
        </span>
      )}
    </span>
  );
}

/**
 * A form in a card: its title, its fields, then a foot with the core's answer (its refusal word
 * for word, or what was done), any other buttons, and the one that sends it. The core checks
 * what is typed; the browser does not second-guess it.
 */
export function FormCard({
  title,
  titled = true,
  testId,
  className,
  answer,
  answerId,
  submit,
  actions,
  onSubmit,
  children,
}: {
  title: string;
  /** False: the title is only the form's accessible name. */
  titled?: boolean;
  testId?: string;
  className?: string;
  answer: Answer;
  /** The answer's test ids are `${answerId}-error` and `${answerId}-done`. */
  answerId: string;
  /** `disabled`: nothing to send yet (nothing changed). */
  submit: { label: string; busy: string; testId: string; disabled?: boolean };
  actions?: ReactNode;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={className ? `card form-card ${className}` : "card form-card"}
      data-testid={testId}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {titled && <h3 className="form-title">{title}</h3>}
      {children}
      <div className="foot-row form-foot">
        {answer.error && (
          <div className="inline-error form-error" role="alert" data-testid={`${answerId}-error`} data-code={answer.error.code}>
            {answer.error.message}
          </div>
        )}
        {answer.done && (
          <div className="foot-why foot-saved" role="status" data-testid={`${answerId}-done`}>
            {answer.done}
          </div>
        )}
        {actions}
        <button type="submit" className="button button-primary" disabled={answer.busy || submit.disabled === true} data-testid={submit.testId}>
          {answer.busy ? submit.busy : submit.label}
        </button>
      </div>
    </form>
  );
}

/** A labelled field: its name, a note beside it ("optional"), the control, and a hint under it. */
export function Field({ label, note, hint, children }: { label: string; note?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span>
        {label}
        {note && <> <span className="optional">{note}</span></>}
      </span>
      {children}
      {hint && <span className="hint">{hint}</span>}
    </label>
  );
}

/** One choice of a select: what is sent, and what is shown. */
export type Option<T extends string = string> = { value: T; label: string };

/** A labelled select over a list of options; it only ever answers one of their values. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
  disabled,
}: {
  label: string;
  value: T;
  options: Option<T>[];
  onChange: (value: T) => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} disabled={disabled} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
