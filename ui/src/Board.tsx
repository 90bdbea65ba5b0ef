import { useCallback, useState } from "react";
import type { BoardDto, ProjectBoardDto } from "./ipc.gen";
import { EnvironmentColumn, TrunkColumn } from "./Columns";
import { Problem } from "./Problem";
import { Matrix } from "./Matrix";
import { PreviewDrawer, type PreviewRequest } from "./Preview";
import { FetchControl, StaleBanner } from "./Fetch";
import { AddProject } from "./AddProject";
import { BAND_LABEL, summarise } from "./format";
import { Figure } from "./Layout";

export function Board({ board, onRefresh = () => undefined }: { board: BoardDto; onRefresh?: () => void }) {
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<"board" | "matrix">("board");
  const [preview, setPreview] = useState<PreviewRequest | null>(null);
  const closePreview = useCallback(() => setPreview(null), []);
  const [adding, setAdding] = useState(false);
  if (board.projects.length === 0) {
    return (
      <Problem
        testId="no-projects"
        tone="neutral"
        title="No projects in this workspace"
        error={{ code: "project_missing", message: "Add a project to see its pipeline here." }}
      />
    );
  }
  const project = board.projects[Math.min(selected, board.projects.length - 1)];
  return (
    <div className="board" data-testid="board">
      <nav className="tabs" aria-label="Projects">
        {board.projects.length > 1 &&
          board.projects.map((p, i) => (
            <button
              key={p.name}
              className={`tab ${mode === "board" && p === project ? "tab-active" : ""}`}
              onClick={() => {
                setSelected(i);
                setMode("board");
              }}
            >
              {p.name}
            </button>
          ))}
        <span className="tabs-spacer" />
        <button className="button" onClick={() => setAdding(true)} data-testid="add-project-button">
          Add project
        </button>
        <div className="segmented" role="group" aria-label="View">
          <button className={mode === "board" ? "on" : ""} onClick={() => setMode("board")} data-testid="view-board">
            Board
          </button>
          <button className={mode === "matrix" ? "on" : ""} onClick={() => setMode("matrix")} data-testid="view-matrix">
            Matrix
          </button>
        </div>
      </nav>
      {mode === "matrix" ? (
        <Matrix
          projects={board.projects}
          onOpen={(i) => {
            setSelected(i);
            setMode("board");
          }}
        />
      ) : (
        <ProjectBoard
          project={project}
          onRefresh={onRefresh}
          onPreview={(environment, to) => setPreview({ project: project.name, environment, to })}
        />
      )}
      {preview && <PreviewDrawer request={preview} onClose={closePreview} />}
      {adding && <AddProject onClose={() => setAdding(false)} onAdded={onRefresh} />}
    </div>
  );
}

function ProjectBoard({
  project,
  onPreview,
  onRefresh,
}: {
  project: ProjectBoardDto;
  onPreview: (environment: string, to: string | null) => void;
  onRefresh: () => void;
}) {
  const { waiting, oldest } = summarise(project);
  return (
    <section className="project" data-testid="project" data-project={project.name}>
      <div className="project-head">
        <div>
          <h1 className="project-name">{project.name}</h1>
          <div className="project-path">{project.repo_path}</div>
          <FetchControl project={project} onDone={onRefresh} />
        </div>
        {!project.error && (
          <div className="project-stats">
            <Figure value={String(waiting)} label={waiting === 1 ? "change waiting" : "changes waiting"} />
            <Figure value={oldest ? oldest.age : "—"} label={oldest ? `oldest wait, in ${oldest.environment}` : "nothing waits"} />
            <Figure value={String(project.environments.length)} label="environments" />
          </div>
        )}
      </div>
      <StaleBanner project={project} />
      {project.error ? (
        <Problem testId="project-error" title="Slipway can’t read this project" error={project.error} note="Nothing was changed. The board comes back as soon as the repository can be read." />
      ) : (
        <>
          <div className="columns">
            {project.trunk && <TrunkColumn trunk={project.trunk} />}
            {project.environments.map((env) => (
              <EnvironmentColumn key={env.name} column={env} onPreview={(to) => onPreview(env.name, to)} />
            ))}
          </div>
          <Legend />
        </>
      )}
    </section>
  );
}

function Legend() {
  return (
    <div className="legend" aria-label="Age colours">
      <span className="legend-title">Waiting</span>
      {(Object.keys(BAND_LABEL) as (keyof typeof BAND_LABEL)[]).map((band) => (
        <span key={band} className="legend-item">
          <span className={`dot band-${band}`} />
          {BAND_LABEL[band]}
        </span>
      ))}
    </div>
  );
}
