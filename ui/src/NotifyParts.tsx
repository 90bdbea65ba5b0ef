import { useState, type ReactNode } from "react";
import type { Outcome } from "./api";
import type { ApiError } from "./ipc.gen";
import type { Polled } from "./polling";
import { channelLabel } from "./notifyWords";

/** A small square mark for a channel kind (a kind this app does not know looks like a webhook), named for screen readers and on hover. */
export function KindIcon({ kind }: { kind: string }) {
  const shown = kind in ICONS ? kind : "webhook";
  return (
    <span className={`kind-icon kind-icon-${shown}`} title={channelLabel(kind)} role="img" aria-label={channelLabel(kind)}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
        {ICONS[shown]}
      </svg>
    </span>
  );
}

const ICONS: Record<string, ReactNode> = {
  email: (
    <>
      <rect x="1.75" y="3.25" width="12.5" height="9.5" rx="1.5" />
      <path d="M2.5 4.5 8 8.75l5.5-4.25" />
    </>
  ),
  slack: <path d="M6 2.5 4.5 13.5M11.5 2.5 10 13.5M2.5 6h11M2 10.5h11" />,
  teams: (
    <>
      <path d="M2.5 3.5h8.5v7H6.5l-3 2.5v-2.5h-1z" />
      <path d="M11 6h2.5v5.5h-1v1.75L10.25 11.5" />
    </>
  ),
  webhook: (
    <>
      <path d="M6.25 9.75 9.75 6.25" />
      <path d="M7 4.5 8.25 3.25a2.47 2.47 0 0 1 3.5 3.5L10.5 8" />
      <path d="M9 11.5 7.75 12.75a2.47 2.47 0 0 1-3.5-3.5L5.5 8" />
    </>
  ),
  desktop: (
    <>
      <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
      <path d="M5.5 13.5h5M8 11v2.5" />
    </>
  ),
};

/** What a section shows while its list is read, when reading it failed, and over a stale list. */
export function ListGate<T>({
  list,
  what,
  testId,
  children,
}: {
  list: Polled<T>;
  what: string;
  testId: string;
  children: (value: NonNullable<T>) => ReactNode;
}) {
  if (!list.loaded) return <div className="card card-empty">Reading {what}…</div>;
  if (list.value === null || list.value === undefined) {
    const error = list.error ?? { code: "internal", message: "nothing came back." };
    return (
      <div className="inline-error" role="alert" data-testid={testId} data-code={error.code}>
        Slipway can’t read {what}: {error.message}
      </div>
    );
  }
  return (
    <>
      {list.error && (
        <div className="stale" role="status">
          <strong>Not refreshed.</strong> {list.error.message}
        </div>
      )}
      {children(list.value as NonNullable<T>)}
    </>
  );
}

/** What the core last said to a form or a button: busy while it answers, then its refusal or what was done. */
export type Answer = { busy: boolean; error: ApiError | null; done: string | null };

const QUIET: Answer = { busy: false, error: null, done: null };

/**
 * The state every form and row action here shares. `send` makes one call to the core; a refusal
 * is kept, word for word, until the next call (what was typed stays, to be fixed), and on success
 * `onDone` does what follows and says what was done (null: nothing to say). `edited` forgets what
 * was done once the input changes again; `clear` forgets the refusal too.
 */
export function useAnswer() {
  const [answer, setAnswer] = useState<Answer>(QUIET);
  const send = async <T,>(call: () => Promise<Outcome<T>>, onDone: (value: T) => string | null) => {
    setAnswer({ busy: true, error: null, done: null });
    const outcome = await call();
    setAnswer(outcome.ok ? { busy: false, error: null, done: onDone(outcome.value) } : { busy: false, error: outcome.error, done: null });
  };
  const edited = () => setAnswer((a) => (a.done === null ? a : { ...a, done: null }));
  const clear = () => setAnswer(QUIET);
  return { ...answer, send, edited, clear };
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

/** The heading of one notification section: its title, a sentence, and its actions. */
export function SectionHead({ title, sub, children }: { title: string; sub: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head notify-head">
      <div>
        <h2 className="notify-title">{title}</h2>
        <div className="page-sub">{sub}</div>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
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
  submit: { label: string; busy: string; testId: string };
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
        <button type="submit" className="button button-primary" disabled={answer.busy} data-testid={submit.testId}>
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
export type Option = { value: string; label: string };

/** A labelled select over a list of options. */
export function SelectField({
  label,
  value,
  options,
  onChange,
  testId,
  disabled,
}: {
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
