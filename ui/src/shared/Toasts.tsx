import "./Toasts.css";
import { useEffect, useState } from "react";
import { SEVERITIES, type DesktopNoticeDto, type LinkDto, type Severity } from "../ipc";

/** How long a notice stays up unless the pointer rests on it. */
const TOAST_MS = 8_000;

/** At most this many notices stand at once; older ones give way. */
const MAX_TOASTS = 4;

export type Toast = DesktopNoticeDto & { id: number };

let next = 0;

/** The notices on screen after `notice` arrives: newest on top, the oldest dropped past the limit. */
export function withNotice(toasts: Toast[], notice: DesktopNoticeDto): Toast[] {
  next += 1;
  return [{ ...notice, id: next }, ...toasts].slice(0, MAX_TOASTS);
}

/** The core's severity of a notice, or `info` for a word it does not use. */
function severityOf(word: string): Severity {
  return SEVERITIES.find((s) => s === word) ?? "info";
}

/** Desktop notices shown inside the app, top right; a click follows where the core says the notice's link leads. */
export function Toasts({ toasts, onOpen, onDismiss }: { toasts: Toast[]; onOpen: (target: LinkDto) => void; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastCard key={t.id} toast={t} onOpen={onOpen} onDismiss={onDismiss} />
      ))}
    </div>
  );
}

function ToastCard({ toast, onOpen, onDismiss }: { toast: Toast; onOpen: (target: LinkDto) => void; onDismiss: (id: number) => void }) {
  // Resting the pointer on a notice keeps it up, so it can be read to the end.
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => onDismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [held, toast.id, onDismiss]);
  const severity = severityOf(toast.severity);
  const { target } = toast;
  const text = (
    <>
      <span className="toast-title">{toast.title}</span>
      {toast.body && <span className="toast-text">{toast.body}</span>}
    </>
  );
  return (
    <div
      className={`toast toast-${severity}`}
      role={severity === "critical" ? "alert" : "status"}
      data-testid="toast"
      data-severity={severity}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
    >
      {target ? (
        <button
          type="button"
          className="toast-body"
          onClick={() => {
            onOpen(target);
            onDismiss(toast.id);
          }}
          title="Open in Slipway"
          data-testid="toast-open"
        >
          {text}
        </button>
      ) : (
        // A notice whose link leads nowhere in the app is only read.
        <div className="toast-body toast-body-still">{text}</div>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
