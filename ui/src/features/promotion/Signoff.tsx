import { useState } from "react";
import { api, useAct } from "../../ipc";

/**
 * Approve or reject one change for one environment. Approving is one click; rejecting asks
 * what is wrong first (the core refuses a rejection without a comment).
 */
export function SignoffControls({
  project,
  environment,
  sha,
  approveLabel = "Approve",
  compact = false,
  onDone,
}: {
  project: string;
  environment: string;
  sha: string;
  approveLabel?: string;
  compact?: boolean;
  onDone: () => void;
}) {
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  // What the sign-off changed (the inbox, the board's blockers) is read again by `onDone`'s owner.
  const signing = useAct((verdict: "approve" | "reject") => api.gates.signoff({ project, environment, sha, verdict, comment: verdict === "reject" ? comment.trim() : "" }), {
    onDone: () => {
      setRejecting(false);
      setComment("");
      onDone();
    },
  });
  const busy = signing.busy ? (signing.vars ?? null) : null;
  const error = signing.error;
  const send = (verdict: "approve" | "reject") => void signing.send(verdict);
  const small = compact ? " button-small-inline" : "";

  return (
    <div className={`signoff${compact ? " signoff-compact" : ""}${rejecting || error ? " signoff-wide" : ""}`} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      {!rejecting ? (
        <div className="signoff-buttons">
          <button className={`button button-approve${small}`} onClick={() => send("approve")} disabled={busy !== null} data-testid="signoff-approve">
            {busy === "approve" ? "Signing…" : approveLabel}
          </button>
          <button
            className={`button button-danger${small}`}
            onClick={() => {
              signing.reset();
              setRejecting(true);
            }}
            disabled={busy !== null}
            data-testid="signoff-reject"
          >
            Reject…
          </button>
        </div>
      ) : (
        <form
          className="signoff-reject"
          onSubmit={(e) => {
            e.preventDefault();
            if (comment.trim()) send("reject");
          }}
        >
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="What is wrong? (required)"
            aria-label="Why it is rejected"
            autoFocus
            data-testid="signoff-comment"
          />
          <button type="submit" className={`button button-danger-solid${small}`} disabled={busy !== null || comment.trim() === ""} data-testid="confirm-reject">
            {busy === "reject" ? "Rejecting…" : "Reject"}
          </button>
          <button type="button" className={`button${small}`} onClick={() => setRejecting(false)}>
            Never mind
          </button>
        </form>
      )}
      {error && (
        <div className="inline-error signoff-error" role="alert" data-testid="signoff-error" data-code={error.code}>
          {error.message}
        </div>
      )}
    </div>
  );
}
