import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { Board } from "./Board";
import { board } from "./fixtures";
import { toApiError } from "./api";

afterEach(cleanup);

describe("Board", () => {
  it("shows each environment's queue in order with its count", () => {
    render(<Board board={board()} />);
    const columns = screen.getAllByTestId("env-column");
    expect(columns.map((c) => c.dataset.env)).toEqual(["qa", "staging", "production"]);
    const staging = columns[1];
    expect(staging.querySelector("[data-testid=queue-count]")?.textContent).toBe("2");
    const shas = Array.from(staging.querySelectorAll<HTMLElement>("[data-testid=queued-change]")).map((r) => r.dataset.sha?.slice(0, 4));
    expect(shas).toEqual(["bbbb", "cccc"]);
    expect(staging.querySelector("[data-testid=age]")?.className).toContain("band-aging");
    expect(columns[2].textContent).toContain("Up to date with staging");
  });

  it("explains a project that cannot be read instead of showing columns", () => {
    const b = board();
    b.projects[0].error = { code: "repository_missing", message: "The repository folder /x does not exist." };
    render(<Board board={b} />);
    expect(screen.getByTestId("project-error").textContent).toContain("/x does not exist");
    expect(screen.queryAllByTestId("env-column")).toHaveLength(0);
  });
});

describe("toApiError", () => {
  const cases: [string, unknown, string][] = [
    ["a coded error passes through", { code: "ref_missing", message: "Ref x is missing." }, "Ref x is missing."],
    ["a bare string is not shown raw", "Error: panicked at src/lib.rs:1", "Slipway hit an unexpected problem"],
    ["an object without a message", { code: "io" }, "Slipway hit an unexpected problem"],
    ["null", null, "Slipway hit an unexpected problem"],
  ];
  it.each(cases)("%s", (_name, raw, want) => expect(toApiError(raw).message).toContain(want));
});
