import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { render } from "../../test/render";
import { answer, argsOf } from "../../test/ipc";
import type { DoraDeploymentDto, DoraDto, DoraFigureDto, DoraMetricDto } from "../../ipc";
import { Metrics } from "./Metrics";
import { deploymentsBehind } from "./MetricsTables";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.restoreAllMocks();
});

function figure(metric: DoraMetricDto, name: string, shown: string, value: number | null, rank: number | null): DoraFigureDto {
  return {
    metric,
    name,
    value,
    shown,
    detail: "",
    count: 3,
    basis: "from 3 deployments",
    band: null,
    band_label: rank === null ? null : `band ${rank}`,
    band_rank: rank,
    definition: `How ${name} is measured.`,
    trend: [1, 2],
  };
}

function deployment(at: string, over: Partial<DoraDeploymentDto> = {}): DoraDeploymentDto {
  return {
    at,
    kind: "promote",
    source: "reflog",
    sha: `${at.slice(8, 10)}${"a".repeat(38)}`,
    short_sha: `${at.slice(8, 10)}aaaaaa`,
    run: null,
    changes: ["c1"],
    failure: null,
    unplanned: null,
    request: null,
    ...over,
  };
}

function dora(over: Partial<DoraDto> = {}): DoraDto {
  return {
    project: "payments",
    environment: "production",
    projects: ["payments"],
    environments: ["qa", "production"],
    from: "2026-11-04T00:00:00Z",
    to: "2026-12-04T00:00:00Z",
    days: 30,
    failure_window_hours: 72,
    figures: [
      figure("deployment_frequency", "Deployment frequency", "0.7 a week", 0.7, 2),
      figure("lead_time", "Change lead time", "2 d 3 h", 183_600, 2),
      figure("change_fail_rate", "Change fail rate", "33 %", 1 / 3, 2),
      figure("recovery_time", "Failed deployment recovery time", "3 h", 10_800, 1),
      figure("rework_rate", "Deployment rework rate", "67 %", 2 / 3, 4),
    ],
    empty: null,
    sources: "Deployments: 3 from the branch's reflog.",
    stages: [
      { label: "merged → qa", environment: "qa", median_seconds: 3600, p85_seconds: 7200 },
      { label: "qa → production", environment: "production", median_seconds: 172_800, p85_seconds: 259_200 },
    ],
    weeks: [
      { start: "2026-11-04T00:00:00Z", deployments: 2, failed: 1, unplanned: 1, changes: 1, stage_medians: [3600, 172_800], stage_p85s: [7200, 259_200] },
      { start: "2026-11-09T00:00:00Z", deployments: 1, failed: 0, unplanned: 1, changes: 0, stage_medians: [null, null], stage_p85s: [null, null] },
    ],
    deployments: [
      deployment("2026-11-05T10:00:00Z", {
        failure: {
          rule: "rolled_back",
          why: "it was rolled back",
          restored_at: "2026-11-05T13:00:00Z",
          restored_sha: "b".repeat(40),
          restored_kind: "rollback",
          recovery_seconds: 10_800,
        },
      }),
      deployment("2026-11-05T13:00:00Z", { kind: "rollback", unplanned: "rollback", changes: [] }),
      deployment("2026-11-10T10:00:00Z", { unplanned: "emergency", request: 12 }),
    ],
    changes: [
      {
        sha: "c".repeat(40),
        short_sha: "cccccccc",
        title: "Retry payouts",
        off_trunk: false,
        first_commit_at: "2026-11-03T07:00:00Z",
        merged_at: "2026-11-03T09:00:00Z",
        deployed_at: "2026-11-05T10:00:00Z",
        lead_seconds: 183_600,
        from_merge_seconds: 176_400,
        stage_waits: [3600, 172_800],
      },
    ],
    ...over,
  };
}

function sized() {
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
    const container = this.classList.contains("recharts-responsive-container");
    return DOMRect.fromRect(container ? { width: 720, height: 240 } : { width: 200, height: 20 });
  });
}

