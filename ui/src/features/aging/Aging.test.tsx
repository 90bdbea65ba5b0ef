import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Aging } from "./Aging";
import { chartRows } from "./AgingChart";
import { waitUnit } from "../../shared/charts";
import { aging, queued } from "../../test/fixtures";
import type { AgingChangeDto } from "../../ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.restoreAllMocks();
});

/** jsdom lays nothing out: give the charts' containers a size so recharts draws. */
function sized() {
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
    const container = this.classList.contains("recharts-responsive-container");
    return DOMRect.fromRect(container ? { width: 720, height: 260 } : { width: 200, height: 20 });
  });
}

describe("aging view", () => {
  it("draws the four-week chart and lists requests and queued changes by age", async () => {
    sized();
    invoke.mockResolvedValue(aging());
    render(<Aging />);
    const chart = await screen.findByTestId("aging-chart");
    expect(invoke).toHaveBeenCalledWith("aging", {});
    // One line per environment and measure, and the queue sizes as bars.
    await waitFor(() => expect(chart.querySelectorAll(".recharts-line").length).toBe(4));
    screen.getByTestId("queued-chart");
    expect(Array.from(chart.querySelectorAll(".recharts-legend-item-text")).map((e) => e.textContent)).toEqual([
      "qa · oldest",
      "qa · median",
      "staging · oldest",
      "staging · median",
    ]);

    const requests = screen.getByTestId("aging-requests");
    expect(Array.from(requests.querySelectorAll<HTMLElement>("[data-testid=request-row]")).map((r) => r.dataset.id)).toEqual(["3"]);
    expect(requests.querySelector("[data-testid=clock-remaining]")?.textContent).toBe("3 h left");

    const rows = screen.getAllByTestId("aging-change");
    expect(rows.map((r) => r.dataset.env)).toEqual(["qa", "staging"]);
    expect(rows[0].textContent).toContain("payments");
    expect(rows[0].textContent).toContain("2 d 7 h");
    expect(rows[0].querySelector("[data-testid=late-badge]")?.textContent).toBe("late");
    expect(rows[0].textContent).toContain("138 %");
    expect(rows[1].querySelector("[data-testid=late-badge]")).toBeNull();
    expect(rows[1].textContent).toContain("12 %");
    expect(screen.getByTestId("late-count").textContent).toBe("1");
  });

  it("shows medians alone when asked", async () => {
    sized();
    invoke.mockResolvedValue(aging());
    render(<Aging />);
    const chart = await screen.findByTestId("aging-chart");
    fireEvent.click(screen.getByText("Median", { selector: "button" }));
    await waitFor(() => expect(chart.querySelectorAll(".recharts-line").length).toBe(2));
  });

  it("says why it cannot be shown", async () => {
    invoke.mockRejectedValue({ code: "database_unreachable", message: "The team database at db.example cannot be reached." });
    render(<Aging />);
    expect((await screen.findByTestId("aging-error")).textContent).toContain("cannot be reached.");
  });

  it("virtualises a long list of queued changes", async () => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(560);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(960);
    vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockReturnValue(52);
    const many: AgingChangeDto[] = Array.from({ length: 2000 }, (_, i) => ({
      project: "payments",
      environment: "qa",
      change: queued(String(i).padStart(6, "0"), 1e6 - i, "late"),
    }));
    invoke.mockResolvedValue({ ...aging(), changes: many });
    render(<Aging />);
    const list = await screen.findByTestId("aging-changes");
    expect(list.dataset.virtual).toBe("true");
    const rows = screen.getAllByTestId("aging-change");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0].dataset.sha).toBe(many[0].change.sha);
  });
});

describe("chart data", () => {
  it("puts every environment's day on one row, oldest day first", () => {
    const rows = chartRows(aging().history);
    expect(rows).toHaveLength(3);
    expect(rows[0]["qa:oldest"]).toBe(36_000);
    expect(rows[2]["staging:queued"]).toBe(3);
    expect(rows[2].label).toBe("now");
  });
  it("draws long waits in days", () => {
    expect(waitUnit(3 * 86_400).name).toBe("d");
    expect(waitUnit(20 * 3600).name).toBe("h");
  });
});

describe("aging chart without history", () => {
  it("still draws its frame and says why it is empty", async () => {
    invoke.mockResolvedValue({ ...aging(), history: [] });
    render(<Aging />);
    expect((await screen.findByTestId("chart-empty")).textContent).toContain("No history yet");
    screen.getByTestId("aging-chart");
  });
});
