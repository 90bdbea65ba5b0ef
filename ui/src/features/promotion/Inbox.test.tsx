import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { App } from "../../app/App";
import { board, inboxItem } from "../../test/fixtures";
import type { InboxItemDto } from "../../ipc";
import { answer, argsOf } from "../../test/ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (message: unknown) => void = () => undefined;
  },
}));
vi.mock("@tauri-apps/api/event", () => ({ listen: () => Promise.resolve(() => undefined) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const sha = (s: string) => s.padEnd(40, "0");

/** The app with this inbox; sign-offs take rows out of it as the core would. */
function start(items: InboxItemDto[]) {
  let waiting = items;
  answer(invoke, {
    app_info: { version: "0.1.0", workspace: "/ws", workspace_exists: true, log_dir: "/ws/logs" },
    load_board: board(),
    inbox: () => waiting,
    signoff: ({ input }: Record<string, unknown>) => {
      waiting = waiting.filter((i) => i.change.sha !== (input as { sha: string }).sha);
      return null;
    },
  });
  render(<App />);
}

async function openInbox() {
  await screen.findByTestId("board");
  fireEvent.click(screen.getByTestId("nav-inbox"));
  return screen.findAllByTestId("inbox-row");
}

describe("sign-off inbox", () => {
  it("counts what waits in the navigation and lists it oldest first", async () => {
    start([inboxItem("aaaa", { age: "3 d" }), inboxItem("bbbb", { environment: "staging", state: "0 of 1 qa sign-off" })]);
    await waitFor(() => expect(screen.getByTestId("inbox-count").textContent).toBe("2"));
    const rows = await openInbox();
    expect(rows.map((r) => r.dataset.sha)).toEqual([sha("aaaa"), sha("bbbb")]);
    expect(rows[0].textContent).toContain("production");
    expect(rows[0].textContent).toContain("aaaa0000");
    expect(rows[0].textContent).toContain("1 of 2 qa sign-offs");
    expect(rows[0].textContent).toContain("3 d");
  });

  it("approves a change with one click, and the row leaves", async () => {
    start([inboxItem("aaaa"), inboxItem("bbbb")]);
    const rows = await openInbox();
    fireEvent.click(rows[0].querySelector("[data-testid=signoff-approve]") as HTMLElement);
    expect(argsOf(invoke, "signoff")).toEqual({
      input: { project: "payments", environment: "production", sha: sha("aaaa"), verdict: "approve", comment: "" },
    });
    await waitFor(() => expect(screen.getAllByTestId("inbox-row").map((r) => r.dataset.sha)).toEqual([sha("bbbb")]));
    await waitFor(() => expect(screen.getByTestId("inbox-count").textContent).toBe("1"));
  });

  it("asks what is wrong before it rejects", async () => {
    start([inboxItem("aaaa")]);
    const [row] = await openInbox();
    fireEvent.click(row.querySelector("[data-testid=signoff-reject]") as HTMLElement);
    const send = row.querySelector("[data-testid=confirm-reject]") as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.change(row.querySelector("[data-testid=signoff-comment]") as HTMLInputElement, { target: { value: "Refund total is off by one cent" } });
    fireEvent.click(send);
    expect(argsOf(invoke, "signoff").input).toMatchObject({ verdict: "reject", comment: "Refund total is off by one cent" });
    expect(await screen.findByTestId("inbox-empty")).toBeTruthy();
  });

  it("says so when nothing waits", async () => {
    start([]);
    await screen.findByTestId("board");
    expect(screen.queryByTestId("inbox-count")).toBeNull();
    fireEvent.click(screen.getByTestId("nav-inbox"));
    expect((await screen.findByTestId("inbox-empty")).textContent).toContain("Nothing waits for your sign-off");
  });

  it("shows why a sign-off was refused and keeps the row", async () => {
    start([inboxItem("aaaa")]);
    const [row] = await openInbox();
    invoke.mockImplementationOnce(() => Promise.reject({ code: "not_allowed", message: "You wrote aaaa0000; someone else signs it off." }));
    fireEvent.click(row.querySelector("[data-testid=signoff-approve]") as HTMLElement);
    expect((await screen.findByTestId("signoff-error")).textContent).toContain("someone else signs it off");
    expect(screen.getAllByTestId("inbox-row")).toHaveLength(1);
  });
});
