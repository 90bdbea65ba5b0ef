import { useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { api, useAct } from "../../ipc";
import { Modal } from "../../shared/Modal";

type Env = { name: string; strategy: "branch" | "tag" | "db"; reference: string };

const START: Env[] = [
  { name: "qa", strategy: "branch", reference: "deploy/qa" },
  { name: "staging", strategy: "branch", reference: "deploy/staging" },
  { name: "production", strategy: "branch", reference: "deploy/production" },
];

/** The "Add project" form: a local clone (picked with the system's folder dialog) and its pipeline. */
export function AddProject({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [repo, setRepo] = useState("");
  const [trunk, setTrunk] = useState("main");
  const [envs, setEnvs] = useState<Env[]>(START);
  const adding = useAct((specs: [string, string][]) => api.projects.add(name, repo, trunk, specs), {
    onDone: () => {
      onAdded();
      onClose();
    },
  });
  const { busy, error } = adding;

  const browse = async () => {
    const picked = await open({ directory: true, multiple: false, title: "Choose the project's local clone" }).catch(() => null);
    if (typeof picked === "string") {
      setRepo(picked);
      if (!name) setName(picked.split(/[\\/]/).filter(Boolean).pop() ?? "");
    }
  };
  const update = (i: number, change: Partial<Env>) => setEnvs(envs.map((e, j) => (i === j ? { ...e, ...change } : e)));
  const submit = () => {
    const specs: [string, string][] = envs.map((e) => [e.name, e.strategy === "db" ? "db" : `${e.strategy}:${e.reference}`]);
    void adding.send(specs);
  };

  return (
    <Modal
      title="Add a project"
      testId="add-project"
      submit={{ label: busy ? "Checking the repository…" : "Add project", disabled: busy, testId: "add-project-submit" }}
      onSubmit={submit}
      onClose={onClose}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="payments" name="name" required />
      </label>
      <label>
        Local clone
        <span className="row">
          <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="/home/me/src/payments" name="repo" required />
          <button type="button" className="button" onClick={() => void browse()}>
            Browse…
          </button>
        </span>
      </label>
      <label>
        Trunk branch
        <input value={trunk} onChange={(e) => setTrunk(e.target.value)} name="trunk" required />
      </label>
      <fieldset>
        <legend>Environments, in pipeline order</legend>
        {envs.map((env, i) => (
          <div className="row env-row" key={i}>
            <input aria-label="Environment name" value={env.name} onChange={(e) => update(i, { name: e.target.value })} />
            <select aria-label="Tracked by" value={env.strategy} onChange={(e) => update(i, { strategy: e.target.value as Env["strategy"] })}>
              <option value="branch">branch</option>
              <option value="tag">tags matching</option>
              <option value="db">database records</option>
            </select>
            <input
              aria-label="Branch or tag pattern"
              value={env.strategy === "db" ? "" : env.reference}
              disabled={env.strategy === "db"}
              onChange={(e) => update(i, { reference: e.target.value })}
            />
            <button type="button" className="button" aria-label="Remove environment" onClick={() => setEnvs(envs.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="button" onClick={() => setEnvs([...envs, { name: "", strategy: "branch", reference: "" }])}>
          Add environment
        </button>
      </fieldset>
      {error && (
        <div className="column-error" role="alert" data-testid="add-project-error">
          {error.message}
        </div>
      )}
    </Modal>
  );
}
