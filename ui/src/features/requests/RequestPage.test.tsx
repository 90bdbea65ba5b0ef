import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { RequestPage } from "./RequestPage";
import { clock, detail, request } from "../../test/fixtures";
import type { RequestDetailDto, RequestStepDto } from "../../ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.useRealTimers();
});

async function open(page: RequestDetailDto, onChanged = vi.fn()) {
  invoke.mockResolvedValueOnce(page);
  render(<RequestPage id={page.summary.id} onClose={() => undefined} onChanged={onChanged} />);
  await screen.findByTestId("request-title");
  return onChanged;
}

/** The page's action buttons, in order. */
function actions(): HTMLElement[] {
  return Array.from(screen.getByTestId("request-page").querySelectorAll<HTMLElement>("[role=group][aria-label=Actions] button"));
}

describe("an acknowledge link", () => {
  it("opens the request with I’m on it focused and does nothing by itself", async () => {
    invoke.mockResolvedValueOnce(detail(request(5, { state: "submitted", actions: ["approve", "acknowledge"] })));
    render(<RequestPage id={5} onClose={() => undefined} acknowledgeReady />);
    await screen.findByTestId("request-title");
    const button = screen.getByTestId("action-acknowledge");
    expect(document.activeElement).toBe(button);
    expect(screen.getByTestId("ack-ready").dataset.ready).toBe("true");
    expect(screen.getByTestId("ack-ready").textContent).toContain("nothing was done yet");
    // Only the page was read: no step was taken.
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(["show_request"]);
  });

  it("says so when there is no breach left to acknowledge", async () => {
    invoke.mockResolvedValueOnce(detail(request(5, { state: "submitted", actions: ["approve"] })));
    render(<RequestPage id={5} onClose={() => undefined} acknowledgeReady />);
    await screen.findByTestId("request-title");
    expect(screen.getByTestId("ack-ready").dataset.ready).toBe("false");
    expect(screen.getByTestId("ack-ready").textContent).toContain("no breached clock");
    expect(document.activeElement).not.toBe(screen.getByTestId("action-approve"));
  });
});

