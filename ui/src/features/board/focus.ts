import { createContext } from "react";
import type { Focus } from "../../shared/links";

/** What the board was asked to bring into view (a palette hit), for the queues under it. */
export const FocusContext = createContext<Focus | null>(null);

/** The element a focus names on the board: a change's row, an environment's column, or a project. */
function elementFor(focus: Focus): Element | null {
  const project = `[data-project="${CSS.escape(focus.project)}"]`;
  const env = focus.environment === null ? "" : ` [data-env="${CSS.escape(focus.environment)}"]`;
  const sha = focus.sha === null ? "" : ` [data-sha="${CSS.escape(focus.sha)}"]`;
  return document.querySelector(`${project}${env}${sha}`);
}

/**
 * Scrolls what `focus` names into view and marks it for a moment; a row of a virtualised queue
 * appears only once its list has scrolled to it, so this looks again for a second.
 */
export function bringIntoView(focus: Focus): () => void {
  let tries = 0;
  let timer = 0;
  const look = () => {
    const el = elementFor(focus);
    if (el) {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      el.classList.remove("focus-flash");
      void (el as HTMLElement).offsetWidth;
      el.classList.add("focus-flash");
      el.setAttribute("data-focused", "true");
      timer = window.setTimeout(() => el.removeAttribute("data-focused"), 4000);
      return;
    }
    if (++tries < 20) timer = window.setTimeout(look, 50);
  };
  timer = window.setTimeout(look, 0);
  return () => window.clearTimeout(timer);
}
