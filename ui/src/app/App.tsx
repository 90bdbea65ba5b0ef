import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { useIsFetching, useQuery, useQueryClient } from "@tanstack/react-query";
import { listen } from "@tauri-apps/api/event";
import { api, appInfoQuery, appKeys, boardKeys, boardQuery, inboxQuery, settingsQuery, useRead, type ApiError, type AppInfoDto, type BoardDto, type DesktopNoticeDto, type LinkDto } from "../ipc";
import { Problem } from "../shared/Problem";
import { Logo } from "../shared/Logo";
import { whenShort } from "../shared/format";
import { Toasts, withNotice, type Toast } from "../shared/Toasts";
import { PAGE_PATH, isAppPage, linkPath, type Page } from "../shared/links";
import { Board } from "../features/board";
import { Inbox } from "../features/promotion";
import { Requests } from "../features/requests";
import { Notify } from "../features/notifications";
import { Settings } from "../features/settings";
import { Commands, type Overlay } from "../features/commands";
import { Welcome } from "../features/welcome";
import { useTheme } from "../shared/theme";
import "./app.css";

// The aging view brings the charting library; the board does not wait for it.
const Aging = lazy(() => import("../features/aging").then((m) => ({ default: m.Aging })));
const Metrics = lazy(() => import("../features/metrics").then((m) => ({ default: m.Metrics })));
const FollowUpsPage = lazy(() => import("../features/follow-ups").then((m) => ({ default: m.FollowUpsPage })));

type View =
  | { kind: "loading" }
  | { kind: "no-workspace"; info: AppInfoDto }
  | { kind: "failed"; error: ApiError }
  | { kind: "board"; board: BoardDto };

const TABS: { tab: Page; label: string }[] = [
  { tab: "board", label: "Board" },
  { tab: "inbox", label: "Inbox" },
  { tab: "requests", label: "Requests" },
  { tab: "follow_ups", label: "Follow-ups" },
  { tab: "aging", label: "Aging" },
  { tab: "metrics", label: "Metrics" },
  { tab: "notify", label: "Notifications" },
];

/** Who you act as, in the header; it opens the settings (and asks, when nobody is known). */
function Me({ info, active, onOpen }: { info: AppInfoDto; active: boolean; onOpen: () => void }) {
  const label = info.my_name || info.me;
  const initials = (info.my_name || info.me || "?")
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join("");
  return (
    <button
      className={`me ${active ? "me-active" : ""} ${info.me ? "" : "me-unknown"}`}
      onClick={onOpen}
      title={info.me ? `You act as ${info.me}. Open Settings` : "Slipway does not know who you are. Open Settings"}
      data-testid="me"
      data-email={info.me ?? ""}
    >
      <span className="me-avatar" aria-hidden="true">
        {info.me ? initials : "?"}
      </span>
      <span className="me-name">{label ?? "Who are you?"}</span>
    </button>
  );
}

/** The page a route belongs to (`/requests/12` is the requests page); anything else is the board. */
function pageOf(pathname: string): Page {
  if (pathname === PAGE_PATH.settings) return "settings";
  const found = TABS.find(({ tab }) => pathname === PAGE_PATH[tab] || pathname.startsWith(`${PAGE_PATH[tab]}/`));
  return found?.tab ?? "board";
}

