import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { render } from "../../test/render";
import { App } from "../../app/App";
import { Notify } from "./Notify";
import { board, channelDto, delivery, detail, followUp, outbox, request, stakeholder, subscription, template } from "../../test/fixtures";
import type { ChannelInputDto, DesktopNoticeDto, LinkDto, SubscriptionInputDto } from "../../ipc";
import { answer, argsOf, type Answers } from "../../test/ipc";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

/** The shell's events, as the app subscribed to them; a test sends one with `emit`. */
const listeners = new Map<string, (event: { payload: unknown }) => void>();
vi.mock("@tauri-apps/api/event", () => ({
  listen: (name: string, handler: (event: { payload: unknown }) => void) => {
    listeners.set(name, handler);
    return Promise.resolve(() => listeners.delete(name));
  },
}));

function emit(name: string, payload: unknown) {
  const handler = listeners.get(name);
  if (!handler) throw new Error(`nobody listens to ${name}`);
  act(() => handler({ payload }));
}

afterEach(() => {
  cleanup();
  invoke.mockReset();
  listeners.clear();
  vi.useRealTimers();
});

const SMTP_DOWN = "The test message through “release-mail” failed: smtp.example.com:587 refused the connection (connection refused).";

/** A workspace with one of everything; `more` replaces answers. */
function core(more: Answers = {}): Answers {
  return {
    stakeholders: [stakeholder("dana@example.com", { name: "Dana Rossi", roles: ["qa"], subscriptions: 1 }), stakeholder("lee@example.com", { name: "Lee Park" })],
    channels: [channelDto("release-mail", "email", { subscriptions: 1 }), channelDto("ops-hook", "webhook")],
    subscriptions: [subscription(3)],
    outbox: outbox([
      delivery(9, "pending"),
      delivery(8, "sent"),
      delivery(7, "dead", { attempts: 5, last_error: "hooks.example.com answered 410 Gone: the webhook was deleted", channel: "ops-hook", channel_kind: "webhook" }),
    ]),
    retry_delivery: null,
    add_channel: ({ input }: Record<string, unknown>) => channelDto((input as ChannelInputDto).name, (input as ChannelInputDto).kind),
    test_channel: "A test message went out through “release-mail” (email) to qa@example.com.",
    subscribe: ({ input }: Record<string, unknown>) => subscription(4, input as SubscriptionInputDto),
    templates: [
      template("promoted", "email", "subject", "[{{project}}] {{title}}"),
      template("promoted", "email", "text", "{{title}}\n\nOpen in Slipway: {{link}}\n"),
      template("promoted", "email", "html", "<p>{{title}}</p>"),
      template("promoted", "slack", "markdown", "*{{title}}*"),
    ],
    ...more,
  };
}

async function open(section: string, more: Answers = {}) {
  answer(invoke, core(more));
  render(<Notify board={board()} />);
  fireEvent.click(screen.getByTestId(`notify-${section}`));
  await screen.findByTestId(section);
}

function value(testId: string): string {
  return (screen.getByTestId(testId) as HTMLInputElement).value;
}

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

