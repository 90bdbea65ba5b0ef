import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Requests } from "./Requests";
import { board, clock, request } from "../../test/fixtures";
import type { RequestListDto, RequestSummaryDto } from "../../ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function listOf(requests: RequestSummaryDto[]): RequestListDto {
  return { generated_at: "2026-11-23T10:00:00Z", requests };
}

/** Clocks with 2 h 14 min (8,040 s) of a 4-hour goal left, in each of the states a countdown shows. */
function fourClocks(): RequestSummaryDto[] {
  const goal = 4 * 3600;
  return [
    request(7, { urgent_clock: clock(goal - 8040, goal) }),
    request(2, { urgent_clock: clock(goal - 8040, goal, { running_now: false, paused: true }) }),
    request(9, { urgent_clock: clock(goal - 8040, goal, { running_now: false }) }),
    request(4, { urgent_clock: clock(goal + 2100, goal) }),
  ];
}

function remaining(): string[] {
  return screen.getAllByTestId("clock-remaining").map((e) => e.textContent ?? "");
}

describe("requests list", () => {
  it("keeps the backend's order: nearest breach first", async () => {
    invoke.mockResolvedValue(listOf([request(7), request(2), request(9)]));
    render(<Requests board={board()} />);
    await screen.findAllByTestId("request-row");
    expect(screen.getAllByTestId("request-row").map((r) => r.dataset.id)).toEqual(["7", "2", "9"]);
    expect(invoke).toHaveBeenCalledWith("list_requests", { all: false });
    const first = screen.getAllByTestId("request-row")[0];
    expect(first.textContent).toContain("Emergency");
    expect(first.textContent).toContain("SEV1");
    expect(first.textContent).toContain("Submitted");
    expect(first.textContent).toContain("bo@x");
  });

  it("writes each countdown as people read it: running, paused, outside business hours, breached", async () => {
    invoke.mockResolvedValue(listOf(fourClocks()));
    render(<Requests board={board()} />);
    await screen.findAllByTestId("request-row");
    expect(remaining()).toEqual([
      "2 h 14 min left",
      "2 h 14 min left · paused",
      "2 h 14 min left · outside business hours",
      "breached 35 min ago",
    ]);
  });

  it("ticks every second only while business time runs", async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValue(listOf(fourClocks()));
    render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(remaining()[0]).toBe("2 h 14 min left");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(remaining()[0]).toBe("2 h 13 min 59 s left");
    await act(() => vi.advanceTimersByTimeAsync(19_000));
    expect(remaining()).toEqual([
      "2 h 13 min 40 s left",
      "2 h 14 min left · paused",
      "2 h 14 min left · outside business hours",
      "breached 35 min 20 s ago",
    ]);
  });

  it("ticks every running clock from one shared timer, and keeps no timer when none runs", async () => {
    vi.useFakeTimers();
    const started = vi.spyOn(globalThis, "setInterval");
    const everySecond = () => started.mock.calls.filter(([, ms]) => ms === 1000).length;
    const goal = 4 * 3600;
    invoke.mockResolvedValue(listOf([request(1), request(2), request(3, { urgent_clock: clock(goal + 60, goal) })]));
    const { unmount } = render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getAllByTestId("clock-remaining").filter((e) => e.dataset.running === "true")).toHaveLength(3);
    expect(everySecond()).toBe(1);
    unmount();
    started.mockClear();

    invoke.mockResolvedValue(listOf([request(2, { urgent_clock: clock(60, goal, { running_now: false, paused: true }) })]));
    render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(remaining()).toEqual(["3 h 59 min left · paused"]);
    expect(everySecond()).toBe(0);
    started.mockRestore();
  });

  it("reads the list again every 30 seconds", async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValue(listOf([request(1)]));
    render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(invoke).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it("reads nothing while the window is hidden, and reads again as soon as it shows", async () => {
    vi.useFakeTimers();
    let hidden = true;
    vi.spyOn(document, "hidden", "get").mockImplementation(() => hidden);
    invoke.mockResolvedValue(listOf([request(1)]));
    render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(invoke).not.toHaveBeenCalled();
    hidden = false;
    await act(async () => {
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(screen.getAllByTestId("request-row")).toHaveLength(1);
  });

  it("says when no SLA policy covers a request", async () => {
    invoke.mockResolvedValue(listOf([request(3, { has_policy: false, urgent_clock: null })]));
    render(<Requests board={board()} />);
    expect((await screen.findByTestId("no-policy")).textContent).toBe("No SLA policy");
  });

  it("lists closed requests too when asked", async () => {
    invoke.mockResolvedValue(listOf([request(1)]));
    render(<Requests board={board()} />);
    await screen.findAllByTestId("request-row");
    fireEvent.click(screen.getByTestId("show-closed"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("list_requests", { all: true }));
  });

  it("explains an empty list and offers a new request", async () => {
    invoke.mockResolvedValue(listOf([]));
    render(<Requests board={board()} />);
    const empty = await screen.findByTestId("requests-empty");
    expect(empty.textContent).toContain("No open change requests");
    fireEvent.click(screen.getByText("New request", { selector: ".empty button" }));
    screen.getByTestId("new-request");
  });

  it("shows the core's message when the list cannot be read", async () => {
    invoke.mockRejectedValue({ code: "database_unreadable", message: "The database file /ws/slipway.db cannot be read." });
    render(<Requests board={board()} />);
    const problem = await screen.findByTestId("requests-error");
    expect(problem.textContent).toContain("/ws/slipway.db cannot be read.");
    expect(problem.textContent).toContain("tries again every 30 seconds");
  });

  it("opens a request's page from its row", async () => {
    invoke.mockImplementation((cmd: string) =>
      Promise.resolve(
        cmd === "list_requests"
          ? listOf([request(7)])
          : { summary: request(7), description: "", timeline: [], links: [], unknown_links: [] },
      ),
    );
    render(<Requests board={board()} />);
    fireEvent.click((await screen.findAllByTestId("request-row"))[0]);
    expect((await screen.findByTestId("request-page")).dataset.id).toBe("7");
    expect(invoke).toHaveBeenCalledWith("show_request", { id: 7 });
  });
});
