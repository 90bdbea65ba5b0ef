import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "../board";
import { board, drift, driftFile, guardSettings } from "../../test/fixtures";
import { answer, argsOf, type Answers } from "../../test/ipc";
import type { GuardChangeDto, GuardSettingsDto } from "../../ipc";
import { diffLines } from "./DriftView";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (message: unknown) => void = () => undefined;
  },
}));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const refused = (message: string) => () => Promise.reject({ code: "invalid_input", message });

function openMenu(item: "open-config-guard" | "open-config-drift") {
  fireEvent.click(screen.getByTestId("project-menu"));
  fireEvent.click(screen.getByTestId(item));
}

async function openGuard(more: Answers = {}, settings: GuardSettingsDto = guardSettings()) {
  answer(invoke, { guard_settings: settings, ...more });
  render(<Board board={board()} />);
  openMenu("open-config-guard");
  const panel = await screen.findByTestId("guard-panel");
  await within(panel).findByTestId("guard-mode-production");
  expect(invoke).toHaveBeenCalledWith("guard_settings", { project: "payments" });
  return panel;
}

function marker(text: string): HTMLElement {
  const found = screen.getAllByTestId("guard-marker").find((m) => m.dataset.text === text);
  if (!found) throw new Error(`no marker ${text}`);
  return found;
}

function pressed(env: string): string | undefined {
  const on = within(screen.getByTestId(`guard-mode-${env}`))
    .getAllByRole("button")
    .find((b) => b.getAttribute("aria-pressed") === "true");
  return on?.dataset.mode;
}

function lastChange(): GuardChangeDto {
  const args = argsOf(invoke, "edit_guard");
  expect(args.project).toBe("payments");
  return args.change as GuardChangeDto;
}

