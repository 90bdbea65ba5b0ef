import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DoraDto, DoraFigureDto, DoraWeekDto } from "../../ipc";
import { span } from "../../shared/clock";
import { CHART_COLOURS as COLOURS, axisTick, tooltipStyle, waitUnit } from "../../shared/charts";

function weekLabel(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** One metric: its value, band and count, and a sparkline of its weekly trend; a click lists what is behind it. */
export function FigureCard({ figure, weeks, active, onOpen }: { figure: DoraFigureDto; weeks: DoraWeekDto[]; active: boolean; onOpen: () => void }) {
  const points = figure.trend.map((v, i) => ({ week: weeks[i]?.start ?? String(i), v }));
  const shown = figure.trend.filter((v) => v !== null).length >= 2;
  return (
    <button
      className={`card dora-figure ${active ? "dora-figure-on" : ""}`}
      onClick={onOpen}
      aria-pressed={active}
      title={figure.definition}
      data-testid={`figure-${figure.metric}`}
      data-value={figure.value ?? ""}
      data-count={figure.count}
    >
      <span className="dora-figure-name">{figure.name}</span>
      <span className={`dora-figure-value ${figure.value === null ? "dora-figure-none" : ""}`}>{figure.shown}</span>
      {figure.band_label ? (
        <span className={`badge dora-band dora-band-${figure.band_rank ?? 0}`} data-band={figure.band}>
          {figure.band_label}
        </span>
      ) : (
        <span className="badge dora-band dora-band-none">no band</span>
      )}
      <span className="dora-figure-basis">
        {figure.basis}
        {figure.detail && ` · ${figure.detail}`}
      </span>
      <span className="dora-spark" aria-hidden="true">
        {shown && (
          <ResponsiveContainer width="100%" height={34} initialDimension={{ width: 180, height: 34 }}>
            <LineChart data={points} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
              <Line type="monotone" dataKey="v" stroke="var(--accent)" strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </span>
    </button>
  );
}

type Row = { label: string } & Record<string, number | string | null>;

/** Where the time goes: each week's median (or p85) wait per stage, stacked, for the changes first deployed that week. */
export function StageChart({ view }: { view: DoraDto }) {
  const [measure, setMeasure] = useState<"median" | "p85">("median");
  const values = (w: DoraWeekDto) => (measure === "median" ? w.stage_medians : w.stage_p85s);
  const max = Math.max(0, ...view.weeks.map((w) => values(w).reduce<number>((sum, v) => sum + (v ?? 0), 0)));
  const unit = waitUnit(max);
  const rows: Row[] = view.weeks.map((w) => {
    const row: Row = { label: weekLabel(w.start) };
    values(w).forEach((v, i) => {
      row[view.stages[i].label] = v === null ? null : Math.round((v / unit.seconds) * 10) / 10;
    });
    return row;
  });
  const any = view.weeks.some((w) => values(w).some((v) => v !== null));
  return (
    <section className="card chart-card" data-testid="stage-chart" aria-label="Where the time goes">
      <div className="card-head">
        <div>
          <h2>Where the time goes</h2>
          <div className="card-sub">
            {measure === "median" ? "Median" : "85th percentile"} wait in each stage, in {unit.name === "d" ? "days" : "hours"}, for the changes
            that reached {view.environment} each week
          </div>
        </div>
        <div className="segmented" role="group" aria-label="Measure">
          {(["median", "p85"] as const).map((m) => (
            <button key={m} className={measure === m ? "on" : ""} aria-pressed={measure === m} onClick={() => setMeasure(m)}>
              {m === "median" ? "Median" : "p85"}
            </button>
          ))}
        </div>
      </div>
      <div className="dora-stages" data-testid="stage-summary">
        {view.stages.map((s, i) => (
          <div key={s.label} className="dora-stage">
            <span className="dora-stage-swatch" style={{ background: COLOURS[i % COLOURS.length] }} />
            <span className="dora-stage-label">{s.label}</span>
            <span className="dora-stage-value">
              {s.median_seconds === null ? "—" : span(s.median_seconds, { days: true })}
              <span className="muted"> · p85 {s.p85_seconds === null ? "—" : span(s.p85_seconds, { days: true })}</span>
            </span>
          </div>
        ))}
      </div>
      <div className="chart chart-main">
        {!any && <div className="chart-empty">No change reached {view.environment} in this window, so no wait to show.</div>}
        <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 720, height: 240 }}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={{ stroke: "var(--border)" }} minTickGap={12} />
            <YAxis tick={axisTick} tickLine={false} axisLine={false} width={44} tickFormatter={(v: number) => `${v} ${unit.name}`} />
            <Tooltip
              contentStyle={tooltipStyle}
              cursor={{ fill: "var(--surface-2)" }}
              formatter={(value) => (typeof value === "number" ? span(value * unit.seconds, { days: true }) : "—")}
            />
            <Legend wrapperStyle={{ fontSize: 12, color: "var(--text-2)" }} />
            {view.stages.map((s, i) => (
              <Bar key={s.label} dataKey={s.label} stackId="wait" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