describe("metrics page", () => {
  it("shows the five figures with their bands and what is behind the one picked", async () => {
    sized();
    answer(invoke, { dora: () => dora() });
    render(<Metrics projects={["payments"]} />);
    await screen.findByTestId("metrics");
    expect(argsOf(invoke, "dora")).toEqual({ ask: { project: "payments", environment: null, since: null, days: 30, failure_window_hours: null } });
    const figures = ["deployment_frequency", "lead_time", "change_fail_rate", "recovery_time", "rework_rate"].map((m) => screen.getByTestId(`figure-${m}`));
    expect(figures.map((f) => f.querySelector(".dora-figure-value")?.textContent)).toEqual(["0.7 a week", "2 d 3 h", "33 %", "3 h", "67 %"]);
    expect(figures[4].querySelector(".dora-band")?.className).toContain("dora-band-4");

    // Frequency first: every deployment, newest first.
    const behind = () => screen.getByTestId("metrics-behind");
    expect(within(behind()).getAllByTestId("dora-deployment")).toHaveLength(3);
    fireEvent.click(figures[2]);
    const failed = within(behind()).getAllByTestId("dora-deployment");
    expect(failed).toHaveLength(1);
    expect(failed[0].textContent).toContain("it was rolled back");
    expect(failed[0].textContent).toContain("restored 3 h later by a rollback");
    expect(behind().textContent).toContain("How Change fail rate is measured.");

    fireEvent.click(figures[1]);
    const changes = within(behind()).getAllByTestId("dora-change");
    expect(changes[0].textContent).toContain("Retry payouts");
    expect(changes[0].textContent).toContain("qa → production 2 d");

    // The stages, stacked per week.
    const chart = screen.getByTestId("stage-chart");
    await waitFor(() => expect(chart.querySelectorAll(".recharts-bar").length).toBe(2));
    expect(screen.getByTestId("stage-summary").textContent).toContain("qa → production2 d · p85 3 d");
  });

  it("reads again for another window or environment", async () => {
    answer(invoke, { dora: (args: Record<string, unknown>) => dora({ days: (args.ask as { days: number }).days }) });
    render(<Metrics projects={["payments"]} />);
    await screen.findByTestId("metrics");
    fireEvent.click(screen.getByRole("button", { name: "90 days" }));
    await waitFor(() => expect(screen.getByTestId("metrics").dataset.days).toBe("90"));
    fireEvent.change(screen.getByTestId("metrics-env"), { target: { value: "qa" } });
    await waitFor(() => expect(argsOf(invoke, "dora")).toEqual({ ask: { project: "payments", environment: "qa", since: null, days: 90, failure_window_hours: null } }));
  });

  it("says so when the window has no deployments, and never shows 0 %", async () => {
    const none = dora({
      empty: "No deployments to production of payments between 2026-11-27 00:00 and 2026-12-04 00:00.",
      deployments: [],
      changes: [],
      figures: dora().figures.map((f) => ({ ...f, value: null, shown: "no deployments", band_label: null, band_rank: null, trend: [] })),
    });
    answer(invoke, { dora: none });
    render(<Metrics projects={["payments"]} />);
    expect((await screen.findByTestId("metrics-empty")).textContent).toContain("No deployments to production");
    expect(screen.getByTestId("figure-change_fail_rate").textContent).toContain("no deployments");
    expect(screen.getByTestId("figure-change_fail_rate").textContent).toContain("no band");
    expect(screen.queryByText("0 %")).toBeNull();
  });

  it("shows the core's refusal as a sentence", async () => {
    invoke.mockRejectedValue({ code: "invalid_input", message: "Project \"payments\" has no environment \"prod\"; it has qa, production." });
    render(<Metrics projects={["payments"]} />);
    expect((await screen.findByTestId("metrics-error")).textContent).toContain("has no environment");
  });

  it("lists the deployments each figure counts", () => {
    const all = dora().deployments;
    expect(deploymentsBehind(all, "deployment_frequency")).toHaveLength(3);
    expect(deploymentsBehind(all, "recovery_time").map((d) => d.at)).toEqual(["2026-11-05T10:00:00Z"]);
    expect(deploymentsBehind(all, "rework_rate").map((d) => d.unplanned)).toEqual(["rollback", "emergency"]);
  });
});
