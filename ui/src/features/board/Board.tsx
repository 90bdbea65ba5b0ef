import { useCallback, useEffect, useState } from "react";
import { useLocation } from "react-router";
import { AGE_BAND_SPAN, type BoardDto, type ProjectBoardDto } from "../../ipc";
import { Problem } from "../../shared/Problem";
import { AGE_BANDS, summarise } from "../../shared/format";
import { Figure } from "../../shared/Section";
import { DeploySettingsDrawer, FollowUps, HistoryDrawer, HoldModal, HotfixDrawer, PromotionDrawer, RollbackDrawer } from "../promotion";
import { DriftDrawer, GuardDrawer } from "../guard";
import { Menu } from "../../shared/Menu";
import { EnvironmentColumn, TrunkColumn, type EnvActions } from "./Columns";
import { Matrix } from "./Matrix";
import { FetchControl, StaleBanner } from "./Fetch";
import { AddProject } from "./AddProject";
import { FocusContext, bringIntoView } from "./focus";
import type { Focus } from "../../shared/links";

/** The drawer or dialog open over the board, and which environment it is about. */
type EnvironmentDialog = { project: string; environment: string } & (
  | { kind: "promote"; to: string | null }
  | { kind: "hotfix"; sha: string }
  | { kind: "rollback" }
  | { kind: "history" }
  | { kind: "settings" }
  | { kind: "hold" }
);

/** A drawer about the whole project: its config guard, or the config drift between two environments. */
type ProjectDialog = { project: string; kind: "guard" } | { project: string; kind: "drift" };

type Dialog = EnvironmentDialog | ProjectDialog;

/** The pipeline board; `onRefresh` is told whenever an act on it may have changed what the core says. */
export function Board({ board, onRefresh = () => undefined }: { board: BoardDto; onRefresh?: () => void }) {
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<"board" | "matrix">("board");
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);
  const [adding, setAdding] = useState(false);
  // A palette hit: its project is picked, and what it names is brought into view.
  const focus = (useLocation().state as { focus?: Focus } | null)?.focus ?? null;
  const focusedProject = focus === null ? -1 : board.projects.findIndex((p) => p.name === focus.project);
  useEffect(() => {
    if (focusedProject < 0) return;
    setSelected(focusedProject);
    setMode("board");
  }, [focus, focusedProject]);
  useEffect(() => (focus ? bringIntoView(focus) : undefined), [focus, selected, mode]);
  if (board.projects.length === 0) {
    return (
      <>
        <NextSteps onAdd={() => setAdding(true)} />
        {adding && <AddProject onClose={() => setAdding(false)} onAdded={onRefresh} />}
      </>
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
        <FocusContext.Provider value={focus}>
          <ProjectBoard project={project} onRefresh={onRefresh} onOpen={setDialog} />
        </FocusContext.Provider>
      )}
      {dialog && <DialogView dialog={dialog} board={board} onOpen={setDialog} onClose={closeDialog} onRefresh={onRefresh} />}
      {adding && <AddProject onClose={() => setAdding(false)} onAdded={onRefresh} />}
    </div>
  );
}

/** An empty workspace: what to do next, in order. */
function NextSteps({ onAdd }: { onAdd: () => void }) {
  return (
    <section className="card next-steps" data-testid="no-projects">
      <h2>Your workspace is ready</h2>
      <p className="muted">Three steps to a board that tells you what waits where.</p>
      <ol className="next-steps-list">
        <li>
          <div>
            <strong>Add a project</strong>
            <span className="hint">Pick a local clone: Slipway reads its branches and tags and proposes the pipeline.</span>
          </div>
          <button className="button button-primary" onClick={onAdd} data-testid="add-project-button">
            Add project
          </button>
        </li>
        <li>
          <div>
            <strong>Configure a deploy action</strong>
            <span className="hint">Each environment’s menu on the board has Deploy settings: a command or a webhook that runs on promotion.</span>
          </div>
        </li>
        <li>
          <div>
            <strong>Invite people</strong>
            <span className="hint">Add stakeholders and their channels under Notifications, so breaches and sign-offs reach someone.</span>
          </div>
        </li>
      </ol>
    </section>
  );
}

