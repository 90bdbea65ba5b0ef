import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "./Board";
import { board, change, clock, column, queued } from "../../test/fixtures";
import { toApiError } from "../../ipc";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("Board", () => {
  it("shows each environment's queue in order with its count", () => {
    render(<Board board={board()} />);
    const columns = screen.getAllByTestId("env-column");
    expect(columns.map((c) => c.dataset.env)).toEqual(["qa", "staging", "production"]);
    const staging = columns[1];
    expect(staging.querySelector("[data-testid=queue-count]")?.textContent).toBe("2");
    const shas = Array.from(staging.querySelectorAll<HTMLElement>("[data-testid=queued-change]")).map((r) => r.dataset.sha?.slice(0, 4));
    expect(shas).toEqual(["bbbb", "cccc"]);
    expect(staging.querySelector("[data-testid=age]")?.className).toContain("band-aging");
    expect(columns[2].textContent).toContain("Up to date with staging");
  });

  it("explains a project that cannot be read instead of showing columns", () => {
    const b = board();
    b.projects[0].error = { code: "repository_missing", message: "The repository folder /x does not exist." };
    render(<Board board={b} />);
    expect(screen.getByTestId("project-error").textContent).toContain("/x does not exist");
    expect(screen.queryAllByTestId("env-column")).toHaveLength(0);
  });
});

describe("QueueList", () => {
  it("renders short queues in full and virtualises long ones", async () => {
    // jsdom has no layout: give every element a column-sized box (TanStack Virtual reads the
    // scroller's client size and each row's offset size).
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(640);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(320);
    vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockReturnValue(62);
    const many = Array.from({ length: 10_000 }, (_, i) => queued(String(i).padStart(6, "0"), 10_000 - i, "late"));
    const b = board();
    b.projects[0].environments[0] = column("qa", many);
    render(<Board board={b} />);
    const qa = screen.getAllByTestId("env-column")[0];
    expect(qa.querySelector("[data-testid=queue-count]")?.textContent).toBe("10000");
    const list = qa.querySelector("[data-testid=queue]") as HTMLElement;
    expect(list.dataset.virtual).toBe("true");
    // Only a window of rows is in the document, never all ten thousand.
    await waitFor(() => expect(qa.querySelectorAll("[data-testid=queued-change]").length).toBeGreaterThan(5));
    const rows = Array.from(qa.querySelectorAll<HTMLElement>("[data-testid=queued-change]"));
    expect(rows.length).toBeLessThan(100);
    // The window starts at the oldest change.
    expect(rows[0].dataset.sha).toBe(many[0].sha);
  });

  it("shows what a blocker says and pairs a change with its revert", () => {
    const b = board();
    const q = queued("dddd", 60, "fresh");
    q.blockers.push({ kind: "reverted_later", sentence: "reverted by 12345678 later in this queue" });
    const revert = queued("eeee", 30, "fresh");
    revert.reverts = q.sha;
    b.projects[0].environments[0] = column("qa", [q, revert]);
    render(<Board board={b} />);
    const row = screen.getAllByTestId("queued-change")[0];
    expect(row.getAttribute("title")).toContain("reverted by 12345678");
    expect(row.textContent).toContain("Reverted later in this queue");
    expect(screen.getByTestId("reverts-pair").textContent).toBe("Reverts #12, earlier in this queue");
  });

  it("marks a change that already shipped as another commit, without an age band", () => {
    const b = board();
    const fixed = queued("aaaa", 7200, "waiting", "2 h");
    fixed.band = null;
    fixed.blockers = [];
    fixed.shipped_as = {
      sha: "9999".repeat(10),
      at: "2026-11-23T09:00:00Z",
      how: "cherry_picked",
      sentence: "shipped as 99999999 (cherry-picked) on 2026-11-23 09:00 UTC — it will not ship again as new code",
    };
    const waiting = queued("bbbb", 3600, "fresh");
    b.projects[0].environments[2] = column("production", [fixed, waiting], "staging");
    render(<Board board={b} />);
    const production = screen.getAllByTestId("env-column")[2];
    const rows = Array.from(production.querySelectorAll<HTMLElement>("[data-testid=queued-change]"));
    expect(rows[0].className).toContain("edge-shipped");
    expect(rows[0].querySelector("[data-testid=age]")?.textContent).toBe("shipped");
    expect(screen.getByTestId("shipped-as").textContent).toContain("as 99999999 (cherry-picked)");
    // The column's colour is the worst band of what still waits.
    expect(production.querySelector("[data-testid=queue-count]")?.className).toContain("band-fresh");
  });

  it("says when an environment has commits its upstream lacks", () => {
    const b = board();
    const prod = column("production", [], "staging");
    prod.standing = "ahead";
    prod.only_here = [change("9999", "Hotfix: stop double charges")];
    b.projects[0].environments[2] = prod;
    render(<Board board={b} />);
    expect(screen.getByTestId("standing").textContent).toContain("1 commit only in production");
    expect(screen.getByTestId("only-here").textContent).toContain("Hotfix");
  });
});

