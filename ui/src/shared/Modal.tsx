import type { ReactNode } from "react";
import { useEscape } from "./useEscape";

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
