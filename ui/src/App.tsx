import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { api, type Outcome } from "./api";
import type { ApiError, AppInfoDto, BoardDto, DesktopNoticeDto, InboxItemDto } from "./ipc.gen";
import { Board } from "./Board";
import { Requests } from "./Requests";
import { INBOX_REFRESH_MS, Inbox } from "./Inbox";
import { usePolled } from "./polling";
import { Problem } from "./Problem";
import { Logo } from "./Logo";
import { whenShort } from "./format";
import { Notify } from "./Notify";
import { Toasts, withNotice, type Toast } from "./Toasts";
import { linkTarget } from "./links";

// The aging view brings the charting library; the board does not wait for it.
const Aging = lazy(() => import("./Aging").then((m) => ({ default: m.Aging })));

type View =
  | { kind: "loading" }
  | { kind: "no-workspace"; info: AppInfoDto }
  | { kind: "failed"; error: ApiError }
  | { kind: "board"; board: BoardDto };

/** The app's top-level pages. */
type Tab = "board" | "inbox" | "requests" | "aging" | "notify";

const TABS: { tab: Tab; label: string }[] = [
  { tab: "board", label: "Board" },
  { tab: "inbox", label: "Inbox" },
  { tab: "requests", label: "Requests" },
  { tab: "aging", label: "Aging" },
  { tab: "notify", label: "Notifications" },
];

export function App() {
  const [view, setView] = useState<View>({ kind: "loading" });
  const [tab, setTab] = useState<Tab>("board");
  // Bumped on every refresh, so the requests and aging pages read again too.
  const [refreshes, setRefreshes] = useState(0);
  const [info, setInfo] = useState<AppInfoDto | null>(null);
  const [busy, setBusy] = useState(false);
  // A request a link asked to open; `seq` tells one ask from the next for the same request.
  const [focus, setFocus] = useState<{ id: number; seq: number } | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  // The inbox is read here: its count stands in the navigation on every page.
  const open = view.kind === "board";
  const loadInbox = useCallback(
    (): Promise<Outcome<InboxItemDto[]>> => (open ? api.inbox() : Promise.resolve({ ok: true, value: [] })),
    [open],
  );
  const inbox = usePolled(loadInbox, INBOX_REFRESH_MS, refreshes);
  const waiting = inbox.value?.length ?? 0;

  const refresh = useCallback(async () => {
    setBusy(true);
    setRefreshes((n) => n + 1);
    const infoOutcome = await api.appInfo();
    if (!infoOutcome.ok) {
      setView({ kind: "failed", error: infoOutcome.error });
    } else if (!infoOutcome.value.workspace_exists) {
      setInfo(infoOutcome.value);
      setView({ kind: "no-workspace", info: infoOutcome.value });
    } else {
      setInfo(infoOutcome.value);
      const board = await api.loadBoard();
      setView(board.ok ? { kind: "board", board: board.value } : { kind: "failed", error: board.error });
    }
    setBusy(false);
  }, []);

  const createDemo = useCallback(async () => {
    setBusy(true);
    const made = await api.createDemo();
    if (made.ok) await refresh();
    else setView({ kind: "failed", error: made.error });
    setBusy(false);
  }, [refresh]);

  /** Goes where a `slipway://` link points (a notice, the tray menu); an unknown link changes nothing. */
  const follow = useCallback((link: string) => {
    const target = linkTarget(link);
    if (!target) return;
    setTab(target.tab);
    if (target.request !== undefined) setFocus({ id: target.request, seq: Date.now() });
  }, []);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  useEffect(() => {
    // The shell sends desktop notices here too (shown in the window), and links picked from the tray or a notification.
    const notices = listen<DesktopNoticeDto>("desktop-notice", (e) => setToasts((all) => withNotice(all, e.payload))).catch(() => null);
    const links = listen<string>("open-link", (e) => follow(e.payload)).catch(() => null);
    return () => {
      void notices.then((stop) => stop?.());
      void links.then((stop) => stop?.());
    };
  }, [follow]);

  useEffect(() => {
    // Load once on start, and again whenever the window comes back into view.
    void refresh();
    const onFocus = () => void refresh();
    window.addEventListener("focus", onFocus);
    // The core watches every project's refs and says when they move (a fetch, a merge).
    const unlisten = listen("board-changed", () => void refresh()).catch(() => null);
    return () => {
      window.removeEventListener("focus", onFocus);
      void unlisten.then((stop) => stop?.());
    };
  }, [refresh]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="wordmark">Slipway</span>
        </div>
        <nav className="nav" aria-label="Pages">
          {TABS.map(({ tab: t, label }) => (
            <button
              key={t}
              className={`nav-item ${tab === t ? "nav-active" : ""}`}
              aria-current={tab === t ? "page" : undefined}
              onClick={() => {
                setTab(t);
                // A request opened by a link is not opened again when the page is picked by hand.
                setFocus(null);
              }}
              data-testid={`nav-${t}`}
            >
              {label}
              {t === "inbox" && waiting > 0 && (
                <span className="nav-count" data-testid="inbox-count" aria-label={`${waiting} waiting for your sign-off`}>
                  {waiting}
                </span>
              )}
            </button>
          ))}
        </nav>
        <div className="workspace" title={info?.workspace}>
          {info ? info.workspace : ""}
        </div>
        <div className="topbar-actions">
          {view.kind === "board" && tab === "board" && (
            <span className="updated" data-testid="updated-at">
              Updated {whenShort(view.board.generated_at)}
            </span>
          )}
          <button className="button" onClick={() => void refresh()} disabled={busy} data-testid="refresh">
            {busy ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </header>
      <main className="content">
        {view.kind === "loading" && <div className="loading">Reading the workspace…</div>}
        {view.kind === "board" && tab === "board" && <Board board={view.board} onRefresh={() => void refresh()} />}
        {view.kind === "board" && tab === "inbox" && <Inbox inbox={inbox} onChanged={() => void refresh()} />}
        {view.kind === "board" && tab === "requests" && <Requests board={view.board} refreshToken={refreshes} focus={focus} />}
        {view.kind === "board" && tab === "aging" && (
          <Suspense fallback={<div className="loading">Opening the aging view…</div>}>
            <Aging refreshToken={refreshes} />
          </Suspense>
        )}
        {view.kind === "board" && tab === "notify" && <Notify board={view.board} refreshToken={refreshes} />}
        {view.kind === "failed" && (
          <Problem
            testId="workspace-error"
            title="Slipway can’t open this workspace"
            error={view.error}
            note="Nothing in the workspace was changed."
            action={{ label: "Try again", onClick: () => void refresh(), busy }}
          />
        )}
        {view.kind === "no-workspace" && (
          <Problem
            testId="no-workspace"
            tone="neutral"
            title="No workspace yet"
            error={{
              code: "workspace_missing",
              message: `There is no Slipway workspace in ${view.info.workspace}. Create a demo workspace to look around: a payments repository with a month of history and three environments.`,
            }}
            action={{ label: busy ? "Creating…" : "Create demo workspace", onClick: () => void createDemo(), busy }}
          />
        )}
      </main>
      <Toasts toasts={toasts} onOpen={follow} onDismiss={dismiss} />
    </div>
  );
}
