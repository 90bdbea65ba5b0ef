import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Board } from "./Board";
import { board, change } from "./fixtures";
import type { PreviewDto } from "./ipc.gen";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

function previewOf(): PreviewDto {
  return {
    project: "payments",
    environment: "staging",
    upstream: "qa",
    from: change("ffff"),
    to: change("bbbb"),
    shipping: [change("bbbb", "Fix refunds")],
    left_behind: [change("cccc")],
    prs: [12],
    tickets: ["PAY-1"],
    authors: ["Zoë Müller"],
    files: [{ path: "src/refunds.rs", status: "modified", additions: 3, deletions: 1, binary: false }],
    additions: 3,
    deletions: 1,
    release_notes: "## payments → staging\n",
  };
}

describe("preview", () => {
  it("opens from a queued change with what ships and what stays behind", async () => {
    invoke.mockResolvedValue(previewOf());
    render(<Board board={board()} />);
    const staging = screen.getAllByTestId("env-column")[1];
    fireEvent.click(staging.querySelector("[data-testid=queued-change]") as HTMLElement);
    expect(invoke).toHaveBeenCalledWith("preview", { project: "payments", environment: "staging", to: "bbbb".padEnd(40, "0") });
    expect((await screen.findByTestId("preview-count")).textContent).toBe("1");
    expect(screen.getByTestId("left-behind").textContent).toContain("1 later change stays behind");
    expect(screen.getByTestId("release-notes").textContent).toContain("## payments → staging");
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("preview")).toBeNull();
  });

  it("shows the core's message when the preview fails", async () => {
    invoke.mockRejectedValue({ code: "ref_missing", message: "Ref \"deploy/qa\" does not exist." });
    render(<Board board={board()} />);
    fireEvent.click(screen.getAllByTestId("preview-button")[0]);
    expect((await screen.findByTestId("preview-error")).textContent).toBe("Ref \"deploy/qa\" does not exist.");
  });
});

describe("add project", () => {
  it("sends the pipeline as the core reads it and shows its refusal", async () => {
    invoke.mockRejectedValueOnce({ code: "ref_missing", message: 'Project "ledger", environment "qa": Ref "deploy/qa" does not exist.' });
    render(<Board board={board()} />);
    fireEvent.click(screen.getByTestId("add-project-button"));
    const form = screen.getByTestId("add-project");
    fireEvent.change(form.querySelector("input[name=name]") as HTMLInputElement, { target: { value: "ledger" } });
    fireEvent.change(form.querySelector("input[name=repo]") as HTMLInputElement, { target: { value: "/src/ledger" } });
    fireEvent.click(screen.getByTestId("add-project-submit"));
    expect((await screen.findByTestId("add-project-error")).textContent).toContain('Ref "deploy/qa" does not exist');
    expect(invoke).toHaveBeenCalledWith("add_project", {
      name: "ledger",
      repo: "/src/ledger",
      trunk: "main",
      environments: [
        ["qa", "branch:deploy/qa"],
        ["staging", "branch:deploy/staging"],
        ["production", "branch:deploy/production"],
      ],
    });
    // Refused: the form stays open with what was typed, until Escape closes it.
    expect((screen.getByTestId("add-project").querySelector("input[name=name]") as HTMLInputElement).value).toBe("ledger");
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("add-project")).toBeNull();
  });
});

describe("matrix", () => {
  it("lists every project's queues and opens a board on click", () => {
    const b = board();
    b.projects.push({ ...b.projects[0], name: "ledger" });
    render(<Board board={b} />);
    fireEvent.click(screen.getByTestId("view-matrix"));
    const cells = screen.getAllByTestId("matrix-cell");
    expect(cells).toHaveLength(6);
    expect(cells[1].textContent).toContain("2");
    expect(cells[1].textContent).toContain("oldest 2 d");
    fireEvent.click(screen.getByText("ledger", { selector: ".matrix-project" }));
    expect(screen.getByTestId("project").dataset.project).toBe("ledger");
  });
});
