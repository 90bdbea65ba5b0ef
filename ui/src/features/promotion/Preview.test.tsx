import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "../board";
import { board, deployment, plan, rollbackOptions, verdict } from "../../test/fixtures";
import type { DeploymentDto } from "../../ipc";
import { answer, argsOf, deferred, say } from "../../test/ipc";

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

const BBBB = "bbbb".padEnd(40, "0");
const FFFF = "ffff".padEnd(40, "0");

function openStaging() {
  const staging = screen.getAllByTestId("env-column")[1];
  fireEvent.click(staging.querySelector("[data-testid=queued-change]") as HTMLElement);
}

function confirmButton(): HTMLButtonElement {
  return screen.getByTestId("confirm-promote") as HTMLButtonElement;
}

describe("promotion plan", () => {
  it("opens from a queued change with what ships, what stays behind and what will happen", async () => {
    answer(invoke, { plan_promotion: plan() });
    render(<Board board={board()} />);
    openStaging();
    expect((await screen.findByTestId("preview-count")).textContent).toBe("1");
    expect(invoke).toHaveBeenCalledWith("plan_promotion", {
      input: { project: "payments", environment: "staging", to: BBBB, expected_from: null, override_reason: null, guard_override_reason: null, accept_ride_along: false },
    });
    expect(screen.getByTestId("left-behind").textContent).toContain("1 later change stays behind");
    expect(screen.getByTestId("release-notes").textContent).toContain("## payments → staging");
    expect(screen.getByTestId("plan-moves").textContent).toContain("pushes deploy/staging to origin");
    expect(confirmButton().textContent).toBe("Promote 1 change to staging");
    expect(confirmButton().disabled).toBe(false);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("preview")).toBeNull();
  });

  it("shows every verdict and keeps confirm disabled while a gate blocks", async () => {
    answer(invoke, {
      plan_promotion: plan({
        allowed: false,
        verdicts: [
          verdict("signoff", "block", 'bbbb0000 "Fix refunds" has 0 of 2 qa sign-offs for staging', BBBB),
          verdict("hold", "pass", "staging is not on hold"),
        ],
      }),
    });
    render(<Board board={board()} />);
    openStaging();
    const rows = await screen.findAllByTestId("plan-verdict");
    expect(rows.map((r) => r.dataset.outcome)).toEqual(["block", "pass"]);
    expect(rows[0].textContent).toContain("0 of 2 qa sign-offs");
    expect(rows[0].className).toContain("verdict-block");
    expect(confirmButton().disabled).toBe(true);
    expect(screen.getByTestId("confirm-why").textContent).toContain("A gate blocks");
    fireEvent.click(confirmButton());
    expect(invoke).not.toHaveBeenCalledWith("promote", expect.anything());
  });

  it("will not ship changes that ride along until the person ticks the box, then sends them accepted", async () => {
    const cccc = "cccc".padEnd(40, "0");
    answer(invoke, {
      plan_promotion: plan({
        ride_along: [cccc],
        verdicts: [verdict("ride_along", "warn", 'cccc0000 "Change cccc" would ride along without its sign-off (0 of 1 qa sign-off)', cccc)],
      }),
      promote: deferred<DeploymentDto>().promise,
    });
    render(<Board board={board()} />);
    openStaging();
    const box = (await screen.findByTestId("accept-ride-along")) as HTMLInputElement;
    expect(screen.getByTestId("ride-along").textContent).toContain("cccc0000");
    expect(confirmButton().disabled).toBe(true);
    fireEvent.click(box);
    expect(confirmButton().disabled).toBe(false);
    fireEvent.click(confirmButton());
    expect(argsOf(invoke, "promote").input).toEqual({
      project: "payments",
      environment: "staging",
      to: BBBB,
      expected_from: FFFF,
      override_reason: null,
      guard_override_reason: null,
      accept_ride_along: true,
    });
  });

  it("shows the config guard's findings with the change that brought each, and ships past it only with a reason", async () => {
    const blocked = verdict(
      "config",
      "block",
      "config/production.toml:3 carries perf's “orders.perf.payments.example” (learned from config/perf.toml:3) — override with a reason to ship it anyway",
      BBBB,
    );
    const lifted = verdict("config", "overridden", "config/production.toml:3 carries perf's … — overridden: shared gateway", BBBB);
    const finding = {
      kind: "foreign_marker" as const,
      path: "config/production.toml",
      line: 3,
      matched: "orders.perf.payments.example",
      environment: "perf",
      rule: "learned from config/perf.toml:3",
      blocks: true,
      sentence: "config/production.toml:3 carries perf's “orders.perf.payments.example”",
      change: BBBB,
      change_title: "Point order intake at the new orders source",
    };
    const guarded = (over: Parameters<typeof plan>[0]) => {
      const p = plan(over);
      p.preview.guard = { ...p.preview.guard, findings: [finding], blocks: true, mode: "block" };
      return p;
    };
    answer(invoke, {
      plan_promotion: ({ input }: Record<string, unknown>) =>
        (input as { guard_override_reason: string | null }).guard_override_reason
          ? guarded({ verdicts: [lifted] })
          : guarded({ allowed: false, verdicts: [blocked] }),
      promote: deferred<DeploymentDto>().promise,
    });
    render(<Board board={board()} />);
    openStaging();
    const row = await screen.findByTestId("guard-finding");
    expect(row.textContent).toContain("config/production.toml:3");
    expect(row.textContent).toContain("bbbb0000 Point order intake at the new orders source");
    expect(screen.getByTestId("plan-verdict").textContent).toContain("config guard");
    expect(confirmButton().disabled).toBe(true);
    expect(screen.getByTestId("confirm-why").textContent).toContain("config guard blocks");
    expect(screen.queryByTestId("override-reason")).toBeNull();
    fireEvent.change(screen.getByTestId("guard-override-reason"), { target: { value: "shared gateway" } });
    await waitFor(() => expect(screen.getByTestId("plan-verdict").dataset.outcome).toBe("overridden"));
    expect(confirmButton().disabled).toBe(false);
    fireEvent.click(confirmButton());
    expect(argsOf(invoke, "promote").input).toMatchObject({ guard_override_reason: "shared gateway", override_reason: null });
  });

  it("asks for a reason only when a freeze blocks, and asks the gates again with it", async () => {
    const frozen = verdict("freeze", "block", "staging is frozen (quarter-end, fri 16:00 - mon 08:00) — override with a reason to promote anyway");
    const overridden = verdict("freeze", "overridden", "staging is frozen (quarter-end, fri 16:00 - mon 08:00); overridden: refund outage");
    answer(invoke, {
      plan_promotion: ({ input }: Record<string, unknown>) =>
        (input as { override_reason: string | null }).override_reason
          ? plan({ verdicts: [overridden] })
          : plan({ allowed: false, verdicts: [frozen] }),
      promote: deferred<DeploymentDto>().promise,
    });
    render(<Board board={board()} />);
    openStaging();
    const reason = (await screen.findByTestId("override-reason")) as HTMLInputElement;
    expect(confirmButton().disabled).toBe(true);
    fireEvent.change(reason, { target: { value: "refund outage" } });
    await waitFor(() => expect(screen.getByTestId("plan-verdict").dataset.outcome).toBe("overridden"));
    expect(argsOf(invoke, "plan_promotion").input).toMatchObject({ override_reason: "refund outage" });
    expect(screen.getByTestId("plan-verdict").textContent).toContain("overridden");
    expect(confirmButton().disabled).toBe(false);
    fireEvent.click(confirmButton());
    expect(argsOf(invoke, "promote").input).toMatchObject({ override_reason: "refund outage" });
  });

  it("offers no override field when no freeze is on", async () => {
    answer(invoke, { plan_promotion: plan() });
    render(<Board board={board()} />);
    openStaging();
    await screen.findAllByTestId("plan-verdict");
    expect(screen.queryByTestId("override-reason")).toBeNull();
  });

  it("shows the core's message when the plan cannot be made", async () => {
    invoke.mockRejectedValue({ code: "ref_missing", message: 'Ref "deploy/qa" does not exist.' });
    render(<Board board={board()} />);
    fireEvent.click(screen.getByTestId("promote-qa"));
    expect((await screen.findByTestId("preview-error")).textContent).toBe('Ref "deploy/qa" does not exist.');
  });
});

