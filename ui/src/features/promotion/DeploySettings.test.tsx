import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { render } from "../../test/render";
import { Board } from "../board";
import { board, deployAction } from "../../test/fixtures";
import type { DeployActionDto } from "../../ipc";
import { answer, argsOf, type Answers } from "../../test/ipc";

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

/** Saving answers what the core would: the settings back, with a token never read back. */
const saved = ({ input }: Record<string, unknown>) => {
  const sent = input as DeployActionDto;
  return { ...sent, token: null, has_token: sent.token !== null || sent.has_token };
};

async function open(stored: DeployActionDto, more: Answers = {}) {
  answer(invoke, { deploy_action: stored, save_deploy_action: saved, ...more });
  render(<Board board={board()} />);
  fireEvent.click(screen.getByTestId("deploy-settings-staging"));
  await screen.findByTestId("save-deploy-settings");
  expect(invoke).toHaveBeenCalledWith("deploy_action", { project: "payments", environment: "staging" });
}

function argvInputs(): HTMLInputElement[] {
  return screen.getAllByTestId("argv-input") as HTMLInputElement[];
}

describe("deploy settings", () => {
  it("sends a command as separate arguments, each exactly as typed, and says there is no shell", async () => {
    await open(deployAction());
    fireEvent.click(screen.getByTestId("kind-command"));
    expect(screen.getByTestId("argv-note").textContent).toContain("no shell");
    fireEvent.change(argvInputs()[0], { target: { value: "./scripts/deploy.sh" } });
    fireEvent.click(screen.getByTestId("add-argument"));
    fireEvent.change(argvInputs()[1], { target: { value: "--ref={{to_sha}}" } });
    fireEvent.click(screen.getByTestId("add-argument"));
    fireEvent.change(argvInputs()[2], { target: { value: "release notes; rm -rf /" } });
    // A box left empty is not an argument.
    fireEvent.click(screen.getByTestId("add-argument"));
    fireEvent.click(screen.getByTestId("save-deploy-settings"));
    const input = argsOf(invoke, "save_deploy_action").input as DeployActionDto;
    expect(input.kind).toBe("command");
    expect(input.argv).toEqual(["./scripts/deploy.sh", "--ref={{to_sha}}", "release notes; rm -rf /"]);
    expect(input.token).toBeNull();
    // The line is there before the answer comes ("Checked when you save…"): wait for its new words.
    await waitFor(() => expect(screen.getByTestId("deploy-settings-saved").textContent).toContain("Saved"));
  });

  it("never shows a stored token, keeps it when the field stays empty, and sends a new one only when typed", async () => {
    const secret = "tok-3f9a-never-on-screen";
    // Even if a token came back, the form must not show it.
    await open(deployAction({ kind: "webhook", url: "https://ci.example.com/hooks/{{environment}}", has_token: true, token: secret }));
    const field = screen.getByTestId("deploy-token") as HTMLInputElement;
    expect(field.type).toBe("password");
    expect(field.value).toBe("");
    expect(document.body.innerHTML).not.toContain(secret);
    expect(screen.getByTestId("token-state").textContent).toContain("stored in your OS keychain");
    expect(screen.getByTestId("variables").textContent).toContain("{{to_sha}}");

    fireEvent.click(screen.getByTestId("save-deploy-settings"));
    expect(argsOf(invoke, "save_deploy_action").input).toMatchObject({ kind: "webhook", token: null, has_token: true });
    await screen.findByText(/^Saved\./);

    fireEvent.change(field, { target: { value: "tok-new" } });
    fireEvent.click(screen.getByTestId("save-deploy-settings"));
    expect(argsOf(invoke, "save_deploy_action").input).toMatchObject({ token: "tok-new" });
    await waitFor(() => expect((screen.getByTestId("deploy-token") as HTMLInputElement).value).toBe(""));
    expect(document.body.innerHTML).not.toContain("tok-new");
  });

  it("forgets the stored token only when asked to", async () => {
    await open(deployAction({ kind: "webhook", url: "https://ci.example.com/deploy", has_token: true }));
    fireEvent.click(screen.getByTestId("forget-token"));
    expect(screen.getByTestId("token-state").textContent).toContain("removed from your OS keychain when you save");
    fireEvent.click(screen.getByTestId("save-deploy-settings"));
    expect(argsOf(invoke, "save_deploy_action").input).toMatchObject({ token: null, has_token: false });
  });

  it("shows the core's refusal next to the form and keeps what was typed", async () => {
    await open(deployAction({ kind: "webhook" }), {
      save_deploy_action: () => Promise.reject({ code: "invalid_input", message: 'The URL "ftp://x" is not http or https.' }),
    });
    fireEvent.change(screen.getByRole("textbox", { name: "URL" }), { target: { value: "ftp://x" } });
    fireEvent.click(screen.getByTestId("save-deploy-settings"));
    const error = await screen.findByTestId("deploy-settings-error");
    expect(error.dataset.code).toBe("invalid_input");
    expect(error.textContent).toContain("is not http or https");
    expect((screen.getByRole("textbox", { name: "URL" }) as HTMLInputElement).value).toBe("ftp://x");
  });
});
