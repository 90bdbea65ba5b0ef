import { useCallback, type ReactNode } from "react";
import { useEscape } from "./useEscape";

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
