import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { answer, argsOf } from "../../test/ipc";
import { settings } from "../../test/fixtures";
import { Settings } from "./Settings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: () => Promise.resolve(null) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe("settings", () => {
  it("shows who you are, where it came from, and the workspace", async () => {
    answer(invoke, { settings: settings({ email_source: "environment", email: "qa@example.com" }) });
    render(<Settings />);
    await screen.findByTestId("settings");
    expect(screen.getByText(/qa@example.com — from SLIPWAY_USER, which wins/)).toBeTruthy();
    expect((screen.getByTestId("setting-roles") as HTMLInputElement).value).toBe("release-manager");
    expect(screen.getByTestId("workspace-in-use").textContent).toContain("/ws");
    expect(screen.getAllByTestId("open-recent")).toHaveLength(1);
    expect(screen.getByTestId("settings-version").textContent).toBe("0.1.0");
  });

  it("saves a setting through the core and shows the new value", async () => {
    let now = settings();
    answer(invoke, {
      settings: () => now,
      set_setting: (args: Record<string, unknown>) => (now = settings({ email_in_settings: String(args.value), email: String(args.value) })),
    });
    render(<Settings />);
    const email = (await screen.findByTestId("setting-email")) as HTMLInputElement;
    fireEvent.change(email, { target: { value: "ana@example.com" } });
    fireEvent.click(screen.getByTestId("save-email"));
    await waitFor(() => expect(argsOf(invoke, "set_setting")).toEqual({ key: "email", value: "ana@example.com" }));
    await screen.findByText(/ana@example.com — from your settings/);
  });

  it("shows a refused value under its field and keeps what was typed", async () => {
    invoke.mockImplementation((cmd: string) =>
      cmd === "settings"
        ? Promise.resolve(settings())
        : Promise.reject({ code: "invalid_input", message: 'The setting fetch-interval cannot be "9999": it takes a whole number of minutes from 0 (off) to 1440 (a day).' }),
    );
    render(<Settings />);
    const field = (await screen.findByTestId("setting-fetch-interval")) as HTMLInputElement;
    fireEvent.change(field, { target: { value: "9999" } });
    fireEvent.click(screen.getByTestId("save-fetch-interval"));
    expect((await screen.findByTestId("setting-fetch-interval-error")).textContent).toContain("from 0 (off) to 1440");
    expect(field.value).toBe("9999");
  });

  it("switches the theme, the notices and the workspace", async () => {
    answer(invoke, { settings: settings(), set_setting: () => settings() });
    render(<Settings />);
    fireEvent.click(await screen.findByTestId("theme-dark"));
    await waitFor(() => expect(argsOf(invoke, "set_setting")).toEqual({ key: "theme", value: "dark" }));
    fireEvent.click(screen.getByTestId("desktop-notices"));
    await waitFor(() => expect(argsOf(invoke, "set_setting")).toEqual({ key: "desktop-notices", value: "off" }));
    fireEvent.click(screen.getByTestId("open-recent"));
    await waitFor(() => expect(argsOf(invoke, "set_setting")).toEqual({ key: "workspace", value: "/old" }));
  });
});
