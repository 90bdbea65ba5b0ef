import "./PipelineEditor.css";
import type { PipelineProposalDto } from "../ipc";

/** One environment as the pipeline form edits it; `evidence` says why detection proposed it. */
export type EnvRow = { name: string; strategy: "branch" | "tag" | "db"; reference: string; evidence?: string };

/** The rows a detected pipeline starts the form with. */
export function rowsOf(proposal: PipelineProposalDto): EnvRow[] {
  return proposal.environments.map((e) => ({
    name: e.name,
    strategy: e.strategy === "tag" ? "tag" : "branch",
    reference: e.ref_name,
    evidence: e.evidence,
  }));
}

/** The rows as the core takes them: `[name, "branch:REF" | "tag:PATTERN" | "db"]`, in pipeline order. */
export function specsOf(rows: EnvRow[]): [string, string][] {
  return rows.map((e) => [e.name.trim(), e.strategy === "db" ? "db" : `${e.strategy}:${e.reference.trim()}`]);
}

/** The environments of a pipeline, in order: rename, re-track, move up or down, remove, add. */
export function PipelineEditor({ rows, onChange }: { rows: EnvRow[]; onChange: (rows: EnvRow[]) => void }) {
  const update = (i: number, change: Partial<EnvRow>) => onChange(rows.map((e, j) => (i === j ? { ...e, ...change } : e)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row);
    onChange(next);
  };
  return (
    <fieldset className="pipeline-editor" data-testid="pipeline-editor">
      <legend>Environments, in pipeline order (each takes what the one before it has)</legend>
      <ol className="pipeline-rows">
        {rows.map((env, i) => (
          <li className="pipeline-row" key={i} data-testid="pipeline-row">
            <span className="pipeline-step" aria-hidden="true">
              {i + 1}
            </span>
            <div className="pipeline-fields">
              <div className="row env-row">
                <input aria-label="Environment name" value={env.name} onChange={(e) => update(i, { name: e.target.value })} data-testid="env-name" />
                <select aria-label="Tracked by" value={env.strategy} onChange={(e) => update(i, { strategy: e.target.value as EnvRow["strategy"] })}>
                  <option value="branch">branch</option>
                  <option value="tag">tags matching</option>
                  <option value="db">database records</option>
                </select>
                <input
                  aria-label="Branch or tag pattern"
                  value={env.strategy === "db" ? "" : env.reference}
                  disabled={env.strategy === "db"}
                  onChange={(e) => update(i, { reference: e.target.value })}
                  data-testid="env-ref"
                />
              </div>
              {env.evidence && <div className="hint pipeline-evidence">{env.evidence}</div>}
            </div>
            <div className="pipeline-moves">
              <button type="button" className="button button-small-inline" aria-label={`Move ${env.name || "environment"} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" className="button button-small-inline" aria-label={`Move ${env.name || "environment"} down`} disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" className="button button-small-inline" aria-label={`Remove ${env.name || "environment"}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                ×
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => onChange([...rows, { name: "", strategy: "branch", reference: "" }])} data-testid="add-environment">
        Add environment
      </button>
    </fieldset>
  );
}
