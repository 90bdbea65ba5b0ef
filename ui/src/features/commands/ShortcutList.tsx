import { useEscape } from "../../shared/useEscape";
import { SHORTCUTS } from "./shortcuts";

/** `?`: every shortcut, from the table the keys are read with. */
export function ShortcutList({ onClose }: { onClose: () => void }) {
  useEscape(onClose);
  return (
    <div className="drawer-backdrop modal-backdrop" onClick={onClose}>
      <div className="modal shortcut-list" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map((s) => (
            <div className="shortcut" key={s.label}>
              <dt>
                {s.keys.map((k, i) => (
                  <span key={i}>
                    {i > 0 && <span className="muted">{s.keys[0] === "Ctrl" ? " + " : " then "}</span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
        </dl>
        <div className="row modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
