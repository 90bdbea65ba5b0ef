import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "../board";
import { board, deployment, followUp, queued, verdict } from "../../test/fixtures";
import type { DeploymentDto, HotfixInputDto } from "../../ipc";
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

const sha = (s: string) => s.padEnd(40, "0");

function column(env: string): HTMLElement {
  return screen.getAllByTestId("env-column").find((c) => c.dataset.env === env) as HTMLElement;
}

function firstQueued(env: string): HTMLElement {
  return column(env).querySelector("[data-testid=queued-change]") as HTMLElement;
}

describe("environment column", () => {
  it("shows the hold with who and why, and lifts it", async () => {
    answer(invoke, { unhold: null });
    const b = board();
    b.projects[0].environments[1].hold = { reason: "rolled back: refunds fail", owner: "ana@x", since: "2026-11-23T09:00:00Z" };
    const refresh = vi.fn();
    render(<Board board={b} onRefresh={refresh} />);
    const banner = screen.getByTestId("hold-banner-staging");
    expect(banner.textContent).toContain("rolled back: refunds fail");
    expect(banner.textContent).toContain("ana@x");
    // A held environment offers no second hold.
    expect(screen.queryByTestId("hold-staging")).toBeNull();
    expect(screen.getByTestId("hold-qa")).toBeTruthy();
    fireEvent.click(screen.getByTestId("lift-hold-staging"));
    expect(invoke).toHaveBeenCalledWith("unhold", { project: "payments", environment: "staging" });
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });

  it("puts a hold on with a reason", async () => {
    answer(invoke, { hold: null });
    render(<Board board={board()} />);
    fireEvent.click(screen.getByTestId("hold-qa"));
    const submit = screen.getByTestId("confirm-hold") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("hold-reason"), { target: { value: "Investigating slow checkouts" } });
    fireEvent.click(submit);
    expect(invoke).toHaveBeenCalledWith("hold", { project: "payments", environment: "qa", reason: "Investigating slow checkouts" });
    await waitFor(() => expect(screen.queryByTestId("hold-form")).toBeNull());
  });

  it("shows freezes, the sign-off rule, a running promotion and how the last deployment failed", () => {
    const b = board();
    const env = b.projects[0].environments[1];
    env.frozen = ["quarter-end (fri 16:00 - mon 08:00 Europe/Berlin)"];
    env.signoff_rule = "2 qa sign-offs";
    env.running = "promote by bo@x since 2026-11-23T10:00:00Z";
    env.last_deployment = deployment({ status: "failed", reason: "verification failed: 503 after 120 s", by: "bo@x" });
    render(<Board board={b} />);
    expect(screen.getByTestId("freeze-staging").textContent).toContain("quarter-end");
    expect(screen.getByTestId("signoff-rule").textContent).toContain("2 qa sign-offs");
    expect(screen.getByTestId("running-staging").textContent).toContain("promote by bo@x");
    const last = screen.getByTestId("last-deployment-staging");
    expect(last.dataset.status).toBe("failed");
    expect(last.textContent).toContain("Promotion failed");
    expect(last.textContent).toContain("verification failed: 503");
    // While one runs, Promote waits.
    expect((screen.getByTestId("promote-staging") as HTMLButtonElement).disabled).toBe(true);
  });

  it("offers Promote only when something is queued, and says why not", () => {
    render(<Board board={board()} />);
    const idle = screen.getByTestId("promote-production") as HTMLButtonElement;
    expect(idle.disabled).toBe(true);
    expect(idle.title).toContain("Nothing is queued for production");
    expect((screen.getByTestId("promote-staging") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("gates on queued changes", () => {
  it("shows gate blockers first, and a change awaiting sign-off is signed from the board without opening the plan", async () => {
    answer(invoke, { signoff: null });
    const b = board();
    const q = queued("aaaa", 3600, "fresh");
    q.blockers = [
      { kind: "awaiting_signoff", sentence: "waiting for sign-off to enter qa: 0 of 1 qa sign-off" },
      { kind: "freeze", sentence: "qa is frozen: quarter-end" },
      ...q.blockers,
    ];
    b.projects[0].environments[0].queue = [q];
    const refresh = vi.fn();
    render(<Board board={b} onRefresh={refresh} />);
    const row = firstQueued("qa");
    const chips = Array.from(row.querySelectorAll<HTMLElement>("[data-testid=gate-blocker]"));
    expect(chips.map((c) => c.dataset.kind)).toEqual(["awaiting_signoff", "freeze"]);
    expect(chips[0].title).toContain("0 of 1 qa sign-off");
    fireEvent.click(row.querySelector("[data-testid=signoff-approve]") as HTMLElement);
    expect(argsOf(invoke, "signoff")).toEqual({ input: { project: "payments", environment: "qa", sha: sha("aaaa"), verdict: "approve", comment: "" } });
    expect(screen.queryByTestId("preview")).toBeNull();
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });

  it("spells out who marked a change bad or rejected it, and offers no sign-off then", () => {
    const b = board();
    const q = queued("aaaa", 3600, "fresh");
    q.blockers = [{ kind: "bad", sentence: "marked bad by ana@x: breaks refunds" }, ...q.blockers];
    b.projects[0].environments[0].queue = [q];
    render(<Board board={b} />);
    const row = firstQueued("qa");
    expect(row.textContent).toContain("marked bad by ana@x: breaks refunds");
    expect(row.querySelector("[data-testid=signoff-approve]")).toBeNull();
  });

  it("ships only one fix through the hotfix lane", async () => {
    const run = deferred<DeploymentDto>();
    answer(invoke, { plan_hotfix: [verdict("signoff", "pass", "signed off for staging", sha("cccc"))], hotfix: run.promise });
    render(<Board board={board()} />);
    const second = column("staging").querySelectorAll<HTMLElement>("[data-testid=queued-change]")[1];
    fireEvent.click(second.querySelector("[data-testid=change-menu]") as HTMLElement);
    fireEvent.click(screen.getByTestId("hotfix-button"));
    expect(screen.getByTestId("hotfix-explain").textContent).toContain("1 change queued before it stays behind");
    // The gates are the core's, asked about the fix alone.
    const confirm = screen.getByTestId("confirm-hotfix") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(argsOf(invoke, "plan_hotfix").input).toEqual({ project: "payments", environment: "staging", fix: sha("cccc"), override_reason: null, guard_override_reason: null });
    const verdicts = await screen.findAllByTestId("plan-verdict");
    expect(verdicts.map((v) => v.dataset.outcome)).toEqual(["pass"]);
    expect(verdicts[0].textContent).toContain("signed off for staging");
    await waitFor(() => expect(confirm.disabled).toBe(false));
    fireEvent.click(confirm);
    expect(argsOf(invoke, "hotfix").input).toEqual({ project: "payments", environment: "staging", fix: sha("cccc"), override_reason: null, guard_override_reason: null });
    say(invoke, "hotfix", { step: "push", line: "cherry-picking cccc0000 onto ffff0000" });
    expect(screen.getByTestId("progress-line").textContent).toContain("cherry-picking");
    await act(async () => run.resolve(deployment({ kind: "hotfix", to_sha: sha("1234") })));
    expect(screen.getByTestId("deployment-result").textContent).toContain("Hotfix shipped staging to 12340000");
  });

  it("holds a hotfix back with the first blocking verdict's sentence, and lets an overridden freeze through", async () => {
    const FROZEN = "staging is frozen: quarter-end (fri 16:00 - mon 08:00 Europe/Berlin)";
    answer(invoke, {
      plan_hotfix: ({ input }: Record<string, unknown>) => {
        const reason = (input as HotfixInputDto).override_reason;
        return reason
          ? [verdict("freeze", "overridden", `${FROZEN}; overridden: ${reason}`), verdict("bad", "pass", "not marked bad")]
          : [verdict("freeze", "block", FROZEN), verdict("hold", "block", "staging is on hold: refunds fail"), verdict("bad", "pass", "not marked bad")];
      },
      hotfix: deferred<DeploymentDto>().promise,
    });
    render(<Board board={board()} />);
    fireEvent.click(firstQueued("staging").querySelector("[data-testid=change-menu]") as HTMLElement);
    fireEvent.click(screen.getByTestId("hotfix-button"));
    const confirm = screen.getByTestId("confirm-hotfix") as HTMLButtonElement;
    await waitFor(() => expect(screen.getAllByTestId("plan-verdict").map((v) => v.dataset.outcome)).toEqual(["block", "block", "pass"]));
    expect(confirm.disabled).toBe(true);
    expect(screen.getByTestId("hotfix-why").textContent).toBe(FROZEN);

    fireEvent.change(screen.getByTestId("override-reason"), { target: { value: "  Stops double charges  " } });
    // Until the core has answered for the reason typed, the old verdicts do not count.
    expect(confirm.disabled).toBe(true);
    await waitFor(() => expect(screen.getAllByTestId("plan-verdict").map((v) => v.dataset.outcome)).toEqual(["overridden", "pass"]));
    expect(argsOf(invoke, "plan_hotfix").input).toEqual({ project: "payments", environment: "staging", fix: sha("bbbb"), override_reason: "Stops double charges", guard_override_reason: null });
    await waitFor(() => expect(confirm.disabled).toBe(false));
    fireEvent.click(confirm);
    expect(argsOf(invoke, "hotfix").input).toEqual({ project: "payments", environment: "staging", fix: sha("bbbb"), override_reason: "Stops double charges", guard_override_reason: null });
  });
});

describe("follow-ups", () => {
  it("stay on the board, with their owner and standing, until someone closes them as done", async () => {
    answer(invoke, { close_follow_up: ({ id }: Record<string, unknown>) => followUp(id as number, { status: "done", standing: "done" }) });
    const b = board();
    b.projects[0].follow_ups = [
      followUp(3, { title: "Postmortem for the rollback of staging from bbbb0000 to ffff0000: refunds fail", standing: "overdue by 2 d", overdue: true }),
      followUp(4, { status: "done", standing: "done" }),
    ];
    const refresh = vi.fn();
    render(<Board board={b} onRefresh={refresh} />);
    // Only open ones stand on the board.
    const item = screen.getByTestId("follow-up");
    expect(item.dataset.id).toBe("3");
    expect(item.textContent).toContain("Postmortem for the rollback of staging");
    expect(item.textContent).toContain("owner dana@x");
    const standing = within(item).getByTestId("follow-up-standing");
    expect(standing.textContent).toBe("overdue by 2 d");
    expect(standing.className).toContain("overdue");
    fireEvent.click(item.querySelector("[data-testid=close-follow-up]") as HTMLElement);
    expect(invoke).toHaveBeenCalledWith("close_follow_up", { id: 3, close: { status: "done", reason: "" } });
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });
});

describe("history", () => {
  it("lists deployments newest first and redeploys a succeeded one", async () => {
    const run = deferred<DeploymentDto>();
    const failed = deployment({ id: 9, status: "failed", reason: "the deploy action failed after the ref moved: exit status 1", output: "deploy.sh: boom" });
    const good = deployment({ id: 8, output: "" });
    answer(invoke, { history: [failed, good], redeploy: run.promise });
    const b = board();
    b.projects[0].environments[1].last_deployment = failed;
    render(<Board board={b} />);
    fireEvent.click(screen.getByTestId("history-staging"));
    const entries = await screen.findAllByTestId("history-entry");
    expect(invoke).toHaveBeenCalledWith("history", { project: "payments", environment: "staging" });
    expect(entries.map((e) => e.dataset.id)).toEqual(["9", "8"]);
    expect(entries[0].textContent).toContain("exit status 1");
    expect(entries[0].textContent).toContain("ffff0000 → bbbb0000");
    // Only what succeeded can be run again.
    expect(entries[0].querySelector("[data-testid=redeploy]")).toBeNull();
    fireEvent.click(entries[1].querySelector("[data-testid=redeploy]") as HTMLElement);
    fireEvent.click(screen.getByTestId("confirm-redeploy"));
    expect(argsOf(invoke, "redeploy").deployment).toBe(8);
    await act(async () => run.resolve(deployment({ id: 10, kind: "redeploy" })));
    expect(screen.getByTestId("deployment-result").dataset.status).toBe("succeeded");
    // The new entry is read at once.
    expect(invoke.mock.calls.filter((c) => c[0] === "history")).toHaveLength(2);
  });
});
