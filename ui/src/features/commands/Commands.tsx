import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";
import { PAGE_PATH } from "../../shared/links";
import { Palette } from "./Palette";
import { ShortcutList } from "./ShortcutList";
import { commandFor, isTyping, type Command } from "./shortcuts";

/** How long the first key of a two-key shortcut (`g`) waits for the second. */
const SECOND_KEY_MS = 1200;

/** What the keyboard has open over the page. */
export type Overlay = "palette" | "help" | null;

/**
 * The keyboard: shortcuts for the pages and Refresh, the palette (Ctrl+K, or the header's Find)
 * and the list of shortcuts (`?`). Keys typed into a field are the field's, but for Ctrl+K.
 */
export function Commands({ open, setOpen, onRefresh, enabled }: { open: Overlay; setOpen: (o: Overlay) => void; onRefresh: () => void; enabled: boolean }) {
  const navigate = useNavigate();
  const pending = useRef<{ key: string; at: number } | null>(null);
  const run = useRef<(c: Command) => void>(() => undefined);
  useEffect(() => {
    run.current = (c: Command) => {
      switch (c.kind) {
        case "go":
          void navigate(PAGE_PATH[c.page]);
          break;
        case "refresh":
          onRefresh();
          break;
        case "palette":
          if (enabled) setOpen("palette");
          break;
        case "help":
          setOpen("help");
          break;
      }
    };
  }, [navigate, onRefresh, enabled, setOpen]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = isTyping(e.target);
      const first = pending.current && Date.now() - pending.current.at < SECOND_KEY_MS ? pending.current.key : null;
      pending.current = null;
      const found = commandFor(e, typing ? null : first);
      if (!found || (typing && found.kind !== "palette")) return;
      if (found.kind === "wait") {
        pending.current = { key: found.key, at: Date.now() };
        return;
      }
      e.preventDefault();
      run.current(found);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (open === "palette")
    return (
      <Palette
        onClose={() => setOpen(null)}
        onGo={(hit) => void navigate(hit.target.path, { state: hit.target.focus ? { focus: hit.target.focus } : null })}
      />
    );
  if (open === "help") return <ShortcutList onClose={() => setOpen(null)} />;
  return null;
}