describe("request page", () => {
  const cases: [string, string, RequestStepDto[], string[]][] = [
    ["only Close", "deployed", ["close"], ["Close request"]],
    ["I’m on it for an unanswered breach", "submitted", ["acknowledge"], ["I’m on it"]],
    ["no buttons", "closed", [], []],
    ["its steps in the page's fixed order", "submitted", ["link", "cancel", "approve", "reject"], ["Approve", "Reject…", "Cancel request…", "Link change…"]],
    // The page does not second-guess the core: a step a rule table would not expect still shows.
    ["what the core says even where a rule table would differ", "draft", ["approve", "close"], ["Approve", "Close request"]],
  ];
  it.each(cases)("offers exactly the actions the core lists: %s", async (_, state, offered, want) => {
    await open(detail(request(5, { state, actions: offered })));
    expect(actions().map((b) => b.textContent)).toEqual(want);
    expect(actions().map((b) => b.dataset.testid).sort()).toEqual(offered.map((name) => `action-${name}`).sort());
  });

  it("offers no “I’m on it” for a breached clock unless the core lists it", async () => {
    const breached = clock(5 * 3600, 4 * 3600, { acknowledged: true });
    await open(detail(request(5, { urgent_clock: breached, clocks: [breached], actions: ["hold", "link"] })));
    expect(screen.queryByTestId("action-acknowledge")).toBeNull();
  });

  it("acknowledges a breach with “I’m on it”", async () => {
    await open(detail(request(5, { actions: ["acknowledge"] })));
    invoke.mockResolvedValueOnce(detail(request(5, { actions: [] })));
    fireEvent.click(screen.getByTestId("action-acknowledge"));
    expect(invoke).toHaveBeenLastCalledWith("act_on_request", { id: 5, action: { action: "acknowledge" } });
    await waitFor(() => expect(screen.queryByTestId("action-acknowledge")).toBeNull());
  });

  it("says there is nothing to do, in words, when the core offers no step", async () => {
    await open(detail(request(5, { state: "on-hold", actions: [] })));
    expect(screen.getByTestId("no-actions").textContent).toBe("This request is on hold; there is nothing you can do with it now.");
  });

  it("shows who, what, the clocks, the timeline and the linked changes", async () => {
    await open(detail(request(5)));
    const page = screen.getByTestId("request-page");
    expect(page.textContent).toContain("Change request #5");
    expect(screen.getByTestId("request-title").textContent).toBe("Request 5");
    expect(screen.getByTestId("approvals-needed").textContent).toContain("lead");
    expect(screen.getAllByTestId("clock")).toHaveLength(1);
    expect(screen.getByTestId("clock").textContent).toContain("Time to approve");
    expect(screen.getByTestId("clock").textContent).toContain("3 h left");
    const timeline = screen.getAllByTestId("timeline-entry");
    expect(timeline.map((e) => e.textContent)).toEqual([
      expect.stringContaining("ana@x opened a SEV1 emergency request"),
      expect.stringContaining("ana@x submitted it for approval"),
    ]);
    const linked = screen.getByTestId("linked-change");
    expect(linked.textContent).toContain("abcd0000");
    expect(linked.textContent).toContain("Stop double charges");
    expect(linked.textContent).toContain("#12");
    expect(linked.textContent).toContain("Zoë Müller");
  });

  it("approves with no role named, then shows the new state and tells the list", async () => {
    const onChanged = await open(detail(request(5)));
    invoke.mockResolvedValueOnce(detail(request(5, { state: "approved", approvals_needed: [], actions: ["verify", "link"] })));
    fireEvent.click(screen.getByTestId("action-approve"));
    expect(invoke).toHaveBeenLastCalledWith("act_on_request", { id: 5, action: { action: "approve", role: null } });
    await waitFor(() => expect(screen.getByTestId("state-chip").dataset.state).toBe("approved"));
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(actions().map((b) => b.dataset.testid)).toEqual(["action-verify", "action-link"]);
  });

  it("shows the core's refusal in the page", async () => {
    const onChanged = await open(detail(request(5)));
    invoke.mockRejectedValueOnce({ code: "not_allowed", message: "ana@x asked for this change and cannot approve it." });
    fireEvent.click(screen.getByTestId("action-approve"));
    expect((await screen.findByTestId("action-error")).textContent).toBe("ana@x asked for this change and cannot approve it.");
    expect(screen.getByTestId("state-chip").dataset.state).toBe("submitted");
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("asks for a reason before rejecting", async () => {
    await open(detail(request(5)));
    fireEvent.click(screen.getByTestId("action-reject"));
    const form = screen.getByTestId("reason-form");
    const confirm = screen.getByTestId("confirm-action") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.submit(form);
    fireEvent.change(form.querySelector("input[name=reason]") as HTMLInputElement, { target: { value: "   " } });
    fireEvent.submit(form);
    expect(invoke).toHaveBeenCalledTimes(1); // only show_request
    invoke.mockResolvedValueOnce(detail(request(5, { state: "rejected" })));
    fireEvent.change(form.querySelector("input[name=reason]") as HTMLInputElement, { target: { value: " Not tested on staging " } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    expect(invoke).toHaveBeenLastCalledWith("act_on_request", { id: 5, action: { action: "reject", reason: "Not tested on staging" } });
    await waitFor(() => expect(screen.queryByTestId("reason-form")).toBeNull());
  });

  it("links a change by what names it", async () => {
    await open(detail(request(5)));
    fireEvent.click(screen.getByTestId("action-link"));
    const form = screen.getByTestId("reason-form");
    invoke.mockResolvedValueOnce(detail(request(5)));
    fireEvent.change(form.querySelector("input[name=change]") as HTMLInputElement, { target: { value: "#128" } });
    fireEvent.click(screen.getByTestId("confirm-action"));
    expect(invoke).toHaveBeenLastCalledWith("act_on_request", { id: 5, action: { action: "link", change: "#128" } });
  });

  it("reads the request again every 30 seconds and keeps it on screen when a re-read fails", async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValueOnce(detail(request(5)));
    render(<RequestPage id={5} onClose={() => undefined} onChanged={() => undefined} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    invoke.mockResolvedValueOnce(detail(request(5, { state: "approved", actions: ["verify"] })));
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(screen.getByTestId("state-chip").dataset.state).toBe("approved");
    invoke.mockRejectedValueOnce({ code: "database_unreadable", message: "The database cannot be read." });
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(screen.getByTestId("state-chip").dataset.state).toBe("approved");
    expect(screen.queryByTestId("request-load-error")).toBeNull();
  });

  it("closes from its Close button and with Escape", async () => {
    const onClose = vi.fn();
    invoke.mockResolvedValueOnce(detail(request(5)));
    render(<RequestPage id={5} onClose={onClose} onChanged={() => undefined} />);
    await screen.findByTestId("request-title");
    fireEvent.click(screen.getByLabelText("Close this page"));
    fireEvent.keyDown(window, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it("says why it cannot show a request", async () => {
    invoke.mockRejectedValueOnce({ code: "request_missing", message: "There is no change request #99." });
    render(<RequestPage id={99} onClose={() => undefined} onChanged={() => undefined} />);
    expect((await screen.findByTestId("request-load-error")).textContent).toContain("There is no change request #99.");
  });
});
