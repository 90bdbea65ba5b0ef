import { useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { open } from "@tauri-apps/plugin-dialog";
import { api, settingsQuery, useAct, useRead, type IdentitySourceDto, type SettingsDto, type ThemeDto, type WorkspaceSourceDto } from "../../ipc";
import { Problem } from "../../shared/Problem";

const EMAIL_SOURCE: Record<IdentitySourceDto, string> = {
  flag: "from --as on the command line",
  environment: "from SLIPWAY_USER, which wins over the setting below",
  settings: "from your settings",
  git: "from git’s user.email (set one here to act as someone else on this machine)",
};

const WORKSPACE_SOURCE: Record<WorkspaceSourceDto, string> = {
  flag: "chosen with --workspace when the app started",
  environment: "chosen by SLIPWAY_WORKSPACE",
  settings: "the one you switched to",
  default: "the app’s data folder",
};

const THEMES: { theme: ThemeDto; label: string }[] = [
  { theme: "system", label: "System" },
  { theme: "light", label: "Light" },
  { theme: "dark", label: "Dark" },
];

/** Settings: who you are, the workspace in use, the fetch interval, theme, desktop notices, and where things are. */
export function Settings() {
  const settings = useRead(settingsQuery);
  if (!settings.loaded) return <div className="loading">Reading your settings…</div>;
  if (!settings.value) return <Problem testId="settings-error" title="Slipway can’t read your settings" error={settings.error} note="Nothing was changed." />;
  const s = settings.value;
  return (
    <div className="page settings-page" data-testid="settings">
      <div className="page-head">
        <h1 className="page-title">Settings</h1>
      </div>
      <Group title="You" note="Who you act as when you promote, sign off, hold or approve.">
        <Field key={`email:${s.email_in_settings ?? ""}`} label="Email" name="email" value={s.email_in_settings ?? ""} placeholder={s.email ?? "ana@example.com"} hint={s.email ? `${s.email} — ${s.email_source ? EMAIL_SOURCE[s.email_source] : ""}` : "Nobody yet: set your email."} />
        <Field key={`name:${s.name}`} label="Name" name="name" value={s.name} placeholder="Ana Lima" />
        <Field
          key={`roles:${s.workspace}:${s.roles.join(",")}`}
          label="Roles in this workspace"
          name="roles"
          value={s.roles.join(", ")}
          placeholder="qa, release-manager"
          hint={s.workspace_exists ? "Comma-separated; sign-off and approval rules name them." : "Roles belong to a workspace: create one first."}
          disabled={!s.workspace_exists || !s.email}
        />
      </Group>
      <Group title="Workspace" note="The folder with slipway.toml and its database.">
        <WorkspaceSwitch settings={s} />
        <Field
          key={`fetch:${s.workspace}:${s.fetch_interval_minutes ?? ""}`}
          label="Fetch every (minutes)"
          name="fetch-interval"
          value={s.fetch_interval_minutes === null ? "" : String(s.fetch_interval_minutes)}
          placeholder="5"
          hint="0 turns background fetching off; at most 1440 (a day). Kept in the workspace’s slipway.toml."
          disabled={s.fetch_interval_minutes === null}
          inputMode="numeric"
        />
      </Group>
      <Group title="Appearance and notices">
        <ThemePicker theme={s.theme} />
        <NoticesToggle on={s.desktop_notices} />
      </Group>
      <Group title="About">
        <dl className="settings-facts">
          <dt>Version</dt>
          <dd data-testid="settings-version">{s.version}</dd>
          <dt>Logs</dt>
          <dd>
            <code>{s.log_dir}</code>
          </dd>
          <dt>Your settings file</dt>
          <dd>
            <code>{s.settings_file}</code>
          </dd>
        </dl>
      </Group>
    </div>
  );
}

function Group({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  return (
    <section className="card settings-group">
      <div className="settings-group-head">
        <h2>{title}</h2>
        {note && <p className="muted">{note}</p>}
      </div>
      <div className="settings-group-body">{children}</div>
    </section>
  );
}

/** The act every setting uses: the core checks the value, and every read follows the new settings. */
function useSet() {
  const client = useQueryClient();
  return useAct(({ key, value }: { key: string; value: string }) => api.app.setSetting(key, value), {
    onDone: (settings: SettingsDto) => {
      client.setQueryData(settingsQuery.queryKey, settings);
      void client.invalidateQueries();
    },
  });
}

/** One text setting with its Save button; the core's refusal is shown under it and the value stays to be fixed. */
function Field({
  label,
  name,
  value,
  placeholder,
  hint,
  disabled = false,
  inputMode,
}: {
  label: string;
  name: string;
  value: string;
  placeholder?: string;
  hint?: string;
  disabled?: boolean;
  inputMode?: "numeric";
}) {
  const [text, setText] = useState(value);
  const set = useSet();
  const changed = text !== value;
  return (
    <form
      className="settings-field"
      onSubmit={(e) => {
        e.preventDefault();
        void set.send({ key: name, value: text });
      }}
    >
      <label htmlFor={`setting-${name}`}>{label}</label>
      <div className="settings-control">
        <input
          id={`setting-${name}`}
          value={text}
          placeholder={placeholder}
          disabled={disabled}
          inputMode={inputMode}
          aria-invalid={set.error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            set.reset();
          }}
          data-testid={`setting-${name}`}
        />
        <button type="submit" className="button" disabled={disabled || set.busy || !changed} data-testid={`save-${name}`}>
          {set.busy ? "Saving…" : "Save"}
        </button>
      </div>
      {set.error ? (
        <div className="inline-error" role="alert" data-testid={`setting-${name}-error`}>
          {set.error.message}
        </div>
      ) : (
        hint && <div className="hint">{hint}</div>
      )}
    </form>
  );
}

/** The workspace in use, another folder to switch to, and the recent ones. */
function WorkspaceSwitch({ settings }: { settings: SettingsDto }) {
  const [folder, setFolder] = useState("");
  const set = useSet();
  const go = (path: string) => void set.send({ key: "workspace", value: path });
  const recent = settings.recent_workspaces.filter((w) => w !== settings.workspace);
  return (
    <div className="settings-field">
      <span className="settings-label">In use</span>
      <div className="settings-current" data-testid="workspace-in-use">
        <code>{settings.workspace}</code>
        <span className="hint">
          {WORKSPACE_SOURCE[settings.workspace_source]}
          {settings.workspace_exists ? "" : " — no workspace there yet"}
        </span>
      </div>
      <form
        className="settings-control"
        onSubmit={(e) => {
          e.preventDefault();
          go(folder.trim());
        }}
      >
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="Another workspace folder" aria-label="Another workspace folder" data-testid="workspace-folder" />
        <button
          type="button"
          className="button"
          onClick={() =>
            void open({ directory: true, multiple: false, title: "Choose a workspace folder" })
              .then((picked) => typeof picked === "string" && setFolder(picked))
              .catch(() => null)
          }
        >
          Browse…
        </button>
        <button type="submit" className="button button-primary" disabled={set.busy || !folder.trim()} data-testid="switch-workspace">
          Switch
        </button>
      </form>
      {set.error && (
        <div className="inline-error" role="alert" data-testid="workspace-error">
          {set.error.message}
        </div>
      )}
      {recent.length > 0 && (
        <ul className="settings-recent" aria-label="Recent workspaces">
          {recent.map((w) => (
            <li key={w}>
              <code>{w}</code>
              <button type="button" className="button button-small-inline" onClick={() => go(w)} disabled={set.busy} data-testid="open-recent">
                Open
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ThemePicker({ theme }: { theme: ThemeDto }) {
  const set = useSet();
  return (
    <div className="settings-field">
      <span className="settings-label">Theme</span>
      <div className="segmented" role="group" aria-label="Theme">
        {THEMES.map((t) => (
          <button key={t.theme} type="button" className={theme === t.theme ? "on" : ""} aria-pressed={theme === t.theme} onClick={() => void set.send({ key: "theme", value: t.theme })} data-testid={`theme-${t.theme}`}>
            {t.label}
          </button>
        ))}
      </div>
      {set.error && <div className="inline-error">{set.error.message}</div>}
    </div>
  );
}

function NoticesToggle({ on }: { on: boolean }) {
  const set = useSet();
  return (
    <div className="settings-field">
      <span className="settings-label">Desktop notices</span>
      <label className="check">
        <input type="checkbox" checked={on} disabled={set.busy} onChange={(e) => void set.send({ key: "desktop-notices", value: e.target.checked ? "on" : "off" })} data-testid="desktop-notices" />
        Pop up breaches, approvals and sign-offs that wait for you (they always show in the window)
      </label>
      {set.error && <div className="inline-error">{set.error.message}</div>}
    </div>
  );
}
