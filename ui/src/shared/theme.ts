import { useEffect } from "react";
import type { ThemeDto } from "../ipc";

/** Whether the system asks for dark colours now. */
function systemDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Puts the colours on the page: the settings' theme, or for "system" what the system asks for. */
export function applyTheme(theme: ThemeDto) {
  const dark = theme === "dark" || (theme === "system" && systemDark());
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

/** Keeps the page's colours on `theme`, following the system's changes while it is "system". */
export function useTheme(theme: ThemeDto) {
  useEffect(() => {
    applyTheme(theme);
    if (theme !== "system" || typeof window.matchMedia !== "function") return;
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, [theme]);
}
