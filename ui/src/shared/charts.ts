import "./charts.css";

/** Colours of a chart's series, in pipeline order; the theme sets them (see base.css). */
export const CHART_COLOURS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)"];

/** Waits are drawn in hours, or in days once the largest passes two days. */
export function waitUnit(maxSeconds: number): { seconds: number; name: "h" | "d" } {
  return maxSeconds > 48 * 3600 ? { seconds: 86_400, name: "d" } : { seconds: 3600, name: "h" };
}

export const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: 8,
  boxShadow: "var(--shadow)",
  color: "var(--text)",
  fontSize: 12,
};

export const axisTick = { fill: "var(--text-3)", fontSize: 11 };
