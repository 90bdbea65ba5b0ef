import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { render } from "../test/render";
import { App } from "./App";
import { aging, board, request } from "../test/fixtures";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: () => Promise.resolve(() => undefined) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const answers: Record<string, unknown> = {
  app_info: { version: "0.1.0", workspace: "/ws", workspace_exists: true, log_dir: "/ws/logs" },
  load_board: board(),
  list_requests: { generated_at: "2026-11-23T10:00:00Z", requests: [request(4)] },
  aging: aging(),
  inbox: [],
};

describe("navigation", () => {
  it("moves between the board, the requests and the aging view", async () => {
    invoke.mockImplementation((cmd: string) => Promise.resolve(answers[cmd]));
    render(<App />);
    await screen.findByTestId("board");
    expect(screen.getByTestId("nav-board").getAttribute("aria-current")).toBe("page");

    fireEvent.click(screen.getByTestId("nav-requests"));
    expect((await screen.findAllByTestId("request-row")).map((r) => r.dataset.id)).toEqual(["4"]);
    expect(screen.queryByTestId("board")).toBeNull();
    expect(screen.getByTestId("nav-requests").getAttribute("aria-current")).toBe("page");

    fireEvent.click(screen.getByTestId("nav-aging"));
    await screen.findByTestId("aging-chart");

    fireEvent.click(screen.getByTestId("nav-board"));
    expect(screen.getAllByTestId("env-column")).toHaveLength(3);
  });
});
