import { useEffect, type ReactNode } from "react";

/** Calls `onEscape` when the Escape key is pressed anywhere in the window. */
export function useEscape(onEscape: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onEscape();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onEscape]);
}

/** A panel from the right over a dimmed page; Escape, a click beside it or its Close button close it. */
export function Drawer({
  label,
  testId,
  closeLabel,
  head,
  wide = false,
  onClose,
  children,
  "data-id": dataId,
}: {
  label: string;
  testId: string;
  closeLabel: string;
  head: ReactNode;
  wide?: boolean;
  onClose: () => void;
  children: ReactNode;
  "data-id"?: number;
}) {
  useEscape(onClose);
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside
        className={wide ? "drawer drawer-wide" : "drawer"}
        data-testid={testId}
        data-id={dataId}
        onClick={(e) => e.stopPropagation()}
        aria-label={label}
      >
        <header className="drawer-head">
          {head}
          <button className="button" onClick={onClose} aria-label={closeLabel}>
            Close
          </button>
        </header>
        {children}
      </aside>
    </div>
  );
}

/** A form in a dialog: its title, its fields, Cancel and the button that sends it. Escape or a click beside it cancel. */
export function Modal({
  title,
  testId,
  className,
  submit,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  testId: string;
  className?: string;
  submit: { label: string; disabled: boolean; testId: string };
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  useEscape(onClose);
  return (
    <div className="drawer-backdrop modal-backdrop" onClick={onClose}>
      <form
        className={className ? `modal ${className}` : "modal"}
        data-testid={testId}
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2>{title}</h2>
        {children}
        <div className="row modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submit.disabled} data-testid={submit.testId}>
            {submit.label}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A titled part of a drawer. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="preview-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A number with what it counts, for a page's or a drawer's summary line; `tone` colours the number (`late`, `plus`, `minus`). */
export function Figure({ value, label, tone, testId }: { value: string | number; label: string; tone?: string; testId?: string }) {
  return (
    <div className="stat">
      <div className={tone ? `stat-value stat-${tone}` : "stat-value"} data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
