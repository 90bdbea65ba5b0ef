import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AgingSeriesDto } from "../../ipc";
import { span } from "../../shared/clock";
import { CHART_COLOURS as COLOURS, axisTick, tooltipStyle, waitUnit } from "../../shared/charts";

type Row = { at: string; label: string } & Record<string, number | string | null>;

function dayLabel(iso: string, last: boolean): string {
  if (last) return "now";
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** One row per day, one column per environment and measure (`qa:oldest`, `qa:median`, `qa:queued`). */
export function chartRows(series: AgingSeriesDto[]): Row[] {
  const byAt = new Map<string, Row>();
  for (const s of series) {
    for (const p of s.points) {
      const row = byAt.get(p.at) ?? ({ at: p.at, label: "" } as Row);
      row[`${s.environment}:oldest`] = p.oldest_seconds;
      row[`${s.environment}:median`] = p.median_seconds;
      row[`${s.environment}:queued`] = p.queued;
      byAt.set(p.at, row);
    }
  }
  const rows = [...byAt.values()].sort((a, b) => a.at.localeCompare(b.at));
  rows.forEach((r, i) => (r.label = dayLabel(r.at, i === rows.length - 1)));
  return rows;
}

const MEASURE_WORDS = {
  both: "Oldest (solid) and median (dashed) wait",
  oldest: "Oldest wait",
  median: "Median wait",
};

/** How waiting developed over the last four weeks: oldest and median wait per environment, and queue sizes. */
export function AgingChart({ history }: { history: AgingSeriesDto[] }) {
  const projects = [...new Set(history.map((s) => s.project))];
  const [picked, setPicked] = useState<string | null>(null);
  const project = picked && projects.includes(picked) ? picked : projects[0];
  const series = history.filter((s) => s.project === project);
  const [measure, setMeasure] = useState<"both" | "oldest" | "median">("both");
  const rows = chartRows(series);
  const max = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.oldest_seconds)));
  const unit = waitUnit(max);
  const scaled = rows.map((r) => {
    const out: Row = { ...r };
    for (const s of series) {
      for (const m of ["oldest", "median"]) {
        const v = r[`${s.environment}:${m}`];
        out[`${s.environment}:${m}`] = typeof v === "number" ? Math.round((v / unit.seconds) * 10) / 10 : null;
      }
    }
    return out;
  });
  const colour = (i: number) => COLOURS[i % COLOURS.length];

  return (
    <section className="card chart-card" data-testid="aging-chart" aria-label="Aging over the last four weeks">
      <div className="card-head">
        <div>
          <h2>Waiting over the last 4 weeks</h2>
          <div className="card-sub">
            {MEASURE_WORDS[measure]} per environment, in {unit.name === "d" ? "days" : "hours"}; one point a day
          </div>
        </div>
        <div className="row">
          {projects.length > 1 && (
            <select className="select" value={project} onChange={(e) => setPicked(e.target.value)} aria-label="Project" data-testid="chart-project">
              {projects.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
          <div className="segmented" role="group" aria-label="Measure">
            {(["both", "oldest", "median"] as const).map((m) => (
              <button key={m} className={measure === m ? "on" : ""} onClick={() => setMeasure(m)}>
                {m === "both" ? "Oldest + median" : m === "oldest" ? "Oldest" : "Median"}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className="chart chart-main">
        {rows.length === 0 && (
          <div className="chart-empty" data-testid="chart-empty">
            No history yet: Slipway draws this from the environments’ recorded moves, which start with the first deployment it
            sees.
          </div>
        )}
        <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 720, height: 260 }}>
          <LineChart data={scaled} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={{ stroke: "var(--border)" }} minTickGap={18} />
            <YAxis
              tick={axisTick}
              tickLine={false}
              axisLine={false}
              width={44}
              allowDecimals={unit.name === "d"}
              tickFormatter={(v: number) => `${v} ${unit.name}`}
            />
            <Tooltip
              contentStyle={tooltipStyle}
              labelStyle={{ color: "var(--text-2)", fontWeight: 600 }}
              itemSorter={(item) => -(Number(item.value) || 0)}
              formatter={(value) => (typeof value === "number" ? span(value * unit.seconds, { days: true }) : "—")}
            />
            <Legend wrapperStyle={{ fontSize: 12, color: "var(--text-2)" }} iconType="plainline" itemSorter={null} />
            {series.flatMap((s, i) => [
              measure !== "median" && (
                <Line
                  key={`${s.environment}:oldest`}
                  type="monotone"
                  dataKey={`${s.environment}:oldest`}
                  name={`${s.environment} · oldest`}
                  stroke={colour(i)}
                  strokeWidth={2}
                  dot={false}
                  activeDot={{ r: 4 }}
                  isAnimationActive={false}
                />
              ),
              measure !== "oldest" && (
                <Line
                  key={`${s.environment}:median`}
                  type="monotone"
                  dataKey={`${s.environment}:median`}
                  name={`${s.environment} · median`}
                  stroke={colour(i)}
                  strokeWidth={1.5}
                  strokeDasharray={measure === "both" ? "5 4" : undefined}
                  dot={false}
                  activeDot={{ r: 3 }}
                  isAnimationActive={false}
                />
              ),
            ])}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="chart-subtitle">Changes waiting, per day</div>
      <div className="chart chart-small" data-testid="queued-chart">
        <ResponsiveContainer width="100%" height={130} initialDimension={{ width: 720, height: 130 }}>
          <BarChart data={rows} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={{ stroke: "var(--border)" }} minTickGap={18} />
            <YAxis tick={axisTick} tickLine={false} axisLine={false} width={44} allowDecimals={false} />
            <Tooltip contentStyle={tooltipStyle} cursor={{ fill: "var(--surface-2)" }} />
            {series.map((s, i) => (
              <Bar
                key={s.environment}
                dataKey={`${s.environment}:queued`}
                name={s.environment}
                stackId="queued"
                fill={colour(i)}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