describe("promotion run", () => {
  it("streams progress lines, can be cancelled, and offers a rollback when it failed after the ref moved", async () => {
    const run = deferred<DeploymentDto>();
    answer(invoke, { plan_promotion: plan(), promote: run.promise, cancel_promotion: null, rollback_options: rollbackOptions() });
    const refresh = vi.fn();
    render(<Board board={board()} onRefresh={refresh} />);
    openStaging();
    await screen.findAllByTestId("plan-verdict");
    fireEvent.click(confirmButton());

    say(invoke, "promote", { step: "lock", line: "locking payments/staging" }, { step: "push", line: "moving refs/heads/deploy/staging from ffff0000 to bbbb0000" });
    const lines = screen.getAllByTestId("progress-line");
    expect(lines.map((l) => l.dataset.step)).toEqual(["lock", "push"]);
    expect(lines[1].textContent).toContain("moving refs/heads/deploy/staging");
    // While it runs the drawer stays open: Escape does not lose the run.
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.getByTestId("preview")).toBeTruthy();

    fireEvent.click(screen.getByTestId("cancel-run"));
    expect(invoke).toHaveBeenCalledWith("cancel_promotion", undefined);

    await act(async () =>
      run.resolve(
        deployment({ status: "failed", reason: "the deploy action failed after the ref moved: exit status 3", offer_rollback: true }),
      ),
    );
    const result = screen.getByTestId("deployment-result");
    expect(result.dataset.status).toBe("failed");
    expect(result.textContent).toContain("exit status 3");
    expect(screen.queryByTestId("cancel-run")).toBeNull();
    expect(refresh).toHaveBeenCalled();

    fireEvent.click(screen.getByTestId("result-rollback"));
    expect(await screen.findByTestId("rollback")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("rollback_options", { project: "payments", environment: "staging" });
  });

  it("says a run succeeded without offering a rollback", async () => {
    answer(invoke, { plan_promotion: plan(), promote: deployment() });
    render(<Board board={board()} />);
    openStaging();
    await screen.findAllByTestId("plan-verdict");
    fireEvent.click(confirmButton());
    const result = await screen.findByTestId("deployment-result");
    expect(result.dataset.status).toBe("succeeded");
    expect(result.textContent).toContain("Promoted staging to bbbb0000");
    expect(screen.queryByTestId("result-rollback")).toBeNull();
  });

  it("says why a promotion was refused before it started and offers to look again", async () => {
    let plans = 0;
    answer(invoke, {
      plan_promotion: () => {
        plans += 1;
        return plan();
      },
      promote: () => Promise.reject({ code: "environment_moved", message: "staging moved to 12345678 since you looked; refresh and look again." }),
    });
    render(<Board board={board()} />);
    openStaging();
    await screen.findAllByTestId("plan-verdict");
    fireEvent.click(confirmButton());
    const error = await screen.findByTestId("run-error");
    expect(error.dataset.code).toBe("environment_moved");
    expect(error.textContent).toContain("refresh and look again");
    const before = plans;
    fireEvent.click(screen.getByTestId("look-again"));
    await waitFor(() => expect(plans).toBe(before + 1));
    expect(screen.queryByTestId("run-error")).toBeNull();
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
