import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Requests } from "./Requests";
import { NewRequest, localToUtc, toNewRequest, type RequestForm } from "./NewRequest";
import { board, detail, request } from "../../test/fixtures";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

function field(name: string): HTMLInputElement {
  return screen.getByTestId("new-request").querySelector(`[name=${name}]`) as HTMLInputElement;
}

function type(name: string, value: string) {
  fireEvent.change(field(name), { target: { value } });
}

describe("new request form", () => {
  it("sends what the core reads: nulls for empty fields, links split and trimmed, opened at in UTC", async () => {
    const b = board();
    b.projects.push({ ...b.projects[0], name: "ledger", environments: [b.projects[0].environments[0]] });
    invoke.mockImplementation((cmd: string) =>
      Promise.resolve(cmd === "list_requests" ? { generated_at: "2026-11-23T10:00:00Z", requests: [] } : detail(request(12))),
    );
    render(<Requests board={b} />);
    fireEvent.click(await screen.findByTestId("new-request-button"));
    // The project's environments are the target's choices.
    expect(Array.from(field("target_environment").querySelectorAll("option")).map((o) => o.value)).toEqual(["", "qa", "staging", "production"]);
    type("project", "ledger");
    expect(Array.from(field("target_environment").querySelectorAll("option")).map((o) => o.value)).toEqual(["", "qa"]);
    type("project", "payments");
    type("kind", "emergency");
    type("severity", "sev1");
    type("title", "  Stop double charges ");
    type("target_environment", "production");
    type("links", " 3f2a9c1e, #128 ,, stop double ");
    type("opened_at", "2026-11-20T17:00");
    fireEvent.click(screen.getByTestId("create-request"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("open_request", expect.anything()));
    expect(invoke).toHaveBeenCalledWith("open_request", {
      input: {
        project: "payments",
        kind: "emergency",
        severity: "sev1",
        title: "Stop double charges",
        description: "",
        requester: null,
        assignee: null,
        target_environment: "production",
        links: ["3f2a9c1e", "#128", "stop double"],
        opened_at: new Date(2026, 10, 20, 17, 0).toISOString().replace(".000Z", "Z"),
      },
    });
    // Created: the form closes and the new request's page opens.
    expect((await screen.findByTestId("request-page")).dataset.id).toBe("12");
    expect(screen.queryByTestId("new-request")).toBeNull();
  });

  it("shows the core's refusal under the field it is about and keeps what was typed", async () => {
    invoke.mockRejectedValueOnce({
      code: "invalid_input",
      message: "No change on main of project \"payments\" matches “nope”. Give a sha, a #PR number or words from its title.",
    });
    const onCreated = vi.fn();
    render(<NewRequest board={board()} onClose={() => undefined} onCreated={onCreated} />);
    type("title", "Refund fix");
    type("assignee", "bo@x");
    type("description", "Refunds fail for partial captures.");
    type("links", "nope");
    fireEvent.click(screen.getByTestId("create-request"));
    const error = await screen.findByTestId("new-request-error");
    expect(error.textContent).toContain("matches “nope”");
    expect(error.dataset.field).toBe("links");
    expect(field("links").getAttribute("aria-invalid")).toBe("true");
    expect(field("title").value).toBe("Refund fix");
    expect(field("assignee").value).toBe("bo@x");
    expect(field("description").value).toBe("Refunds fail for partial captures.");
    expect(field("links").value).toBe("nope");
    expect(onCreated).not.toHaveBeenCalled();
    expect(invoke.mock.calls[0][1].input.assignee).toBe("bo@x");
  });

  it("closes with Escape or Cancel without sending anything", () => {
    const onClose = vi.fn();
    render(<NewRequest board={board()} onClose={onClose} onCreated={() => undefined} />);
    fireEvent.keyDown(window, { key: "Escape" });
    fireEvent.click(screen.getByText("Cancel", { selector: "button" }));
    expect(onClose).toHaveBeenCalledTimes(2);
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe("toNewRequest", () => {
  const blank: RequestForm = {
    project: "payments",
    kind: "normal",
    severity: "sev3",
    title: "t",
    description: "",
    requester: " ",
    assignee: "",
    target_environment: "",
    links: "",
    opened_at: "",
  };
  it("turns empty optional fields into null and no links into an empty list", () => {
    expect(toNewRequest(blank)).toEqual({
      ...blank,
      requester: null,
      assignee: null,
      target_environment: null,
      links: [],
      opened_at: null,
    });
  });
  it("converts the viewer's local time to UTC", () => {
    const local = new Date(2026, 0, 5, 9, 30);
    expect(localToUtc("2026-01-05T09:30")).toBe(local.toISOString().replace(".000Z", "Z"));
    expect(localToUtc("2026-01-05T09:30")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(localToUtc("")).toBeNull();
  });
});

describe("a refusal from the core", () => {
  // The core's messages, as it words them today: each shows under the field it is about.
  const cases: [string, string | null][] = [
    ["The title must not be empty.", "title"],
    ['Project "payments" has no environment "prod"; it has qa, staging, production.', "target_environment"],
    ["“x” is not a time; write 2026-11-20T17:00:00+01:00 or 2026-11-20 16:00 (UTC).", "opened_at"],
    ["2030-01-01T00:00:00Z is in the future; events are entered when they happen or after.", "opened_at"],
    ["“fix” matches 4 changes (a “fix title”, …); give a sha or a #PR number.", "links"],
    ["Slipway does not know who you are: pass --as EMAIL, set SLIPWAY_USER, or set git's user.email.", null],
  ];
  it.each(cases)("%s", async (message, want) => {
    invoke.mockRejectedValueOnce({ code: "invalid_input", message });
    render(<NewRequest board={board()} onClose={() => undefined} onCreated={() => undefined} />);
    type("title", "Refund fix");
    fireEvent.click(screen.getByTestId("create-request"));
    const error = await screen.findByTestId("new-request-error");
    expect(error.textContent).toBe(message);
    const label = error.closest("label");
    if (want === null) {
      expect(label).toBeNull();
    } else {
      expect(label?.querySelector(`[name=${want}]`)).not.toBeNull();
      expect(field(want).getAttribute("aria-invalid")).toBe("true");
    }
    expect(screen.getAllByTestId("new-request-error")).toHaveLength(1);
  });
});
