import { useCallback, useEffect, useRef, useState, type CSSProperties, type ReactNode } from "react";

/** Calls `onEscape` when the Escape key is pressed anywhere in the window. */
export function useEscape(onEscape: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onEscape();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onEscape]);
}

/**
 * A panel from the right over a dimmed page; Escape, a click beside it or its Close button close it.
 * While `busy` says why (a run that must finish or be cancelled first), nothing closes it.
 */
export function Drawer({
  label,
  testId,
  closeLabel,
  head,
  wide = false,
  busy,
  onClose,
  children,
  "data-id": dataId,
}: {
  label: string;
  testId: string;
  closeLabel: string;
  head: ReactNode;
  wide?: boolean;
  busy?: string | null;
  onClose: () => void;
  children: ReactNode;
  "data-id"?: number;
}) {
  const close = useCallback(() => {
    if (!busy) onClose();
  }, [busy, onClose]);
  useEscape(close);
  return (
    <div className="drawer-backdrop" onClick={close}>
      <aside
        className={wide ? "drawer drawer-wide" : "drawer"}
        data-testid={testId}
        data-id={dataId}
        onClick={(e) => e.stopPropagation()}
        aria-label={label}
      >
        <header className="drawer-head">
          {head}
          <button className="button" onClick={close} aria-label={closeLabel} disabled={!!busy} title={busy ?? undefined}>
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

/** One entry of a `Menu`. */
export type MenuItem = { label: string; onSelect: () => void; testId?: string; disabled?: boolean; hint?: string };

/** A small "⋯" button that opens a list of secondary actions; a click elsewhere or Escape closes it. */
export function Menu({ label, items, testId }: { label: string; items: MenuItem[]; testId?: string }) {
  const [at, setAt] = useState<CSSProperties | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setAt(null), []);
  const toggle = () => {
    if (at || !button.current) {
      setAt(null);
      return;
    }
    // Placed against the window, not the list it sits in: a scrolling column must not clip it.
    const r = button.current.getBoundingClientRect();
    const roomBelow = window.innerHeight - r.bottom;
    const right = Math.max(8, window.innerWidth - r.right);
    setAt(roomBelow > 40 * items.length + 16 ? { top: r.bottom + 4, right } : { bottom: window.innerHeight - r.top + 4, right });
  };
  const open = at !== null;
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setAt(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        // The menu closes; a drawer behind it stays open.
        e.stopImmediatePropagation();
        setAt(null);
      }
    };
    const onScroll = () => setAt(null);
    document.addEventListener("mousedown", away);
    window.addEventListener("keydown", onKey, true);
    window.addEventListener("scroll", onScroll, true);
    window.addEventListener("resize", onScroll);
    return () => {
      document.removeEventListener("mousedown", away);
      window.removeEventListener("keydown", onKey, true);
      window.removeEventListener("scroll", onScroll, true);
      window.removeEventListener("resize", onScroll);
    };
  }, [open]);
  return (
    <div className="menu" ref={box} onClick={(e) => e.stopPropagation()}>
      <button
        ref={button}
        type="button"
        className="button menu-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={testId}
        onClick={toggle}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {at && (
        <div className="menu-list" role="menu" aria-label={label} style={at}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className="menu-item"
              disabled={item.disabled}
              title={item.hint}
              data-testid={item.testId}
              onClick={() => {
                close();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
