import { useCallback, useState } from "react";
import { useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { metricsKeys, metricsQuery, useRead, type DoraDto, type DoraMetricDto } from "../../ipc";
import { Problem } from "../../shared/Problem";
import { whenShort } from "../../shared/format";
import { PAGE_PATH } from "../../shared/links";
import { FigureCard, StageChart } from "./MetricsCharts";
import { ChangeTable, DeploymentTable, deploymentsBehind } from "./MetricsTables";

/** The windows a lead picks from, in days. */
export const WINDOWS = [7, 30, 90, 365] as const;

type Pick = { project: string; environment: string | null; days: number };

/** For project leads: DORA's five metrics for one environment, where the time goes, and what is behind each figure. */
export function Metrics({ projects }: { projects: string[] }) {
  const [pick, setPick] = useState<Pick>({ project: projects[0] ?? "", environment: null, days: 30 });
  const project = projects.includes(pick.project) ? pick.project : (projects[0] ?? "");
  const ask = { project, environment: pick.environment, since: null, days: pick.days, failure_window_hours: null };
  const metrics = useRead(metricsQuery(ask), project !== "");
  const [focus, setFocus] = useState<DoraMetricDto>("deployment_frequency");
  const client = useQueryClient();
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: metricsKeys.all }), [client]);

  if (project === "") {
    return (
      <div className="page" data-testid="metrics">
        <h1 className="page-title">Metrics</h1>
        <div className="card card-empty">Add a project to see its delivery metrics.</div>
      </div>
    );
  }
  if (!metrics.loaded) return <div className="loading">Reading deployments and changes…</div>;
  if (metrics.value === null) {
    return (
      <Problem
        testId="metrics-error"
        title="Slipway can’t work out the metrics"
        error={metrics.error}
        note="Nothing was changed."
        action={{ label: "Try again", onClick: reload, busy: false }}
      />
    );
  }
  const view = metrics.value;
  return (
    <div className="page" data-testid="metrics" data-project={view.project} data-env={view.environment} data-days={view.days}>
      <div className="page-head">
        <div>
          <h1 className="page-title">Metrics</h1>
          <div className="page-sub">
            DORA’s five metrics for {view.project} · {view.environment}, from {whenShort(view.from)} · {view.sources}
          </div>
        </div>
        <Controls view={view} projects={projects} pick={{ ...pick, project }} onPick={setPick} />
      </div>
      {metrics.error && (
        <div className="stale" role="status">
          <strong>Not refreshed.</strong> {metrics.error.message}
        </div>
      )}
      {view.empty && (
        <div className="card card-empty" data-testid="metrics-empty">
          {view.empty}
        </div>
      )}
      <div className="dora-figures" role="group" aria-label="DORA metrics">
        {view.figures.map((f) => (
          <FigureCard key={f.metric} figure={f} weeks={view.weeks} active={focus === f.metric} onOpen={() => setFocus(f.metric)} />
        ))}
      </div>
      <StageChart view={view} />
      <Behind view={view} focus={focus} />
    </div>
  );
}

function Controls({ view, projects, pick, onPick }: { view: DoraDto; projects: string[]; pick: Pick; onPick: (p: Pick) => void }) {
  return (
    <div className="row">
      {projects.length > 1 && (
        <select
          className="select"
          value={pick.project}
          aria-label="Project"
          data-testid="metrics-project"
          onChange={(e) => onPick({ project: e.target.value, environment: null, days: pick.days })}
        >
          {projects.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      )}
      <select
        className="select"
        value={view.environment}
        aria-label="Environment"
        data-testid="metrics-env"
        onChange={(e) => onPick({ ...pick, environment: e.target.value })}
      >
        {view.environments.map((e) => (
          <option key={e}>{e}</option>
        ))}
      </select>
      <div className="segmented" role="group" aria-label="Window">
        {WINDOWS.map((d) => (
          <button key={d} className={pick.days === d ? "on" : ""} aria-pressed={pick.days === d} onClick={() => onPick({ ...pick, days: d })}>
            {d === 365 ? "1 year" : `${d} days`}
          </button>
        ))}
      </div>
    </div>
  );
}

/** What a figure is computed from: the deployments or the changes behind it, with how it is measured. */
function Behind({ view, focus }: { view: DoraDto; focus: DoraMetricDto }) {
  const navigate = useNavigate();
  const figure = view.figures.find((f) => f.metric === focus) ?? view.figures[0];
  const openRequest = (id: number) => void navigate(`${PAGE_PATH.requests}/${id}`);
  const rows = deploymentsBehind(view.deployments, focus);
  return (
    <section className="section" data-testid="metrics-behind" data-metric={figure.metric}>
      <h2 className="section-title">
        Behind “{figure.name}”{" "}
        <span className="section-count">{focus === "lead_time" ? view.changes.length : rows.length}</span>
      </h2>
      <div className="dora-definition">{figure.definition}</div>
      {focus === "lead_time" ? (
        <ChangeTable changes={view.changes} stages={view.stages.map((s) => s.label)} />
      ) : (
        <DeploymentTable deployments={rows} onRequest={openRequest} />
      )}
    </section>
  );
}
