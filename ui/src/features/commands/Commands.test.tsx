import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { Route, Routes, useLocation } from "react-router";
import { render } from "../../test/render";
import { answer } from "../../test/ipc";
import { board, request } from "../../test/fixtures";
import { Commands, type Overlay } from "./Commands";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

function Where() {
  const location = useLocation();
  return <div data-testid="where" data-state={JSON.stringify(location.state)}>{location.pathname}</div>;
}

function Keyboard({ onRefresh }: { onRefresh: () => void }) {
  const [open, setOpen] = useState<Overlay>(null);
  return <Commands open={open} setOpen={setOpen} onRefresh={onRefresh} enabled />;
}

function app(onRefresh = () => undefined) {
  answer(invoke, { load_board: board(), list_requests: { generated_at: "2026-11-23T10:00:00Z", requests: [request(12, { title: "Rotate the API keys" })] } });
  return render(
    <>
      <Keyboard onRefresh={onRefresh} />
      <Routes>
        <Route path="*" element={<Where />} />
      </Routes>
      <input data-testid="somewhere-to-type" />
    </>,
    { route: "/board" },
  );
}

describe("the keyboard", () => {
  it("opens the palette with Ctrl+K and goes to a request on Enter", async () => {
    app();
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    fireEvent.change(input, { target: { value: "#12" } });
    await screen.findByText("#12 Rotate the API keys");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.getByTestId("where").textContent).toBe("/requests/12");
    expect(screen.queryByTestId("palette")).toBeNull();
  });

  it("goes to a change on the board with what to bring into view", async () => {
    app();
    fireEvent.keyDown(window, { key: "k", metaKey: true });
    const sha = board().projects[0].environments[0].queue[0].sha;
    fireEvent.change(await screen.findByTestId("palette-input"), { target: { value: sha.slice(0, 8) } });
    fireEvent.click(await screen.findByTestId("palette-hit"));
    const where = screen.getByTestId("where");
    expect(where.textContent).toBe("/board");
    expect(JSON.parse(where.dataset.state ?? "null").focus.sha).toBe(sha);
  });

  it("shows every shortcut on ?, and g then a letter goes to a page", () => {
    app();
    fireEvent.keyDown(window, { key: "?" });
    const list = screen.getByTestId("shortcuts");
    expect(list.textContent).toContain("Find a project, environment, change or request");
    expect(list.textContent).toContain("Settings");
    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("shortcuts")).toBeNull();
    fireEvent.keyDown(window, { key: "g" });
    fireEvent.keyDown(window, { key: "i" });
    expect(screen.getByTestId("where").textContent).toBe("/inbox");
    fireEvent.keyDown(window, { key: "g" });
    fireEvent.keyDown(window, { key: "s" });
    expect(screen.getByTestId("where").textContent).toBe("/settings");
  });

  it("leaves keys typed into a field alone, but for Ctrl+K", async () => {
    const refresh = vi.fn();
    app(refresh);
    const field = screen.getByTestId("somewhere-to-type");
    fireEvent.keyDown(field, { key: "r" });
    fireEvent.keyDown(field, { key: "g" });
    fireEvent.keyDown(field, { key: "i" });
    fireEvent.keyDown(field, { key: "?" });
    expect(refresh).not.toHaveBeenCalled();
    expect(screen.getByTestId("where").textContent).toBe("/board");
    expect(screen.queryByTestId("shortcuts")).toBeNull();
    fireEvent.keyDown(window, { key: "r" });
    expect(refresh).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(field, { key: "k", ctrlKey: true });
    await screen.findByTestId("palette");
  });
});
