import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { answer, argsOf } from "../../test/ipc";
import { appInfo, proposal } from "../../test/fixtures";
import { Welcome } from "./Welcome";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: () => Promise.resolve(null) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const info = appInfo({ workspace_exists: false, workspace: "/home/me/.local/share/slipway" });

function typePath(path: string) {
  fireEvent.change(screen.getByTestId("repo-path"), { target: { value: path } });
  fireEvent.click(screen.getByTestId("detect"));
}

describe("the first run", () => {
  it("detects the pipeline, lets it be renamed and reordered, and creates the workspace with it", async () => {
    answer(invoke, { detect_pipeline: proposal(), start_with_repository: { name: "shop", repo_path: "/src/shop", trunk: "main", environments: [] } });
    render(<Welcome info={info} />);
    expect(screen.getByText(/\/home\/me\/.local\/share\/slipway/)).toBeTruthy();
    typePath("/src/shop");
    await screen.findByTestId("review-pipeline");
    expect(argsOf(invoke, "detect_pipeline")).toEqual({ repo: "/src/shop" });
    expect((screen.getByTestId("project-name") as HTMLInputElement).value).toBe("shop");
    expect(screen.getByText("origin/HEAD points at main")).toBeTruthy();
    expect(screen.getByText("branch deploy/qa, 2 changes behind trunk (3 h)")).toBeTruthy();

    // Rename qa to test, add canary and move it up above production.
    fireEvent.change(screen.getAllByTestId("env-name")[0], { target: { value: "test" } });
    fireEvent.click(screen.getByTestId("add-environment"));
    fireEvent.change(screen.getAllByTestId("env-name")[2], { target: { value: "canary" } });
    fireEvent.change(screen.getAllByTestId("env-ref")[2], { target: { value: "deploy/canary" } });
    fireEvent.click(screen.getByRole("button", { name: "Move canary up" }));
    fireEvent.click(screen.getByTestId("create-workspace"));
    await waitFor(() =>
      expect(argsOf(invoke, "start_with_repository")).toEqual({
        name: "shop",
        repo: "/src/shop",
        trunk: "main",
        environments: [
          ["test", "branch:deploy/qa"],
          ["canary", "branch:deploy/canary"],
          ["production", "tag:production/*"],
        ],
      }),
    );
  });

  it("says what is wrong with a folder that is no clone, word for word", async () => {
    invoke.mockImplementation((cmd: string) =>
      cmd === "detect_pipeline" ? Promise.reject({ code: "not_a_repository", message: "/tmp is not a git repository. Choose the folder of a clone." }) : Promise.resolve(null),
    );
    render(<Welcome info={info} />);
    typePath("/tmp");
    expect((await screen.findByTestId("detect-error")).textContent).toBe("/tmp is not a git repository. Choose the folder of a clone.");
    expect(screen.queryByTestId("review-pipeline")).toBeNull();
  });

  it("says what it looked for when the clone has no environment, and waits for one to be added", async () => {
    answer(invoke, { detect_pipeline: proposal({ environments: [] }) });
    render(<Welcome info={info} />);
    typePath("/src/shop");
    expect((await screen.findByTestId("nothing-detected")).textContent).toContain("Slipway looks for branches deploy/<env>");
    expect((screen.getByTestId("create-workspace") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("add-environment"));
    expect((screen.getByTestId("create-workspace") as HTMLButtonElement).disabled).toBe(false);
  });

  it("shows the core's refusal to create, and keeps the edited pipeline", async () => {
    answer(invoke, { detect_pipeline: proposal() });
    invoke.mockImplementation((cmd: string) =>
      cmd === "detect_pipeline"
        ? Promise.resolve(proposal())
        : Promise.reject({ code: "ref_missing", message: 'Project "shop", environment "qa": ref "deploy/qaa" does not exist in the repository.' }),
    );
    render(<Welcome info={info} />);
    typePath("/src/shop");
    await screen.findByTestId("review-pipeline");
    fireEvent.change(screen.getAllByTestId("env-ref")[0], { target: { value: "deploy/qaa" } });
    fireEvent.click(screen.getByTestId("create-workspace"));
    expect((await screen.findByTestId("create-error")).textContent).toContain('ref "deploy/qaa" does not exist');
    expect((screen.getAllByTestId("env-ref")[0] as HTMLInputElement).value).toBe("deploy/qaa");
  });
});
