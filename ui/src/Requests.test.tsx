import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Requests } from "./Requests";
import { board, clock, request } from "./fixtures";
import type { RequestListDto, RequestSummaryDto } from "./ipc.gen";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.useRealTimers();
});

function listOf(requests: RequestSummaryDto[]): RequestListDto {
  return { generated_at: "2026-11-23T10:00:00Z", requests };
}

/** Clocks with 2 h 14 m (8,040 s) of a 4-hour goal left, in each of the states a countdown shows. */
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
      "2 h 14 m left",
      "2 h 14 m left · paused",
      "2 h 14 m left · outside business hours",
      "breached 35 m ago",
    ]);
  });

  it("ticks every second only while business time runs", async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValue(listOf(fourClocks()));
    render(<Requests board={board()} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(remaining()[0]).toBe("2 h 14 m left");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(remaining()[0]).toBe("2 h 13 m 59 s left");
    await act(() => vi.advanceTimersByTimeAsync(19_000));
    expect(remaining()).toEqual([
      "2 h 13 m 40 s left",
      "2 h 14 m left · paused",
      "2 h 14 m left · outside business hours",
      "breached 35 m 20 s ago",
    ]);
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
    expect(screen.getByTestId("new-request")).toBeTruthy();
  });

  it("shows the core's message when the list cannot be read", async () => {
    invoke.mockRejectedValue({ code: "database_unreadable", message: "The database file /ws/slipway.db cannot be read." });
    render(<Requests board={board()} />);
    expect((await screen.findByTestId("requests-error")).textContent).toContain("/ws/slipway.db cannot be read.");
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
