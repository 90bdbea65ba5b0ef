import { useState, type ReactNode } from "react";
import type { ApiError } from "./ipc.gen";
import type { Polled } from "./polling";
import { channelLabel } from "./notifyWords";

/** A small square mark for a channel kind, with its name for screen readers and on hover. */
export function KindIcon({ kind }: { kind: string }) {
  return (
    <span className={`kind-icon kind-icon-${kind}`} title={channelLabel(kind)} role="img" aria-label={channelLabel(kind)}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
        {ICONS[kind] ?? ICONS.webhook}
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

/** A Remove button that asks once more, in place, before it acts; a refusal is shown beside it. */
export function ConfirmRemove({ question, testId, onConfirm }: { question: string; testId: string; onConfirm: () => Promise<ApiError | null> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!asking) {
    return (
      <button type="button" className="button button-small-inline button-danger" onClick={() => setAsking(true)} data-testid={testId}>
        Remove
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    setError(null);
    const refused = await onConfirm();
    setBusy(false);
    if (refused) setError(refused);
    else setAsking(false);
  };
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button type="button" className="button button-small-inline" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
      <button type="button" className="button button-small-inline button-danger-solid" onClick={() => void confirm()} disabled={busy} data-testid={`confirm-${testId}`}>
        {busy ? "Removing…" : "Remove"}
      </button>
      {error && (
        <span className="inline-error confirm-error" role="alert" data-code={error.code}>
          {error.message}
        </span>
      )}
    </span>
  );
}

/** The heading of one notification section: its title, a sentence, and its actions. */
export function SectionHead({ title, sub, children }: { title: string; sub: ReactNode; children?: ReactNode }) {
  return (
    <div className="notify-head">
      <div>
        <h2 className="notify-title">{title}</h2>
        <div className="page-sub">{sub}</div>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** A form's answer line: the core's refusal word for word, or what was done. */
export function FormNote({ error, done, testId }: { error: ApiError | null; done: string | null; testId: string }) {
  if (error) {
    return (
      <div className="inline-error form-error" role="alert" data-testid={`${testId}-error`} data-code={error.code}>
        {error.message}
      </div>
    );
  }
  if (done) {
    return (
      <div className="form-done" role="status" data-testid={`${testId}-done`}>
        {done}
      </div>
    );
  }
  return null;
}