describe("config guard settings", () => {
  it("lists each environment's mode and the markers by environment, with where each came from", async () => {
    await openGuard();
    expect(pressed("qa")).toBe("warn");
    expect(pressed("staging")).toBe("warn");
    expect(pressed("production")).toBe("block");
    expect(screen.getByTestId("guard-learned-at").textContent).toContain("production runs at 9f2c4e1a");

    const markers = screen.getAllByTestId("guard-marker");
    expect(markers.map((m) => [m.dataset.text, m.dataset.origin])).toEqual([
      ["qa-queue-42", "manual"],
      ["staging-db.internal", "learned"],
      ["perf-orders.internal", "learned"],
      ["loadgen.example.com", "ignored"],
    ]);
    expect(marker("staging-db.internal").textContent).toContain("learned from config/staging.toml:3");
    expect(marker("qa-queue-42").textContent).toContain("added by hand");
    // Grouped by whose marker it is, pipeline first, then the other known environments.
    const groups = screen.getAllByTestId("guard-marker-group").map((g) => g.dataset.environment);
    expect(groups).toEqual(["qa", "staging", "perf"]);
    // What each origin can do.
    expect(within(marker("staging-db.internal")).getByRole("button").textContent).toBe("Dismiss");
    expect(within(marker("loadgen.example.com")).getByRole("button").textContent).toBe("Restore");
    expect(within(marker("qa-queue-42")).getByRole("button").textContent).toBe("Remove");

    const denied = screen.getAllByTestId("guard-denied");
    expect(denied.map((d) => d.dataset.pattern)).toEqual(["(?i)load-?test", "(?i)\\bmock\\b"]);
    expect(denied[0].textContent).toContain("a load-test setting");
    expect(screen.getByTestId("guard-denied-default")).toBeTruthy();
    expect((screen.getByTestId("guard-reset-denied") as HTMLButtonElement).disabled).toBe(true);
  });

  it("sends a mode change and shows the settings the core answers", async () => {
    const after = guardSettings({
      modes: [
        { environment: "qa", mode: "warn", default: true },
        { environment: "staging", mode: "block", default: false },
        { environment: "production", mode: "block", default: true },
      ],
    });
    await openGuard({ edit_guard: after });
    fireEvent.click(within(screen.getByTestId("guard-mode-staging")).getByText("Block"));
    expect(lastChange()).toEqual({ change: "set_mode", environment: "staging", mode: "block" });
    await waitFor(() => expect(pressed("staging")).toBe("block"));
    expect(screen.queryByTestId("guard-error")).toBeNull();
  });

  it("shows a refused marker's reason, word for word, at the form that sent it, and keeps what was typed", async () => {
    const message = "Marker “abc” is too short: a marker has at least 4 characters. Nothing was saved.";
    await openGuard({ edit_guard: refused(message) });
    const form = screen.getByTestId("guard-add-marker");
    fireEvent.change(within(form).getByTestId("guard-marker-environment"), { target: { value: "perf" } });
    fireEvent.change(within(form).getByTestId("guard-marker-text"), { target: { value: "abc" } });
    fireEvent.click(within(form).getByTestId("guard-add-marker-submit"));
    expect(lastChange()).toEqual({ change: "add_marker", environment: "perf", text: "abc" });
    const error = await within(form).findByTestId("guard-error");
    expect(error.textContent).toBe(message);
    expect(screen.getAllByTestId("guard-error")).toHaveLength(1);
    expect((within(form).getByTestId("guard-marker-text") as HTMLInputElement).value).toBe("abc");
    expect(screen.getAllByTestId("guard-marker")).toHaveLength(4);
  });

  it("a core failure that is not a sentence is never shown raw", async () => {
    await openGuard({ edit_guard: () => Promise.reject(new Error("Deserialize error: missing field `environment` at line 1")) });
    fireEvent.click(within(marker("staging-db.internal")).getByRole("button"));
    const error = await within(marker("staging-db.internal")).findByTestId("guard-error");
    expect(error.textContent).not.toContain("Deserialize");
    expect(error.textContent).toContain("unexpected problem");
  });

  it("adds a marker and shows it as the core answers, then dismisses, restores and removes by text", async () => {
    const added = guardSettings();
    added.markers = [...added.markers, { environment: "staging", text: "stg-kafka-01", origin: "manual", source: "added by hand" }];
    await openGuard({ edit_guard: added });
    const form = screen.getByTestId("guard-add-marker");
    fireEvent.change(within(form).getByTestId("guard-marker-environment"), { target: { value: "staging" } });
    fireEvent.change(within(form).getByTestId("guard-marker-text"), { target: { value: "stg-kafka-01" } });
    fireEvent.click(within(form).getByTestId("guard-add-marker-submit"));
    expect(lastChange()).toEqual({ change: "add_marker", environment: "staging", text: "stg-kafka-01" });
    await waitFor(() => expect(marker("stg-kafka-01").dataset.origin).toBe("manual"));
    expect((within(form).getByTestId("guard-marker-text") as HTMLInputElement).value).toBe("");
    expect(within(form).getByTestId("guard-done").textContent).toContain("stg-kafka-01");

    fireEvent.click(within(marker("staging-db.internal")).getByText("Dismiss"));
    expect(lastChange()).toEqual({ change: "remove_marker", text: "staging-db.internal" });
    await waitFor(() => expect((within(marker("loadgen.example.com")).getByRole("button") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(within(marker("loadgen.example.com")).getByText("Restore"));
    expect(lastChange()).toEqual({ change: "restore_marker", text: "loadgen.example.com" });
    await waitFor(() => expect((within(marker("qa-queue-42")).getByRole("button") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(within(marker("qa-queue-42")).getByText("Remove"));
    expect(lastChange()).toEqual({ change: "remove_marker", text: "qa-queue-42" });
  });

  it("denies and allows settings, and resets them to the defaults", async () => {
    const edited = guardSettings({ denied_default: false, denied: [{ environment: "production", pattern: "(?i)load-?test", why: "a load-test setting" }] });
    await openGuard({ edit_guard: edited });
    fireEvent.click(within(screen.getAllByTestId("guard-denied")[1]).getByText("Allow"));
    expect(lastChange()).toEqual({ change: "remove_denied", environment: "production", pattern: "(?i)\\bmock\\b" });
    await waitFor(() => expect(screen.getAllByTestId("guard-denied")).toHaveLength(1));
    const reset = screen.getByTestId("guard-reset-denied") as HTMLButtonElement;
    expect(reset.disabled).toBe(false);

    const form = screen.getByTestId("guard-add-denied");
    expect((within(form).getByTestId("guard-denied-environment") as HTMLSelectElement).value).toBe("production");
    fireEvent.change(within(form).getByTestId("guard-denied-pattern"), { target: { value: "flags\\s*=\\s*local" } });
    fireEvent.change(within(form).getByTestId("guard-denied-why"), { target: { value: "local feature flags" } });
    fireEvent.click(within(form).getByTestId("guard-add-denied-submit"));
    expect(lastChange()).toEqual({ change: "add_denied", environment: "production", pattern: "flags\\s*=\\s*local", why: "local feature flags" });
    await waitFor(() => expect((within(form).getByTestId("guard-denied-pattern") as HTMLInputElement).value).toBe(""));

    fireEvent.click(reset);
    expect(lastChange()).toEqual({ change: "reset_denied" });
  });

  it("saves the file patterns and other environments one per line, the defaults as none, and the override role", async () => {
    const saved = guardSettings({ globs: ["config/<env>.*", "deploy/<env>/**"], globs_default: false, override_role: "release-manager" });
    await openGuard({ edit_guard: saved });
    const globs = screen.getByTestId("guard-globs");
    expect((within(globs).getByTestId("guard-globs-save") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(globs).getByTestId("guard-globs-text"), { target: { value: "config/<env>.*\n\n  deploy/<env>/**  \n" } });
    fireEvent.click(within(globs).getByTestId("guard-globs-save"));
    expect(lastChange()).toEqual({ change: "set_globs", globs: ["config/<env>.*", "deploy/<env>/**"] });
    await waitFor(() => expect((within(globs).getByTestId("guard-globs-text") as HTMLTextAreaElement).value).toBe("config/<env>.*\ndeploy/<env>/**"));
    fireEvent.click(within(globs).getByTestId("guard-globs-defaults"));
    expect(lastChange()).toEqual({ change: "set_globs", globs: null });

    const others = screen.getByTestId("guard-other-environments");
    fireEvent.change(within(others).getByTestId("guard-other-environments-text"), { target: { value: "perf\nloadtest" } });
    fireEvent.click(within(others).getByTestId("guard-other-environments-save"));
    expect(lastChange()).toEqual({ change: "set_other_environments", names: ["perf", "loadtest"] });

    await waitFor(() => expect(screen.getByTestId("guard-override-now").textContent).toContain("release-manager"));
    fireEvent.change(screen.getByTestId("guard-override-role"), { target: { value: "  " } });
    fireEvent.click(screen.getByTestId("guard-save-override"));
    expect(lastChange()).toEqual({ change: "set_override_role", role: null });
  });

  it("says why the settings cannot be read", async () => {
    answer(invoke, { guard_settings: refused("payments: the repository at /tmp/ws/repos/payments can’t be opened.") });
    render(<Board board={board()} />);
    openMenu("open-config-guard");
    expect((await screen.findByTestId("guard-load-error")).textContent).toContain("can’t be opened");
  });
});

describe("config drift", () => {
  it("compares the last environment with the one before it, and shows each file's diff coloured by line", async () => {
    const files = [
      driftFile("config/production.toml", { owner: "production" }),
      driftFile("config/app.yaml", { status: "added", additions: 2, deletions: 0, patch: "@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n", cut: true }),
    ];
    answer(invoke, { config_drift: drift({ files, other_files: 3 }) });
    render(<Board board={board()} />);
    openMenu("open-config-drift");
    const view = await screen.findByTestId("drift-view");
    await within(view).findAllByTestId("drift-file");
    expect(invoke).toHaveBeenCalledWith("config_drift", { project: "payments", from: "production", to: "staging" });

    const [prod, app] = screen.getAllByTestId("drift-file");
    expect(prod.dataset.path).toBe("config/production.toml");
    expect(within(prod).getByTestId("drift-owner").textContent).toBe("production’s");
    expect(prod.textContent).toContain("modified");
    expect(prod.textContent).toContain("+1");
    expect(prod.textContent).toContain("−1");
    const patch = within(prod).getByTestId("drift-patch");
    const added = patch.querySelectorAll(".diff-add");
    const removed = patch.querySelectorAll(".diff-del");
    expect(added).toHaveLength(1);
    expect(removed).toHaveLength(1);
    expect(added[0].textContent).toContain('source = "https://perf-orders.internal"');
    expect(removed[0].textContent).toContain('source = "https://orders.internal"');
    // The file header's ---/+++ lines are not removals or additions, and not shown.
    expect(patch.textContent).not.toContain("+++");
    expect(patch.querySelectorAll(".diff-context")).toHaveLength(2);
    expect(within(prod).queryByTestId("drift-cut")).toBeNull();

    expect(within(app).queryByTestId("drift-owner")).toBeNull();
    expect(within(app).getByTestId("drift-cut").textContent).toContain("cut");
    expect(screen.getByTestId("drift-others").textContent).toContain("3 other files differ (not shown)");
    expect(document.body.innerHTML).not.toContain("<script");

    // Another pair is read when picked.
    fireEvent.change(screen.getByTestId("drift-to"), { target: { value: "qa" } });
    await waitFor(() => expect(argsOf(invoke, "config_drift")).toEqual({ project: "payments", from: "production", to: "qa" }));
  });

  it("says so when no config file differs, and does not ask the core to compare an environment with itself", async () => {
    answer(invoke, { config_drift: drift({ files: [], other_files: 1 }) });
    render(<Board board={board()} />);
    openMenu("open-config-drift");
    expect((await screen.findByTestId("drift-empty")).textContent).toContain("No config files differ");
    expect(screen.getByTestId("drift-others").textContent).toContain("1 other file differs (not shown)");
    expect(screen.queryAllByTestId("drift-file")).toHaveLength(0);

    const calls = invoke.mock.calls.length;
    fireEvent.change(screen.getByTestId("drift-to"), { target: { value: "production" } });
    expect(screen.getByTestId("drift-same")).toBeTruthy();
    expect(invoke.mock.calls.length).toBe(calls);
  });

  it("reads a unified diff by each line's first character, with line numbers on both sides", () => {
    const lines = diffLines("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -10,3 +10,3 @@ [db]\n host = a\n-name = orders\n+name = perf\n+++extra\n\\ No newline at end of file\n");
    expect(lines.map((l) => l.kind)).toEqual(["meta", "meta", "meta", "hunk", "context", "del", "add", "add", "note"]);
    expect(lines[4]).toMatchObject({ text: "host = a", old: 10, new: 10 });
    expect(lines[5]).toMatchObject({ text: "name = orders", old: 11, new: null });
    expect(lines[6]).toMatchObject({ text: "name = perf", old: null, new: 11 });
    // Inside a hunk, a line starting "+++" is an added line that starts "++".
    expect(lines[7]).toMatchObject({ text: "++extra", new: 12 });
  });
});