describe("aging clocks on the board", () => {
  it("marks a change late once its aging clock is breached, and quietly once its policy’s last warning has passed", () => {
    const b = board();
    const late = queued("aaaa", 200_000, "late", "2 d 7 h");
    late.aging = clock(30_000, 28_800, { stage: "aging", calendar: "24x7" });
    const close = queued("bbbb", 20_000, "waiting", "5 h");
    close.aging = clock(23_000, 28_800, { stage: "aging", calendar: "berlin-office", tone: "urgent" });
    const fine = queued("cccc", 3600, "fresh");
    // Past 75 %, but this policy still calls it a plain warning: no mark.
    fine.aging = clock(25_000, 28_800, { stage: "aging", tone: "warning" });
    b.projects[0].environments[0] = column("qa", [late, close, fine]);
    render(<Board board={b} />);
    const [lateRow, closeRow, fineRow] = screen.getAllByTestId("queued-change");
    const badge = lateRow.querySelector("[data-testid=late-badge]") as HTMLElement;
    expect(badge.textContent).toBe("late");
    expect(badge.title).toContain("Late: waited more than the goal of 8 h");
    expect(lateRow.title).toContain("Late: waited more than the goal of 8 h");
    expect(closeRow.querySelector("[data-testid=late-badge]")).toBeNull();
    const mark = closeRow.querySelector("[data-testid=aging-warning]") as HTMLElement;
    expect(mark.textContent).toBe("79 %");
    expect(mark.title).toContain("79 % of the goal of 8 h of business time used");
    expect(fineRow.querySelector("[data-testid=late-badge], [data-testid=aging-warning]")).toBeNull();
    expect(screen.getAllByTestId("env-column")[0].querySelector("[data-testid=late-count]")?.textContent).toBe("1 late");
  });

  it("shows no mark where the environment has no aging policy", () => {
    render(<Board board={board()} />);
    expect(screen.queryAllByTestId("late-badge")).toHaveLength(0);
    expect(screen.queryAllByTestId("late-count")).toHaveLength(0);
  });
});

describe("fetch state", () => {
  it("marks a project stale with when and why", () => {
    const b = board();
    b.projects[0].fetch = {
      last_attempt: "2026-11-23T10:05:00Z",
      last_success: "2026-11-23T09:00:00Z",
      error: "Fetching \"origin\" failed: the remote folder /x does not exist",
      stale: true,
    };
    render(<Board board={b} />);
    const stale = screen.getByTestId("stale").textContent ?? "";
    expect(stale).toContain("Stale.");
    expect(stale).toContain("the remote folder /x does not exist");
    expect(screen.getByTestId("fetched-at").textContent).toMatch(/^Fetched /);
    // The last known queues stay on screen.
    expect(screen.getAllByTestId("queued-change").length).toBe(3);
  });

  it("says nothing is stale after a good fetch", () => {
    render(<Board board={board()} />);
    expect(screen.queryByTestId("stale")).toBeNull();
    expect(screen.getByTestId("fetched-at").textContent).toBe("Not fetched yet");
  });
});

describe("toApiError", () => {
  const cases: [string, unknown, string][] = [
    ["a coded error passes through", { code: "ref_missing", message: "Ref x is missing." }, "Ref x is missing."],
    ["a bare string is not shown raw", "Error: panicked at src/lib.rs:1", "Slipway hit an unexpected problem"],
    ["an object without a message", { code: "io" }, "Slipway hit an unexpected problem"],
    ["null", null, "Slipway hit an unexpected problem"],
  ];
  it.each(cases)("%s", (_name, raw, want) => expect(toApiError(raw).message).toContain(want));
});
