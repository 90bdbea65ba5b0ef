import "./Problem.css";
import type { ApiError } from "../ipc";

type Props = {
  title: string;
  error: ApiError;
  note?: string;
  tone?: "error" | "neutral";
  testId: string;
  action?: { label: string; onClick: () => void; busy: boolean };
};

/** A full-width explanation of what is wrong and what to do; never a raw error dump. */
export function Problem({ title, error, note, tone = "error", testId, action }: Props) {
  return (
    <section className={`problem problem-${tone}`} data-testid={testId} data-code={error.code} role={tone === "error" ? "alert" : undefined}>
      <div className="problem-icon" aria-hidden="true">
        {tone === "error" ? "!" : "+"}
      </div>
      <div className="problem-body">
        <h2>{title}</h2>
        <p className="problem-message">{error.message}</p>
        {note && <p className="problem-note">{note}</p>}
        {action && (
          <button className="button button-primary" onClick={action.onClick} disabled={action.busy}>
            {action.label}
          </button>
        )}
      </div>
    </section>
  );
}