/** Whichever drawer or dialog is open, fed the board's newest view of its project or environment. */
function DialogView({
  dialog,
  board,
  onOpen,
  onClose,
  onRefresh,
}: {
  dialog: Dialog;
  board: BoardDto;
  onOpen: (d: Dialog) => void;
  onClose: () => void;
  onRefresh: () => void;
}) {
  const { project } = dialog;
  if (dialog.kind === "guard") return <GuardDrawer project={project} onClose={onClose} onCompare={() => onOpen({ project, kind: "drift" })} />;
  if (dialog.kind === "drift") {
    const environments = board.projects.find((p) => p.name === project)?.environments.map((e) => e.name) ?? [];
    return <DriftDrawer project={project} environments={environments} onClose={onClose} onGuard={() => onOpen({ project, kind: "guard" })} />;
  }
  return <EnvironmentDialogView dialog={dialog} board={board} onOpen={onOpen} onClose={onClose} onRefresh={onRefresh} />;
}

function EnvironmentDialogView({
  dialog,
  board,
  onOpen,
  onClose,
  onRefresh,
}: {
  dialog: EnvironmentDialog;
  board: BoardDto;
  onOpen: (d: Dialog) => void;
  onClose: () => void;
  onRefresh: () => void;
}) {
  const { project, environment } = dialog;
  const column = board.projects.find((p) => p.name === project)?.environments.find((e) => e.name === environment);
  const rollback = () => onOpen({ project, environment, kind: "rollback" });
  switch (dialog.kind) {
    case "promote":
      return (
        <PromotionDrawer
          request={{ project, environment, to: dialog.to }}
          onClose={onClose}
          onChanged={onRefresh}
          onRollback={rollback}
          onHotfix={(sha) => onOpen({ project, environment, kind: "hotfix", sha })}
        />
      );
    case "hotfix":
      return column ? (
        <HotfixDrawer project={project} column={column} sha={dialog.sha} onClose={onClose} onChanged={onRefresh} onRollback={rollback} />
      ) : null;
    case "rollback":
      return <RollbackDrawer project={project} environment={environment} frozen={column?.frozen ?? []} onClose={onClose} onChanged={onRefresh} />;
    case "history":
      return <HistoryDrawer project={project} environment={environment} onClose={onClose} onChanged={onRefresh} />;
    case "settings":
      return <DeploySettingsDrawer project={project} environment={environment} onClose={onClose} />;
    case "hold":
      return <HoldModal project={project} environment={environment} onClose={onClose} onHeld={onRefresh} />;
  }
}

function ProjectBoard({
  project,
  onOpen,
  onRefresh,
}: {
  project: ProjectBoardDto;
  onOpen: (dialog: Dialog) => void;
  onRefresh: () => void;
}) {
  const { waiting, oldest } = summarise(project);
  const actionsFor = (environment: string): EnvActions => {
    const at = { project: project.name, environment };
    return {
      promote: (to) => onOpen({ ...at, kind: "promote", to }),
      hotfix: (sha) => onOpen({ ...at, kind: "hotfix", sha }),
      rollback: () => onOpen({ ...at, kind: "rollback" }),
      history: () => onOpen({ ...at, kind: "history" }),
      settings: () => onOpen({ ...at, kind: "settings" }),
      hold: () => onOpen({ ...at, kind: "hold" }),
      changed: onRefresh,
    };
  };
  return (
    <section className="project" data-testid="project" data-project={project.name}>
      <div className="project-head">
        <div>
          <div className="project-title-row">
            <h1 className="project-name">{project.name}</h1>
            {!project.error && (
              <Menu
                label={`More for ${project.name}`}
                testId="project-menu"
                items={[
                  {
                    label: "Config guard…",
                    onSelect: () => onOpen({ project: project.name, kind: "guard" }),
                    testId: "open-config-guard",
                    hint: "What the guard looks for in a promotion, and how much it weighs in each environment",
                  },
                  {
                    label: "Compare config…",
                    onSelect: () => onOpen({ project: project.name, kind: "drift" }),
                    testId: "open-config-drift",
                    disabled: project.environments.length < 2,
                    hint: "The config files that differ between two environments",
                  },
                ]}
              />
            )}
          </div>
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
      <FollowUps items={project.follow_ups} onClosed={onRefresh} />
      {project.error ? (
        <Problem testId="project-error" title="Slipway can’t read this project" error={project.error} note="Nothing was changed. The board comes back as soon as the repository can be read." />
      ) : (
        <>
          <div className="columns">
            {project.trunk && <TrunkColumn trunk={project.trunk} />}
            {project.environments.map((env) => (
              <EnvironmentColumn key={env.name} project={project.name} column={env} on={actionsFor(env.name)} />
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
      {AGE_BANDS.map((band) => (
        <span key={band} className="legend-item">
          <span className={`dot band-${band}`} />
          {AGE_BAND_SPAN[band]}
        </span>
      ))}
    </div>
  );
}
