import { useState } from "react";
import { api } from "./api";
import type { ApiError } from "./ipc.gen";
import { Modal } from "./Layout";

/** Puts a hold on an environment: nothing is promoted into it until someone lifts it. */
export function HoldModal({ project, environment, onClose, onHeld }: { project: string; environment: string; onClose: () => void; onHeld: () => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async () => {
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    const outcome = await api.hold(project, environment, reason.trim());
    setBusy(false);
    if (outcome.ok) {
      onHeld();
      onClose();
    } else {
      setError(outcome.error);
    }
  };
  return (
    <Modal
      title={`Put ${environment} on hold`}
      testId="hold-form"
      submit={{ label: busy ? "Holding…" : "Put on hold", disabled: busy || reason.trim() === "", testId: "confirm-hold" }}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <p className="explain">
        While {environment} is on hold nobody can promote into it, by hand or by automation. You own the hold; it shows on the board
        with your reason until someone lifts it.
      </p>
      <label>
        Why?
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Investigating slow checkouts"
          autoFocus
          required
          data-testid="hold-reason"
        />
      </label>
      {error && (
        <div className="inline-error" role="alert" data-testid="hold-error">
          {error.message}
        </div>
      )}
    </Modal>
  );
}
