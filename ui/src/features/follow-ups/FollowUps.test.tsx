import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { render } from "../../test/render";
import { answer, argsOf, type Answers } from "../../test/ipc";
import { followUp } from "../../test/fixtures";
import type { FollowUpCloseDto, FollowUpDto, FollowUpEditDto } from "../../ipc";
import { FollowUpsPage } from "./FollowUpsPage";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const writeText = vi.fn();

beforeEach(() => {
  writeText.mockReset();
  writeText.mockResolvedValue(undefined);
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const NO_REASON = "A follow-up closed as won't do needs a reason: say why it will not be done.";

const OPEN: FollowUpDto[] = [
  followUp(3, { standing: "overdue by 2 d", overdue: true, priority: "high", due_at: "2026-11-21T16:00:00Z", request: 12 }),
  followUp(5, { owner: null, external_link: "https://tickets.example.com/INC-2231", standing: "due in 3 d 4 h" }),
];
const CLOSED = followUp(7, { status: "wont-do", standing: "won't do", reason: "Covered by INC-2231", closed_by: "bo@x", closed_at: "2026-11-22T10:00:00Z" });

/**
 * The core's follow-ups: the open ones, and with `all` the closed ones after them. What a close
 * or an edit answers is what the lists say from then on, as in the core.
 */
function core(more: Answers = {}) {
  let now = [...OPEN, CLOSED];
  const kept = (act: unknown) => (args: Record<string, unknown>) => {
    const a = act as (args: Record<string, unknown>) => unknown;
    const out = a(args);
    if (out instanceof Promise) return out;
    const f = out as FollowUpDto;
    now = now.map((x) => (x.id === f.id ? f : x));
    return f;
  };
  const acts = Object.fromEntries(Object.entries(more).map(([k, v]) => [k, k === "close_follow_up" || k === "edit_follow_up" ? kept(v) : v]));
  answer(invoke, { follow_ups: ({ all }: Record<string, unknown>) => (all ? now : now.filter((f) => f.status === "open")), ...acts });
}

function row(id: number): HTMLElement {
  const found = screen.getAllByTestId("follow-up-row").find((r) => r.dataset.id === String(id));
  if (!found) throw new Error(`no row for #${id}`);
  return found;
}

describe("the follow-ups list", () => {
  it("lists open follow-ups in the core's order with their owner, due date and standing as the core says it", async () => {
    core();
    render(<FollowUpsPage />, { route: "/follow-ups" });
    const rows = await screen.findAllByTestId("follow-up-row");
    expect(invoke).toHaveBeenCalledWith("follow_ups", { all: false });
    expect(rows.map((r) => r.dataset.id)).toEqual(["3", "5"]);

    const first = within(rows[0]);
    expect(first.getByTestId("follow-up-owner").textContent).toBe("dana@x");
    expect(first.getByTestId("follow-up-standing").textContent).toBe("overdue by 2 d");
    expect(first.getByTestId("follow-up-standing").className).toContain("overdue");
    expect(first.getByTestId("follow-up-due").textContent).not.toBe("");
    expect(first.getByTestId("follow-up-priority").textContent).toBe("High");
    expect(first.getByTestId("follow-up-status").textContent).toBe("Open");
    expect(rows[0].textContent).toContain("payments · staging");
    expect(rows[0].textContent).toContain("rollback #9");
    expect(rows[0].textContent).toContain("undid #8");
    expect(first.getByTestId("follow-up-request").getAttribute("href")).toContain("/requests/12");

    const second = within(rows[1]);
    expect(second.getByTestId("follow-up-owner").textContent).toBe("no owner");
    expect(second.getByTestId("follow-up-standing").textContent).toBe("due in 3 d 4 h");
    expect(second.getByTestId("follow-up-standing").className).not.toContain("overdue");
    const ticket = second.getByTestId("follow-up-external");
    expect(ticket.getAttribute("href")).toBe("https://tickets.example.com/INC-2231");
    expect(ticket.getAttribute("target")).toBe("_blank");
    expect(ticket.getAttribute("rel")).toContain("noopener");
  });

  it("shows closed ones too when asked", async () => {
    core();
    render(<FollowUpsPage />, { route: "/follow-ups" });
    await screen.findAllByTestId("follow-up-row");
    fireEvent.click(screen.getByTestId("follow-ups-show-closed"));
    await waitFor(() => expect(screen.getAllByTestId("follow-up-row").map((r) => r.dataset.id)).toEqual(["3", "5", "7"]));
    expect(invoke).toHaveBeenCalledWith("follow_ups", { all: true });
    expect(within(row(7)).getByTestId("follow-up-status").textContent).toBe("Won’t do");
    expect(within(row(7)).getByTestId("follow-up-standing").textContent).toBe("won't do");
  });

  it("says what opens a follow-up when there is none", async () => {
    answer(invoke, { follow_ups: [] });
    render(<FollowUpsPage />, { route: "/follow-ups" });
    const empty = await screen.findByTestId("follow-ups-empty");
    expect(empty.textContent).toContain("No open follow-ups.");
    expect(empty.textContent).toContain("A rollback or an emergency request’s close opens one.");
  });

  it("says why when the list cannot be read, in the core's words", async () => {
    answer(invoke, { follow_ups: () => Promise.reject({ code: "database_locked", message: "The database is locked by another Slipway." }) });
    render(<FollowUpsPage />, { route: "/follow-ups" });
    expect((await screen.findByTestId("follow-ups-error")).textContent).toContain("The database is locked by another Slipway.");
  });
});

describe("a follow-up's drawer", () => {
  it("opens when a row is picked, and from its route, even for a closed one the open list leaves out", async () => {
    core();
    render(<FollowUpsPage />, { route: "/follow-ups/7" });
    const panel = await screen.findByTestId("follow-up-panel");
    expect(panel.dataset.id).toBe("7");
    await waitFor(() => expect(within(panel).getByTestId("follow-up-closed").textContent).toContain("Closed as won’t do by bo@x"));
    expect(panel.textContent).toContain("Covered by INC-2231");
    // A closed follow-up is not edited or closed again.
    expect(within(panel).queryByTestId("follow-up-edit")).toBeNull();
    expect(within(panel).queryByTestId("follow-up-done")).toBeNull();
    expect(invoke).toHaveBeenCalledWith("follow_ups", { all: true });

    fireEvent.click(screen.getByText("Close"));
    await waitFor(() => expect(screen.queryByTestId("follow-up-panel")).toBeNull());
    fireEvent.click(row(5));
    expect((await screen.findByTestId("follow-up-panel")).dataset.id).toBe("5");
    expect(screen.getByTestId("follow-up-title").textContent).toBe(OPEN[1].title);
  });

  it("says so when its route names a follow-up there is not", async () => {
    core();
    render(<FollowUpsPage />, { route: "/follow-ups/99" });
    expect((await screen.findByTestId("follow-up-missing")).textContent).toContain("There is no follow-up #99");
  });

  it("closes as won't do with the reason typed, and shows the core's sentence when it refuses", async () => {
    core({
      close_follow_up: ({ id, close }: Record<string, unknown>) => {
        const c = close as FollowUpCloseDto;
        if (c.status === "wont-do" && c.reason.trim() === "") return Promise.reject({ code: "invalid_input", message: NO_REASON });
        return followUp(id as number, { status: c.status, reason: c.reason, standing: "won't do", closed_by: "rm@x", closed_at: "2026-11-23T10:00:00Z" });
      },
    });
    render(<FollowUpsPage />, { route: "/follow-ups/3" });
    const panel = await screen.findByTestId("follow-up-panel");
    fireEvent.click(within(panel).getByTestId("follow-up-wont-do"));
    // The core says what a reason is for; the button does not second-guess it.
    fireEvent.click(within(panel).getByTestId("follow-up-wont-do-confirm"));
    expect(argsOf(invoke, "close_follow_up")).toEqual({ id: 3, close: { status: "wont-do", reason: "" } });
    expect((await within(panel).findByTestId("follow-up-close-error")).textContent).toBe(NO_REASON);

    fireEvent.change(within(panel).getByTestId("follow-up-reason"), { target: { value: "  Covered by INC-2231 " } });
    fireEvent.click(within(panel).getByTestId("follow-up-wont-do-confirm"));
    expect(argsOf(invoke, "close_follow_up")).toEqual({ id: 3, close: { status: "wont-do", reason: "Covered by INC-2231" } });
    const closed = await within(panel).findByTestId("follow-up-closed");
    expect(closed.textContent).toContain("Closed as won’t do by rm@x");
    expect(closed.textContent).toContain("Covered by INC-2231");
    expect(within(panel).queryByTestId("follow-up-close-error")).toBeNull();
    expect(within(panel).getByTestId("follow-up-status").textContent).toBe("Won’t do");
  });

  it("closes as done without asking", async () => {
    core({ close_follow_up: ({ id }: Record<string, unknown>) => followUp(id as number, { status: "done", standing: "done", closed_by: "rm@x", closed_at: "2026-11-23T10:00:00Z" }) });
    render(<FollowUpsPage />, { route: "/follow-ups/5" });
    const panel = await screen.findByTestId("follow-up-panel");
    fireEvent.click(within(panel).getByTestId("follow-up-done"));
    expect(argsOf(invoke, "close_follow_up")).toEqual({ id: 5, close: { status: "done", reason: "" } });
    expect((await within(panel).findByTestId("follow-up-closed")).textContent).toContain("Closed as done by rm@x");
  });

  it("sends only the fields that changed, and shows a refusal inline in the core's words", async () => {
    let saved: FollowUpDto = OPEN[1];
    core({
      edit_follow_up: ({ id, edit }: Record<string, unknown>) => {
        const e = edit as FollowUpEditDto;
        if (e.owner === "not an address") return Promise.reject({ code: "invalid_input", message: 'The owner "not an address" is not an email address; reminders go to the owner\'s address.' });
        saved = followUp(id as number, { ...saved, owner: e.owner ?? saved.owner, priority: e.priority ?? saved.priority, external_link: e.external_link === "" ? null : (e.external_link ?? saved.external_link) });
        return saved;
      },
    });
    render(<FollowUpsPage />, { route: "/follow-ups/5" });
    const panel = await screen.findByTestId("follow-up-panel");
    const saveButton = within(panel).getByTestId("follow-up-save") as HTMLButtonElement;
    // Nothing changed yet: nothing to send.
    expect(saveButton.disabled).toBe(true);

    fireEvent.change(within(panel).getByTestId("follow-up-owner-input"), { target: { value: "not an address" } });
    fireEvent.click(saveButton);
    const refused = await within(panel).findByTestId("follow-up-edit-error");
    expect(refused.textContent).toBe('The owner "not an address" is not an email address; reminders go to the owner\'s address.');

    fireEvent.change(within(panel).getByTestId("follow-up-owner-input"), { target: { value: " eve@x " } });
    fireEvent.change(within(panel).getByTestId("follow-up-priority-input"), { target: { value: "high" } });
    fireEvent.click(saveButton);
    expect(argsOf(invoke, "edit_follow_up")).toEqual({ id: 5, edit: { owner: "eve@x", priority: "high", due: null, external_link: null, request: null } });
    await waitFor(() => expect(within(panel).getByTestId("follow-up-owner").textContent).toBe("eve@x"));
    expect(within(panel).getByTestId("follow-up-edit-done").textContent).toBe("Saved.");
    expect(within(panel).getByTestId("follow-up-priority").textContent).toBe("High");

    // Emptying the link removes it; the due date is sent as the day picked.
    fireEvent.change(within(panel).getByTestId("follow-up-link-input"), { target: { value: "" } });
    fireEvent.change(within(panel).getByTestId("follow-up-due-input"), { target: { value: "2026-12-18" } });
    fireEvent.click(within(panel).getByTestId("follow-up-save"));
    expect(argsOf(invoke, "edit_follow_up")).toEqual({ id: 5, edit: { owner: null, priority: null, due: "2026-12-18", external_link: "", request: null } });
  });

  it("shows the postmortem draft, copies it and saves it where the person picks", async () => {
    const markdown = "# Postmortem: rollback of staging\n\n## Timeline\n\n- 09:00 rolled back\n";
    core({ postmortem_draft: { markdown, file_name: "postmortem-payments-staging-3.md" }, save_postmortem: "/home/rm/postmortem.md" });
    render(<FollowUpsPage />, { route: "/follow-ups/3" });
    const panel = await screen.findByTestId("follow-up-panel");
    fireEvent.click(within(panel).getByTestId("follow-up-draft"));
    expect(argsOf(invoke, "postmortem_draft")).toEqual({ id: 3 });
    const text = (await within(panel).findByTestId("postmortem-text")) as HTMLTextAreaElement;
    expect(text.value).toBe(markdown);
    expect(text.readOnly).toBe(true);

    fireEvent.click(within(panel).getByTestId("postmortem-copy"));
    expect(writeText).toHaveBeenCalledWith(markdown);
    expect((await within(panel).findByTestId("postmortem-copied")).textContent).toBe("Copied");

    fireEvent.click(within(panel).getByTestId("postmortem-save"));
    // The page names the follow-up; the shell opens the save dialog and writes the file.
    await waitFor(() => expect(argsOf(invoke, "save_postmortem")).toEqual({ id: 3 }));
    expect((await within(panel).findByTestId("postmortem-saved")).textContent).toContain("/home/rm/postmortem.md");
  });

  it("says nothing was saved when the save dialog is cancelled", async () => {
    core({ postmortem_draft: { markdown: "# Draft", file_name: "draft.md" }, save_postmortem: null });
    render(<FollowUpsPage />, { route: "/follow-ups/3" });
    const panel = await screen.findByTestId("follow-up-panel");
    fireEvent.click(within(panel).getByTestId("follow-up-draft"));
    fireEvent.click(await within(panel).findByTestId("postmortem-save"));
    await waitFor(() => expect(argsOf(invoke, "save_postmortem")).toEqual({ id: 3 }));
    expect(within(panel).queryByTestId("postmortem-saved")).toBeNull();
  });
});
