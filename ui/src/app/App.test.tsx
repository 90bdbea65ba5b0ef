import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { render } from "../test/render";
import { App } from "./App";
import { aging, appInfo, board, request, settings } from "../test/fixtures";
import { deferred } from "../test/ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
// Each test may hold the shell's listeners back, as a webview still starting does.
let listening: Promise<unknown> = Promise.resolve();
vi.mock("@tauri-apps/api/event", () => ({ listen: () => listening.then(() => () => undefined) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  listening = Promise.resolve();
});

const answers: Record<string, unknown> = {
  app_info: appInfo(),
  settings: settings(),
  load_board: board(),
  list_requests: { generated_at: "2026-11-23T10:00:00Z", requests: [request(4)] },
  aging: aging(),
  inbox: [],
  follow_ups: [],
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

    fireEvent.click(screen.getByTestId("nav-follow_ups"));
    await screen.findByTestId("follow-ups-empty");
    expect(screen.getByTestId("nav-follow_ups").getAttribute("aria-current")).toBe("page");

    fireEvent.click(screen.getByTestId("nav-board"));
    expect(screen.getAllByTestId("env-column")).toHaveLength(3);
  });
});

describe("keeping the board current", () => {
  it("reads the board again once it listens, so a fetch told before then is not missed", async () => {
    const shell = deferred<null>();
    listening = shell.promise;
    // The first read is answered before the start-up fetch ends; the fetch's news goes out
    // before the window listens, so only a read after listening can show it.
    let fetched = false;
    const fetchedBoard = board();
    fetchedBoard.projects[0].fetch = { last_attempt: "2026-11-23T10:05:00Z", last_success: "2026-11-23T10:05:00Z", error: null, stale: false };
    invoke.mockImplementation((cmd: string) => Promise.resolve(cmd === "load_board" && fetched ? fetchedBoard : answers[cmd]));
    render(<App />);
    expect((await screen.findByTestId("fetched-at")).textContent).toBe("Not fetched yet");
    fetched = true;
    shell.resolve(null);
    await screen.findByText(/^Fetched /);
  });
});

describe("where the window opens", () => {
  it("follows the link it was started on", async () => {
    const started = { ...answers, window_start: { link: { page: "inbox", request: null, follow_up: null, acknowledge: false }, last_page: "/requests" } };
    invoke.mockImplementation((cmd: string) => Promise.resolve(started[cmd as keyof typeof started]));
    render(<App />);
    await screen.findByTestId("inbox");
    expect(screen.getByTestId("nav-inbox").getAttribute("aria-current")).toBe("page");
  });

  it("opens on the page it showed last, and keeps the one it shows", async () => {
    const kept = { ...answers, window_start: { link: null, last_page: "/requests" } };
    invoke.mockImplementation((cmd: string) => Promise.resolve(kept[cmd as keyof typeof kept]));
    render(<App />);
    await screen.findAllByTestId("request-row");
    fireEvent.click(screen.getByTestId("nav-follow_ups"));
    await screen.findByTestId("follow-ups-empty");
    const remembered = invoke.mock.calls.filter((c) => c[0] === "remember_page").map((c) => (c[1] as { route: string }).route);
    expect(remembered).toEqual(["/requests", "/follow-ups"]);
  });

  it("ignores a kept page that is not one of the app's", async () => {
    const odd = { ...answers, window_start: { link: null, last_page: "/delete-everything" } };
    invoke.mockImplementation((cmd: string) => Promise.resolve(odd[cmd as keyof typeof odd]));
    render(<App />);
    await screen.findByTestId("board");
  });
});

describe("who you are and the first run", () => {
  it("shows who you act as in the header and opens the settings from it", async () => {
    invoke.mockImplementation((cmd: string) => Promise.resolve(answers[cmd]));
    render(<App />);
    const me = await screen.findByTestId("me");
    expect(me.textContent).toContain("Rita Moss");
    expect(me.dataset.email).toBe("rm@example.com");
    fireEvent.click(me);
    await screen.findByTestId("settings");
    expect(screen.queryByTestId("board")).toBeNull();
  });

  it("asks who you are when nobody is known", async () => {
    const unknown: Record<string, unknown> = { ...answers, app_info: appInfo({ me: null, my_name: "" }) };
    invoke.mockImplementation((cmd: string) => Promise.resolve(unknown[cmd]));
    render(<App />);
    expect((await screen.findByTestId("me")).textContent).toContain("Who are you?");
  });

  it("opens on the welcome page when the folder has no workspace", async () => {
    const empty: Record<string, unknown> = { ...answers, app_info: appInfo({ workspace_exists: false }), settings: settings({ workspace_exists: false }) };
    invoke.mockImplementation((cmd: string) => Promise.resolve(empty[cmd]));
    render(<App />);
    await screen.findByTestId("welcome");
    for (const way of ["way-repository", "way-team", "way-demo"]) expect(screen.getByTestId(way)).toBeTruthy();
    expect(invoke.mock.calls.some((c) => c[0] === "load_board")).toBe(false);
  });
});
