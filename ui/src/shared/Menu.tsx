import "./Menu.css";
import { useCallback, useEffect, useRef, useState, type CSSProperties } from "react";

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
