import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { RequestPage } from "./RequestPage";
import { clock, detail, request } from "./fixtures";
import type { RequestDetailDto } from "./ipc.gen";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

async function open(page: RequestDetailDto, onChanged = vi.fn()) {
  invoke.mockResolvedValueOnce(page);
  render(<RequestPage id={page.summary.id} onClose={() => undefined} onChanged={onChanged} />);
  await screen.findByTestId("request-title");
  return onChanged;
}

function actions(): string[] {
  return Array.from(screen.getByTestId("request-page").querySelectorAll<HTMLElement>("[data-testid^=action-]"))
    .map((b) => b.dataset.testid ?? "")
    .filter((id) => id !== "action-error");
}

describe("request page", () => {
  const cases: [string, string[]][] = [
    ["draft", ["action-submit", "action-hold", "action-cancel", "action-link"]],
    ["submitted", ["action-approve", "action-reject", "action-hold", "action-cancel", "action-link"]],
    ["approved", ["action-verify", "action-reject", "action-hold", "action-cancel", "action-link"]],
    ["verified", ["action-reject", "action-hold", "action-cancel", "action-link"]],
    ["on-hold", ["action-resume", "action-cancel", "action-link"]],
    ["deployed", ["action-close", "action-link"]],
    ["closed", []],
    ["rejected", []],
    ["cancelled", []],
  ];
  it.each(cases)("a %s request offers only what its state allows", async (state, want) => {
    await open(detail(request(5, { state })));
    expect(actions()).toEqual(want);
  });

  it("offers “I’m on it” while a clock is breached", async () => {
    await open(detail(request(5, { urgent_clock: clock(5 * 3600, 4 * 3600) })));
    expect(actions()).toContain("action-acknowledge");
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
    invoke.mockResolvedValueOnce(detail(request(5, { state: "approved", approvals_needed: [] })));
    fireEvent.click(screen.getByTestId("action-approve"));
    expect(invoke).toHaveBeenLastCalledWith("act_on_request", { id: 5, action: { action: "approve", role: null } });
    await waitFor(() => expect(screen.getByTestId("state-chip").dataset.state).toBe("approved"));
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(actions()).toContain("action-verify");
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

  it("says why it cannot show a request", async () => {
    invoke.mockRejectedValueOnce({ code: "request_missing", message: "There is no change request #99." });
    render(<RequestPage id={99} onClose={() => undefined} onChanged={() => undefined} />);
    expect((await screen.findByTestId("request-load-error")).textContent).toContain("There is no change request #99.");
  });
});
