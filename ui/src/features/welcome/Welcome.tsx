import { useState } from "react";
import { useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { open } from "@tauri-apps/plugin-dialog";
import { api, useAct, type AppInfoDto, type PipelineProposalDto } from "../../ipc";
import { Logo } from "../../shared/Logo";
import { PipelineEditor, rowsOf, specsOf, type EnvRow } from "../../shared/PipelineEditor";
import { PAGE_PATH } from "../../shared/links";

/** The system's folder dialog; `null` when it was closed (or there is none, as in tests). */
async function pickFolder(title: string): Promise<string | null> {
  const picked = await open({ directory: true, multiple: false, title }).catch(() => null);
  return typeof picked === "string" ? picked : null;
}

/**
 * The first run, in a folder without a workspace: start with your own repository (its pipeline
 * detected, edited, then created), join a team's workspace folder, or look around in a demo.
 */
export function Welcome({ info }: { info: AppInfoDto }) {
  const [proposal, setProposal] = useState<PipelineProposalDto | null>(null);
  return (
    <div className="welcome" data-testid="welcome">
      <header className="welcome-head">
        <Logo />
        <div>
          <h1 className="welcome-title">Welcome to Slipway</h1>
          <p className="welcome-lead">
            Every environment’s queue of merged changes, with how long each has waited — so no patch waits unnoticed. There is no workspace in{" "}
            <code>{info.workspace}</code> yet.
          </p>
        </div>
      </header>
      {proposal ? <ReviewPipeline proposal={proposal} onBack={() => setProposal(null)} /> : <WaysIn onDetected={setProposal} />}
    </div>
  );
}

/** The three ways in. */
function WaysIn({ onDetected }: { onDetected: (p: PipelineProposalDto) => void }) {
  const client = useQueryClient();
  const [repo, setRepo] = useState("");
  const [folder, setFolder] = useState("");
  const detect = useAct((path: string) => api.app.detectPipeline(path), { onDone: onDetected });
  const demo = useAct(() => api.app.createDemo(), { onDone: () => void client.invalidateQueries() });
  const join = useAct((path: string) => api.app.setSetting("workspace", path), { onDone: () => void client.invalidateQueries() });
  const browse = async () => {
    const picked = await pickFolder("Choose your repository’s local clone");
    if (picked) {
      setRepo(picked);
      void detect.send(picked);
    }
  };
  return (
    <div className="welcome-ways">
      <section className="card welcome-way welcome-way-main" data-testid="way-repository">
        <h2>Start with my repository</h2>
        <p className="muted">Pick a local clone. Slipway reads its branches and tags, proposes the pipeline, and you adjust it before anything is stored.</p>
        <form
          className="welcome-form"
          onSubmit={(e) => {
            e.preventDefault();
            void detect.send(repo.trim());
          }}
        >
          <span className="row">
            <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="/home/me/src/payments" aria-label="The clone’s folder" data-testid="repo-path" />
            <button type="button" className="button" onClick={() => void browse()}>
              Browse…
            </button>
          </span>
          <button type="submit" className="button button-primary" disabled={detect.busy || !repo.trim()} data-testid="detect">
            {detect.busy ? "Reading the repository…" : "Read its pipeline"}
          </button>
        </form>
        {detect.error && (
          <div className="inline-error" role="alert" data-testid="detect-error">
            {detect.error.message}
          </div>
        )}
      </section>
      <section className="card welcome-way" data-testid="way-team">
        <h2>Join a team workspace</h2>
        <p className="muted">
          A team shares one PostgreSQL database, named by <code>database_url</code> in its workspace’s <code>slipway.toml</code>. Open that folder; signing in with your own database login comes with team mode.
        </p>
        <form
          className="welcome-form"
          onSubmit={(e) => {
            e.preventDefault();
            void join.send(folder.trim());
          }}
        >
          <span className="row">
            <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/srv/slipway/team" aria-label="The team workspace’s folder" />
            <button type="button" className="button" onClick={() => void pickFolder("Choose the team’s workspace folder").then((f) => f && setFolder(f))}>
              Browse…
            </button>
          </span>
          <button type="submit" className="button" disabled={join.busy || !folder.trim()}>
            Open workspace
          </button>
        </form>
        {join.error && (
          <div className="inline-error" role="alert">
            {join.error.message}
          </div>
        )}
      </section>
      <section className="card welcome-way" data-testid="way-demo">
        <h2>Look around with a demo</h2>
        <p className="muted">A payments repository with a month of history, three environments and their queues, made here. Nothing leaves this machine.</p>
        <button className="button" onClick={() => void demo.send()} disabled={demo.busy} data-testid="create-demo">
          {demo.busy ? "Creating…" : "Create demo workspace"}
        </button>
        {demo.error && (
          <div className="inline-error" role="alert">
            {demo.error.message}
          </div>
        )}
      </section>
    </div>
  );
}

/** The detected pipeline, editable, and the button that makes the workspace with it. */
function ReviewPipeline({ proposal, onBack }: { proposal: PipelineProposalDto; onBack: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(proposal.suggested_name);
  const [trunk, setTrunk] = useState(proposal.trunk);
  const [rows, setRows] = useState<EnvRow[]>(rowsOf(proposal));
  const create = useAct(() => api.app.startWithRepository(name.trim(), proposal.repo_path, trunk.trim(), specsOf(rows)), {
    onDone: () => {
      void navigate(PAGE_PATH.board);
      void client.invalidateQueries();
    },
  });
  return (
    <form
      className="card welcome-review"
      data-testid="review-pipeline"
      onSubmit={(e) => {
        e.preventDefault();
        void create.send();
      }}
    >
      <h2>Your pipeline</h2>
      <p className="muted">
        Read from <code>{proposal.repo_path}</code> (remote {proposal.remote}). Rename, reorder or remove environments; nothing is stored until you create the workspace.
      </p>
      <div className="form-grid">
        <label className="field">
          Project name
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="project-name" required />
        </label>
        <label className="field">
          Trunk branch
          <input value={trunk} onChange={(e) => setTrunk(e.target.value)} data-testid="trunk" required />
          <span className="hint">{proposal.trunk_evidence}</span>
        </label>
      </div>
      {rows.length === 0 && (
        <p className="notice" data-testid="nothing-detected">
          No environment was found. {proposal.looked_for} Add them below.
        </p>
      )}
      <PipelineEditor rows={rows} onChange={setRows} />
      {create.error && (
        <div className="inline-error" role="alert" data-testid="create-error">
          {create.error.message}
        </div>
      )}
      <div className="row modal-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button button-primary" disabled={create.busy || rows.length === 0} data-testid="create-workspace">
          {create.busy ? "Creating…" : "Create workspace"}
        </button>
      </div>
    </form>
  );
}
