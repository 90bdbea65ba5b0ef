import { useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { api, useAct, type PipelineProposalDto } from "../../ipc";
import { Modal } from "../../shared/Modal";
import { PipelineEditor, rowsOf, specsOf, type EnvRow } from "../../shared/PipelineEditor";

const START: EnvRow[] = [
  { name: "qa", strategy: "branch", reference: "deploy/qa" },
  { name: "staging", strategy: "branch", reference: "deploy/staging" },
  { name: "production", strategy: "branch", reference: "deploy/production" },
];

/**
 * The "Add project" form: a local clone (picked with the system's folder dialog, or typed) whose
 * pipeline the core detects, then edited here before anything is stored.
 */
export function AddProject({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [repo, setRepo] = useState("");
  const [trunk, setTrunk] = useState("main");
  const [envs, setEnvs] = useState<EnvRow[]>(START);
  const [detected, setDetected] = useState<PipelineProposalDto | null>(null);
  const adding = useAct((specs: [string, string][]) => api.projects.add(name, repo, trunk, specs), {
    onDone: () => {
      onAdded();
      onClose();
    },
  });
  const detect = useAct((path: string) => api.app.detectPipeline(path), {
    onDone: (proposal) => {
      setDetected(proposal);
      setTrunk(proposal.trunk);
      setEnvs(rowsOf(proposal));
      if (!name) setName(proposal.suggested_name);
    },
  });
  const error = adding.error ?? detect.error;

  const browse = async () => {
    const picked = await open({ directory: true, multiple: false, title: "Choose the project's local clone" }).catch(() => null);
    if (typeof picked === "string") {
      setRepo(picked);
      void detect.send(picked);
    }
  };

  return (
    <Modal
      title="Add a project"
      testId="add-project"
      className="modal-wide"
      submit={{ label: adding.busy ? "Checking the repository…" : "Add project", disabled: adding.busy || detect.busy, testId: "add-project-submit" }}
      onSubmit={() => void adding.send(specsOf(envs))}
      onClose={onClose}
    >
      <label>
        Local clone
        <span className="row">
          <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="/home/me/src/payments" name="repo" required />
          <button type="button" className="button" onClick={() => void browse()}>
            Browse…
          </button>
          <button type="button" className="button" onClick={() => void detect.send(repo.trim())} disabled={detect.busy || !repo.trim()} data-testid="add-project-detect">
            {detect.busy ? "Reading…" : "Detect pipeline"}
          </button>
        </span>
      </label>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="payments" name="name" required />
      </label>
      <label>
        Trunk branch
        <input value={trunk} onChange={(e) => setTrunk(e.target.value)} name="trunk" required />
        {detected && <span className="hint">{detected.trunk_evidence}</span>}
      </label>
      {detected && detected.environments.length === 0 && <p className="notice">No environment was found. {detected.looked_for}</p>}
      <PipelineEditor rows={envs} onChange={setEnvs} />
      {error && (
        <div className="column-error" role="alert" data-testid="add-project-error">
          {error.message}
        </div>
      )}
    </Modal>
  );
}
