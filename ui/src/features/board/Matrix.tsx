import type { ProjectBoardDto } from "../../ipc";
import { worstBand } from "../../shared/format";

/** Projects × environments: how much waits where, and for how long; a click opens the board. */
export function Matrix({ projects, onOpen }: { projects: ProjectBoardDto[]; onOpen: (index: number) => void }) {
  const environments: string[] = [];
  for (const p of projects) for (const e of p.environments) if (!environments.includes(e.name)) environments.push(e.name);
  return (
    <div className="matrix-wrap">
      <table className="matrix" data-testid="matrix">
        <thead>
          <tr>
            <th>Project</th>
            {environments.map((e) => (
              <th key={e}>{e}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {projects.map((p, i) => (
            <tr key={p.name} data-project={p.name} onClick={() => onOpen(i)} className="matrix-row">
              <th scope="row">
                <div className="matrix-project">{p.name}</div>
                <div className="project-path">{p.repo_path}</div>
              </th>
              {p.error ? (
                <td colSpan={environments.length} className="matrix-error">
                  {p.error.message}
                </td>
              ) : (
                environments.map((name) => {
                  const env = p.environments.find((e) => e.name === name);
                  if (!env) return <td key={name} className="matrix-none" />;
                  if (env.error) return <td key={name} className="matrix-error" title={env.error.message}>can’t read</td>;
                  const band = worstBand(env);
                  return (
                    <td key={name} data-env={name} data-testid="matrix-cell">
                      <span className={`count ${band ? `band-${band}` : "count-empty"}`}>{env.queue.length}</span>
                      <span className="matrix-age">{env.queue.length > 0 ? `oldest ${env.queue[0].age}` : "up to date"}</span>
                    </td>
                  );
                })
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