export function App() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tab = pageOf(pathname);
  const info = useQuery(appInfoQuery);
  const board = useQuery({ ...boardQuery, enabled: info.data?.workspace_exists === true });
  const settings = useQuery(settingsQuery);
  useTheme(settings.data?.theme ?? "system");
  // A failed read says so, even over what was shown before: the workspace may be gone.
  const view: View =
    info.status === "pending"
      ? { kind: "loading" }
      : info.status === "error"
        ? { kind: "failed", error: info.error }
        : !info.data.workspace_exists
          ? { kind: "no-workspace", info: info.data }
          : board.status === "pending"
            ? { kind: "loading" }
            : board.status === "error"
              ? { kind: "failed", error: board.error }
              : { kind: "board", board: board.data };
  const busy = useIsFetching({ queryKey: appKeys.info }) + useIsFetching({ queryKey: boardKeys.all }) > 0;
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [overlay, setOverlay] = useState<Overlay>(null);
  // The inbox is read here too: its count stands in the navigation on every page.
  const open = view.kind === "board";
  const inbox = useRead(inboxQuery, open);
  const waiting = open ? (inbox.value?.length ?? 0) : 0;

  // Everything is read again: the workspace, the board, and whatever page is open.
  const refresh = useCallback(() => void client.invalidateQueries(), [client]);

  /** Goes where the core says a `slipway://` link leads (a notice's, the tray menu's). */
  // `navigate` changes with every route; the shell's listeners stay subscribed once.
  const go = useRef(navigate);
  useEffect(() => {
    go.current = navigate;
  }, [navigate]);
  const follow = useCallback((target: LinkDto) => void go.current(linkPath(target)), []);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  // Where the window opens: the link it was started on (a breach mail's, through the desktop
  // entry), else the page it showed when it was last closed. Asked once per window (the ref
  // outlives a development remount).
  const start = useRef<Promise<string | null> | null>(null);
  // Still asking (undefined), on the way to a route (its path), or there (null). The pages
  // wait for it, so the board's default route does not overwrite where the window opens.
  const [opening, setOpening] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    // No start link opens where the window last was; a core that cannot say opens the board.
    const asked = (start.current ??= api.app.windowStart().then((o) => {
      if (!o.ok || !o.value) return null;
      if (o.value.link) return linkPath(o.value.link);
      const last = o.value.last_page;
      return last !== null && isAppPage(last) ? last : null;
    }));
    let live = true;
    void asked.then((target) => {
      if (!live) return;
      if (target) void go.current(target, { replace: true });
      setOpening(target ? (target.split("?")[0] ?? null) : null);
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (opening && pathname === opening) setOpening(null);
  }, [opening, pathname]);
  const started = opening === null;
  useEffect(() => {
    if (started) void api.app.rememberPage(pathname);
  }, [started, pathname]);

  useEffect(() => {
    // The shell sends desktop notices here too (shown in the window), and links picked from the tray or a notification.
    const notices = listen<DesktopNoticeDto>("desktop-notice", (e) => setToasts((all) => withNotice(all, e.payload))).catch(() => null);
    const links = listen<LinkDto>("open-link", (e) => follow(e.payload)).catch(() => null);
    return () => {
      void notices.then((stop) => stop?.());
      void links.then((stop) => stop?.());
    };
  }, [follow]);

  useEffect(() => {
    // Read again whenever the window gets focus (it coming into view is the query client's own
    // cue), and when the core says a project's refs moved (a fetch, a merge). Once listening,
    // it reads once more: the start-up fetch may have told the board before this window listened.
    window.addEventListener("focus", refresh);
    const unlisten = listen("board-changed", refresh)
      .then((stop) => {
        refresh();
        return stop;
      })
      .catch(() => null);
    return () => {
      window.removeEventListener("focus", refresh);
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
              // A request opened by a link is not opened again when the page is picked by hand.
              onClick={() => void navigate(PAGE_PATH[t])}
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
        <div className="workspace" title={info.data?.workspace}>
          {info.data ? info.data.workspace : ""}
        </div>
        {info.data && <Me info={info.data} active={tab === "settings"} onOpen={() => void navigate(PAGE_PATH.settings)} />}
        <div className="topbar-actions">
          {view.kind === "board" && tab === "board" && (
            <span className="updated" data-testid="updated-at">
              Updated {whenShort(view.board.generated_at)}
            </span>
          )}
          {view.kind === "board" && (
            <button className="button find-button" onClick={() => setOverlay("palette")} title="Find a project, environment, change or request (Ctrl+K)" data-testid="find">
              Find <kbd>Ctrl K</kbd>
            </button>
          )}
          <button className="button" onClick={refresh} disabled={busy} data-testid="refresh">
            {busy ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </header>
      <main className="content">
        {tab === "settings" ? (
          <Settings />
        ) : (
          <>
            {(view.kind === "loading" || (view.kind === "board" && !started)) && <div className="loading">Reading the workspace…</div>}
            {/* The pages wait for where the window opens (a start link, the last page), so the
                board's default route does not overwrite it. */}
            {view.kind === "board" && started && <Pages board={view.board} onRefresh={refresh} />}
        {view.kind === "failed" && (
          <Problem
            testId="workspace-error"
            title="Slipway can’t open this workspace"
            error={view.error}
            note="Nothing in the workspace was changed."
            action={{ label: "Try again", onClick: refresh, busy }}
          />
        )}
            {view.kind === "no-workspace" && <Welcome info={view.info} />}
          </>
        )}
      </main>
      <Toasts toasts={toasts} onOpen={follow} onDismiss={dismiss} />
      <Commands open={overlay} setOpen={setOverlay} onRefresh={refresh} enabled={view.kind === "board"} />
    </div>
  );
}

/** The router: one route per page, a request's page at `/requests/<id>` and a follow-up's at `/follow-ups/<id>`. */
function Pages({ board, onRefresh }: { board: BoardDto; onRefresh: () => void }) {
  return (
    <Routes>
      <Route path={PAGE_PATH.board} element={<Board board={board} onRefresh={onRefresh} />} />
      <Route path={PAGE_PATH.inbox} element={<Inbox onChanged={onRefresh} />} />
      <Route path={`${PAGE_PATH.requests}/:id?`} element={<Requests board={board} />} />
      <Route
        path={`${PAGE_PATH.follow_ups}/:id?`}
        element={
          <Suspense fallback={<div className="loading">Opening the follow-ups…</div>}>
            <FollowUpsPage />
          </Suspense>
        }
      />
      <Route
        path={PAGE_PATH.aging}
        element={
          <Suspense fallback={<div className="loading">Opening the aging view…</div>}>
            <Aging />
          </Suspense>
        }
      />
      <Route
        path={PAGE_PATH.metrics}
        element={
          <Suspense fallback={<div className="loading">Opening the metrics…</div>}>
            <Metrics projects={board.projects.map((p) => p.name)} />
          </Suspense>
        }
      />
      <Route path={PAGE_PATH.notify} element={<Notify board={board} />} />
      <Route path="*" element={<Navigate to={PAGE_PATH.board} replace />} />
    </Routes>
  );
}
