import { afterEach, describe, expect, it, vi } from "vitest";
import { applyTheme } from "./theme";

function systemIs(dark: boolean) {
  vi.stubGlobal("matchMedia", (query: string) => ({ matches: dark && query.includes("dark"), addEventListener: () => undefined, removeEventListener: () => undefined }));
}

afterEach(() => vi.unstubAllGlobals());

describe("the theme", () => {
  const cases: { theme: "system" | "light" | "dark"; systemDark: boolean; want: string }[] = [
    { theme: "light", systemDark: true, want: "light" },
    { theme: "dark", systemDark: false, want: "dark" },
    { theme: "system", systemDark: true, want: "dark" },
    { theme: "system", systemDark: false, want: "light" },
  ];
  for (const c of cases) {
    it(`${c.theme} on a ${c.systemDark ? "dark" : "light"} system is ${c.want}`, () => {
      systemIs(c.systemDark);
      applyTheme(c.theme);
      expect(document.documentElement.dataset.theme).toBe(c.want);
    });
  }
});
