import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "../board";
import { board, deployment, rollbackOptions } from "../../test/fixtures";
import { answer, argsOf } from "../../test/ipc";

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

async function openRollback(b = board()) {
  render(<Board board={b} />);
  fireEvent.click(screen.getByTestId("rollback-staging"));
  await screen.findByTestId("rollback-target");
}

function confirm(): HTMLButtonElement {
  return screen.getByTestId("confirm-rollback") as HTMLButtonElement;
}

describe("rollback", () => {
  it("needs a reason, says it holds the environment and opens a follow-up, and sends the changes marked bad", async () => {
    answer(invoke, {
      rollback_options: rollbackOptions(),
      rollback: deployment({ kind: "rollback", from_sha: sha("bbbb"), to_sha: sha("ffff") }),
    });
    await openRollback();
    expect(invoke).toHaveBeenCalledWith("rollback_options", { project: "payments", environment: "staging" });
    const drawer = screen.getByTestId("rollback");
    expect(drawer.textContent).toContain("puts a hold on staging");
    expect(drawer.textContent).toContain("opens a follow-up");
    // The previous position is the default target.
    expect((screen.getByTestId("rollback-target") as HTMLSelectElement).value).toBe("0");
    expect(confirm().textContent).toBe("Roll back staging to ffff0000");
    expect(confirm().disabled).toBe(true);

    fireEvent.click(screen.getByTestId("mark-bad"));
    fireEvent.change(screen.getByTestId("rollback-reason"), { target: { value: "   " } });
    expect(confirm().disabled).toBe(true);
    fireEvent.change(screen.getByTestId("rollback-reason"), { target: { value: "Refunds fail since bbbb" } });
    expect(confirm().disabled).toBe(false);
    fireEvent.click(confirm());

    expect(argsOf(invoke, "rollback").input).toEqual({
      project: "payments",
      environment: "staging",
      to: sha("ffff"),
      reason: "Refunds fail since bbbb",
      mark_bad: [sha("bbbb")],
      override_reason: null,
    });
    expect((await screen.findByTestId("deployment-result")).dataset.status).toBe("succeeded");
    expect(screen.getByTestId("rollback-after").textContent).toContain("staging is on hold now");
  });

  it("lists what an older target takes away and only sends marks among those", async () => {
    answer(invoke, { rollback_options: rollbackOptions(), rollback: deployment({ kind: "rollback" }) });
    await openRollback();
    expect(screen.getAllByTestId("rollback-removes").map((r) => r.dataset.sha)).toEqual([sha("bbbb")]);
    fireEvent.click(screen.getByTestId("mark-bad"));
    fireEvent.change(screen.getByTestId("rollback-target"), { target: { value: "1" } });
    expect(screen.getAllByTestId("rollback-removes").map((r) => r.dataset.sha)).toEqual([sha("ffff"), sha("bbbb")]);
    fireEvent.change(screen.getByTestId("rollback-reason"), { target: { value: "Bad release" } });
    fireEvent.click(confirm());
    expect(argsOf(invoke, "rollback").input).toMatchObject({ to: sha("9999"), mark_bad: [sha("bbbb")] });
  });

  it("asks for an override reason too while the environment is frozen", async () => {
    answer(invoke, { rollback_options: rollbackOptions(), rollback: deployment({ kind: "rollback" }) });
    const b = board();
    b.projects[0].environments[1].frozen = ["quarter-end (fri 16:00 - mon 08:00 Europe/Berlin)"];
    await openRollback(b);
    fireEvent.change(screen.getByTestId("rollback-reason"), { target: { value: "Checkout down" } });
    expect(confirm().disabled).toBe(true);
    fireEvent.change(screen.getByTestId("override-reason"), { target: { value: "Restoring service" } });
    fireEvent.click(confirm());
    expect(argsOf(invoke, "rollback").input).toMatchObject({ reason: "Checkout down", override_reason: "Restoring service" });
  });
});