describe("outbox", () => {
  it("shows the counts and every delivery, a dead letter with its last error, and retries it by its number", async () => {
    await open("outbox");
    const rows = await screen.findAllByTestId("delivery-row");
    expect(rows.map((r) => r.dataset.state)).toEqual(["pending", "sent", "dead"]);
    expect(screen.getByTestId("outbox-count-pending").textContent).toBe("1");
    expect(screen.getByTestId("outbox-count-sent").textContent).toBe("1");
    expect(screen.getByTestId("outbox-count-dead").textContent).toBe("1");
    expect(screen.getByTestId("dead-count").textContent).toBe("1");
    expect(invoke).toHaveBeenCalledWith("outbox", { state: null, limit: 100 });

    const dead = rows[2];
    expect(within(dead).getByTestId("dead-error").textContent).toContain("Gave up after 5 attempts");
    expect(within(dead).getByTestId("dead-error").textContent).toContain("410 Gone: the webhook was deleted");
    // Only dead letters are retried by hand.
    expect(within(rows[0]).queryByRole("button", { name: "Retry" })).toBeNull();

    const reads = invoke.mock.calls.filter((c) => c[0] === "outbox").length;
    fireEvent.click(within(dead).getByTestId("retry-7"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("retry_delivery", { id: 7 }));
    // The outbox is read again at once, not only at the next tick.
    await waitFor(() => expect(invoke.mock.calls.filter((c) => c[0] === "outbox").length).toBeGreaterThan(reads));
  });

  it("lists only the state asked for, and says why a retry was refused", async () => {
    await open("outbox", { retry_delivery: () => Promise.reject({ code: "not_allowed", message: "Delivery #7 is not a dead letter; only those are retried by hand." }) });
    fireEvent.click(screen.getByTestId("outbox-filter-dead"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("outbox", { state: "dead", limit: 100 }));
    fireEvent.click(await screen.findByTestId("retry-7"));
    expect((await screen.findByTestId("retry-error")).textContent).toBe("Delivery #7 is not a dead letter; only those are retried by hand.");
  });

  it("shows an escalation no channel can carry as undeliverable, with its reason and no Retry", async () => {
    const reason = "no channel reaches cto@example.com: add an email channel or a subscription";
    await open("outbox", {
      outbox: outbox([delivery(11, "dead", { recipient: "cto@example.com", channel: "", channel_kind: "none", last_error: reason, undeliverable: true, attempts: 0 })]),
    });
    const [row] = await screen.findAllByTestId("delivery-row");
    expect(within(row).getByText("No channel")).toBeTruthy();
    expect(within(row).getByTestId("dead-error").textContent).toBe(`Undeliverable: ${reason}`);
    expect(within(row).queryByTestId("retry-11")).toBeNull();
  });

  it("reads the outbox again every five seconds", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    await open("outbox");
    await screen.findAllByTestId("delivery-row");
    const reads = () => invoke.mock.calls.filter((c) => c[0] === "outbox").length;
    const before = reads();
    act(() => vi.advanceTimersByTime(5_000));
    expect(reads()).toBe(before + 1);
  });
});

describe("channels", () => {
  it("adds a signed webhook with exactly its own fields, and forgets the key once it is saved", async () => {
    const key = "whsec-4f1d9c2b7a8e6d5f";
    await open("channels");
    type("channel-name", "ops-events");
    fireEvent.change(screen.getByTestId("channel-kind"), { target: { value: "webhook" } });
    expect(screen.queryByTestId("channel-host")).toBeNull();
    type("channel-url", "https://ops.example.com/slipway");
    type("channel-secret", key);
    expect((screen.getByTestId("channel-secret") as HTMLInputElement).type).toBe("password");
    fireEvent.click(screen.getByTestId("channel-save"));

    await screen.findByTestId("channel-done");
    expect(argsOf(invoke, "add_channel").input).toEqual({
      name: "ops-events",
      kind: "webhook",
      host: "",
      port: 0,
      tls: "",
      username: "",
      from: "",
      url: "https://ops.example.com/slipway",
      secret: key,
    });
    expect(value("channel-secret")).toBe("");
    expect(value("channel-url")).toBe("");
    expect(document.body.innerHTML).not.toContain(key);
    expect(screen.getByTestId("channel-done").textContent).toContain("never shows them again");
    // The list is read again so the new channel shows.
    await waitFor(() => expect(invoke.mock.calls.filter((c) => c[0] === "channels").length).toBe(2));
  });

  it("sends an email channel's SMTP settings, the port as a number", async () => {
    await open("channels");
    type("channel-name", "release-mail-2");
    expect((screen.getByTestId("channel-port") as HTMLInputElement).placeholder).toBe("587");
    type("channel-host", "smtp.example.com");
    type("channel-port", "2525");
    type("channel-username", "rm");
    type("channel-secret", "hunter2-smtp");
    type("channel-from", "releases@example.com");
    fireEvent.click(screen.getByTestId("channel-save"));
    await screen.findByTestId("channel-done");
    expect(argsOf(invoke, "add_channel").input).toEqual({
      name: "release-mail-2",
      kind: "email",
      host: "smtp.example.com",
      port: 2525,
      tls: "starttls",
      username: "rm",
      from: "releases@example.com",
      url: "",
      secret: "hunter2-smtp",
    });
  });

  it("shows a missing keychain word for word and keeps everything typed", async () => {
    const refusal = "The OS keychain is not available (no secret service is running); nothing was saved.";
    await open("channels", { add_channel: () => Promise.reject({ code: "keychain_unavailable", message: refusal }) });
    type("channel-name", "releases");
    fireEvent.change(screen.getByTestId("channel-kind"), { target: { value: "slack" } });
    type("channel-url", "https://hooks.slack.com/services/T0/B0/abc");
    fireEvent.click(screen.getByTestId("channel-save"));

    const error = await screen.findByTestId("channel-error");
    expect(error.textContent).toBe(refusal);
    expect(error.dataset.code).toBe("keychain_unavailable");
    expect(value("channel-name")).toBe("releases");
    expect(value("channel-kind")).toBe("slack");
    expect(value("channel-url")).toBe("https://hooks.slack.com/services/T0/B0/abc");
  });

  it("shows why a test message failed, word for word, beside its channel", async () => {
    await open("channels", { test_channel: () => Promise.reject({ code: "delivery_failed", message: SMTP_DOWN }) });
    const row = (await screen.findAllByTestId("channel-row")).find((r) => r.dataset.name === "release-mail");
    if (!row) throw new Error("no release-mail row");
    fireEvent.change(within(row).getByTestId("test-to-release-mail"), { target: { value: "qa@example.com" } });
    fireEvent.click(within(row).getByTestId("test-channel-release-mail"));
    const result = await within(row).findByTestId("test-result-release-mail");
    expect(result.textContent).toBe(SMTP_DOWN);
    expect(result.dataset.code).toBe("delivery_failed");
    expect(result.getAttribute("role")).toBe("alert");
    expect(argsOf(invoke, "test_channel")).toEqual({ name: "release-mail", to: "qa@example.com" });
  });

  it("says a test went out, and sends no address for a channel that is not email", async () => {
    await open("channels", { test_channel: "A test message went out through “ops-hook” (webhook)." });
    fireEvent.click(await screen.findByTestId("test-channel-ops-hook"));
    expect((await screen.findByTestId("test-result-ops-hook")).dataset.ok).toBe("true");
    expect(argsOf(invoke, "test_channel")).toEqual({ name: "ops-hook", to: null });
  });

  it("removes a channel only after asking", async () => {
    await open("channels", { remove_channel: null });
    fireEvent.click(await screen.findByTestId("remove-channel-release-mail"));
    expect(invoke).not.toHaveBeenCalledWith("remove_channel", expect.anything());
    expect(screen.getByText("Remove release-mail and its 1 subscription?")).toBeTruthy();
    fireEvent.click(screen.getByTestId("confirm-remove-channel-release-mail"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("remove_channel", { name: "release-mail" }));
  });
});

describe("stakeholders", () => {
  it("lists people with their roles and saves one with roles split at commas", async () => {
    await open("stakeholders", { save_stakeholder: null });
    const rows = await screen.findAllByTestId("stakeholder-row");
    expect(rows.map((r) => r.dataset.email)).toEqual(["dana@example.com", "lee@example.com"]);
    expect(within(rows[0]).getByText("qa")).toBeTruthy();
    type("stakeholder-email", "sam@example.com");
    type("stakeholder-name", "Sam Lee");
    type("stakeholder-handle", "@sam");
    type("stakeholder-roles", "qa, release-manager,");
    fireEvent.click(screen.getByTestId("stakeholder-save"));
    await screen.findByTestId("stakeholder-done");
    expect(argsOf(invoke, "save_stakeholder").input).toEqual({
      email: "sam@example.com",
      name: "Sam Lee",
      chat_handle: "@sam",
      roles: ["qa", "release-manager"],
      subscriptions: 0,
    });
    expect(value("stakeholder-email")).toBe("");
  });

  it("shows the core's refusal and keeps the form", async () => {
    const refusal = "“@da na” is not a chat handle; write it without spaces (@dana).";
    await open("stakeholders", { save_stakeholder: () => Promise.reject({ code: "invalid_input", message: refusal }) });
    fireEvent.click(await screen.findByTestId("edit-stakeholder-dana@example.com"));
    expect(value("stakeholder-roles")).toBe("qa");
    type("stakeholder-handle", "@da na");
    fireEvent.click(screen.getByTestId("stakeholder-save"));
    expect((await screen.findByTestId("stakeholder-error")).textContent).toBe(refusal);
    expect(value("stakeholder-handle")).toBe("@da na");
    expect(value("stakeholder-email")).toBe("dana@example.com");
  });
});

describe("subscriptions", () => {
  it("subscribes to a daily digest in a named zone, with the events ticked", async () => {
    await open("subscriptions");
    expect((await screen.findAllByTestId("subscription-row")).map((r) => r.dataset.id)).toEqual(["3"]);
    fireEvent.change(screen.getByTestId("subscribe-person"), { target: { value: "lee@example.com" } });
    fireEvent.change(screen.getByTestId("subscribe-channel"), { target: { value: "ops-hook" } });
    fireEvent.change(screen.getByTestId("subscribe-project"), { target: { value: "payments" } });
    fireEvent.change(screen.getByTestId("subscribe-environment"), { target: { value: "production" } });
    fireEvent.click(screen.getByTestId("subscribe-kind-breached"));
    fireEvent.click(screen.getByTestId("subscribe-kind-promoted"));
    fireEvent.change(screen.getByTestId("subscribe-severity"), { target: { value: "warning" } });
    fireEvent.click(screen.getByTestId("subscribe-delivery-digest"));
    type("subscribe-time", "09:00");
    type("subscribe-zone", "Europe/Berlin");
    fireEvent.click(screen.getByTestId("subscribe-save"));

    await screen.findByTestId("subscribe-done");
    expect(argsOf(invoke, "subscribe").input).toEqual({
      person: "lee@example.com",
      channel: "ops-hook",
      project: "payments",
      environment: "production",
      kinds: ["promoted", "breached"],
      min_severity: "warning",
      delivery: "digest 09:00 Europe/Berlin",
    });
  });

  it("subscribes to everything at once by default, in the viewer's zone when a digest is picked", async () => {
    await open("subscriptions");
    await screen.findAllByTestId("subscription-row");
    expect(value("subscribe-zone")).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    fireEvent.click(screen.getByTestId("subscribe-save"));
    await screen.findByTestId("subscribe-done");
    expect(argsOf(invoke, "subscribe").input).toEqual({
      person: "dana@example.com",
      channel: "release-mail",
      project: "",
      environment: "",
      kinds: [],
      min_severity: "info",
      delivery: "immediate",
    });
  });
});

describe("templates", () => {
  it("inserts a variable, and shows an unknown one's refusal under the editor without losing the text", async () => {
    const refusal = "Unknown variable {{ticket}} in the promoted subject; use one of: title, project, environment, link.";
    await open("templates", { save_template: () => Promise.reject({ code: "invalid_input", message: refusal }) });
    await screen.findByTestId("template-body");
    expect(value("template-body")).toBe("[{{project}}] {{title}}");
    expect([...(screen.getByTestId("template-part") as HTMLSelectElement).options].map((o) => o.value)).toEqual(["subject", "text", "html"]);

    const body = screen.getByTestId("template-body") as HTMLTextAreaElement;
    type("template-body", "Shipped: ");
    body.setSelectionRange(9, 9);
    fireEvent.click(screen.getByTestId("template-var-title"));
    expect(value("template-body")).toBe("Shipped: {{title}}");
    type("template-body", "Shipped: {{title}} ({{ticket}})");
    fireEvent.click(screen.getByTestId("template-save"));

    expect((await screen.findByTestId("template-error")).textContent).toBe(refusal);
    expect(value("template-body")).toBe("Shipped: {{title}} ({{ticket}})");
    expect(argsOf(invoke, "save_template").input).toEqual({ kind: "promoted", channel_kind: "email", part: "subject", body: "Shipped: {{title}} ({{ticket}})" });
  });

  it("offers each channel's own parts and resets a customised template", async () => {
    await open("templates", {
      templates: [template("promoted", "email", "subject", "x"), template("promoted", "slack", "markdown", "*{{title}}* by us", { custom: true })],
      reset_template: null,
    });
    fireEvent.change(await screen.findByTestId("template-channel"), { target: { value: "slack" } });
    expect(value("template-part")).toBe("markdown");
    expect(value("template-body")).toBe("*{{title}}* by us");
    expect(screen.getByTestId("template-state").textContent).toBe("Customised");
    fireEvent.click(screen.getByTestId("template-reset"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("reset_template", { kind: "promoted", channelKind: "slack", part: "markdown" }));
  });
});

describe("desktop notices and links", () => {
  const appAnswers: Answers = {
    app_info: { version: "0.1.0", workspace: "/ws", workspace_exists: true, log_dir: "/ws/logs" },
    load_board: board(),
    inbox: [],
    list_requests: { generated_at: "2026-11-23T10:00:00Z", requests: [request(12)] },
    show_request: detail(request(12)),
  };

  it("shows a desktop notice as a toast that goes where the core says its link leads when clicked", async () => {
    answer(invoke, appAnswers);
    render(<App />);
    await screen.findByTestId("board");
    await waitFor(() => expect(listeners.has("desktop-notice")).toBe(true));
    const notice: DesktopNoticeDto = { title: "SLA breached: #12 Refund fix", body: "The approve clock of #12 ran out.", link: "slipway://request/12", target: { page: "requests", request: 12, follow_up: null, acknowledge: false }, severity: "critical" };
    emit("desktop-notice", notice);

    const toast = screen.getByTestId("toast");
    expect(toast.dataset.severity).toBe("critical");
    expect(toast.textContent).toContain("SLA breached: #12 Refund fix");
    fireEvent.click(within(toast).getByTestId("toast-open"));
    expect(screen.queryByTestId("toast")).toBeNull();
    expect(screen.getByTestId("nav-requests").getAttribute("aria-current")).toBe("page");
    expect((await screen.findByTestId("request-page")).dataset.id).toBe("12");
  });

  it("lets a toast go after eight seconds", async () => {
    answer(invoke, appAnswers);
    render(<App />);
    await screen.findByTestId("board");
    await waitFor(() => expect(listeners.has("desktop-notice")).toBe(true));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    emit("desktop-notice", { title: "Promoted", body: "", link: "slipway://board", target: { page: "board", request: null, follow_up: null, acknowledge: false }, severity: "info" } satisfies DesktopNoticeDto);
    expect(screen.getAllByTestId("toast")).toHaveLength(1);
    act(() => vi.advanceTimersByTime(8_000));
    expect(screen.queryByTestId("toast")).toBeNull();
  });

  it("opens the page a link from the shell points to", async () => {
    answer(invoke, appAnswers);
    render(<App />);
    await screen.findByTestId("board");
    await waitFor(() => expect(listeners.has("open-link")).toBe(true));
    emit("open-link", { page: "inbox", request: null, follow_up: null, acknowledge: false } satisfies LinkDto);
    expect(screen.getByTestId("nav-inbox").getAttribute("aria-current")).toBe("page");
    emit("open-link", { page: "notifications", request: null, follow_up: null, acknowledge: false } satisfies LinkDto);
    expect(screen.getByTestId("nav-notify").getAttribute("aria-current")).toBe("page");
    emit("open-link", { page: "requests", request: 12, follow_up: null, acknowledge: false } satisfies LinkDto);
    expect((await screen.findByTestId("request-page")).dataset.id).toBe("12");
    emit("open-link", { page: "board", request: null, follow_up: null, acknowledge: false } satisfies LinkDto);
    expect(screen.getByTestId("nav-board").getAttribute("aria-current")).toBe("page");
  });

  it("opens a follow-up a reminder's link names", async () => {
    answer(invoke, { ...appAnswers, follow_ups: [followUp(3, { standing: "overdue by 2 d", overdue: true })] });
    render(<App />);
    await screen.findByTestId("board");
    await waitFor(() => expect(listeners.has("open-link")).toBe(true));
    emit("open-link", { page: "follow_ups", request: null, follow_up: 3, acknowledge: false } satisfies LinkDto);
    expect((await screen.findByTestId("follow-up-panel")).dataset.id).toBe("3");
    expect(screen.getByTestId("nav-follow_ups").getAttribute("aria-current")).toBe("page");
    expect(screen.getAllByTestId("follow-up-row").map((r) => r.dataset.id)).toEqual(["3"]);
  });

  it("shows a notice whose link leads nowhere in the app, and does not offer to open it", async () => {
    answer(invoke, appAnswers);
    render(<App />);
    await screen.findByTestId("board");
    await waitFor(() => expect(listeners.has("desktop-notice")).toBe(true));
    emit("desktop-notice", { title: "Digest sent", body: "", link: "slipway://nowhere", target: null, severity: "shrill" } satisfies DesktopNoticeDto);
    const toast = screen.getByTestId("toast");
    expect(toast.textContent).toContain("Digest sent");
    // A severity the core does not use is shown as info.
    expect(toast.dataset.severity).toBe("info");
    expect(within(toast).queryByTestId("toast-open")).toBeNull();
    expect(screen.getByTestId("nav-board").getAttribute("aria-current")).toBe("page");
  });
});
