import { useState } from "react";
import { api, useAct } from "../../ipc";
import { Modal } from "../../shared/Modal";

/** Puts a hold on an environment: nothing is promoted into it until someone lifts it. */
export function HoldModal({ project, environment, onClose, onHeld }: { project: string; environment: string; onClose: () => void; onHeld: () => void }) {
  const [reason, setReason] = useState("");
  const holding = useAct((why: string) => api.gates.hold(project, environment, why), {
    onDone: () => {
      onHeld();
      onClose();
    },
  });
  const { busy, error } = holding;
  const submit = () => {
    if (reason.trim()) void holding.send(reason.trim());
  };
  return (
    <Modal
      title={`Put ${environment} on hold`}
      testId="hold-form"
      submit={{ label: busy ? "Holding…" : "Put on hold", disabled: busy || reason.trim() === "", testId: "confirm-hold" }}
      onSubmit={submit}
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
