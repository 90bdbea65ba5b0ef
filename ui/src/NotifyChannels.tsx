import { useState } from "react";
import { api } from "./api";
import type { ApiError, ChannelDto, ChannelInputDto } from "./ipc.gen";
import type { Polled } from "./polling";
import { ConfirmRemove, FormNote, KindIcon, ListGate, SectionHead } from "./NotifyParts";
import { CHANNEL_KINDS, channelLabel } from "./notifyWords";

/** The form as typed; the port stays text so an empty box means "the TLS mode's default". */
type Form = Omit<ChannelInputDto, "port"> & { port: string };

const BLANK: Form = { name: "", kind: "email", host: "", port: "", tls: "starttls", username: "", from: "", url: "", secret: "" };

const TLS: { tls: string; label: string; port: number }[] = [
  { tls: "starttls", label: "STARTTLS", port: 587 },
  { tls: "tls", label: "TLS", port: 465 },
  { tls: "none", label: "None (plain)", port: 25 },
];

/** What is sent for the chosen kind: only its own fields, the others empty. */
export function toChannelInput(form: Form): ChannelInputDto {
  const none: ChannelInputDto = { name: form.name.trim(), kind: form.kind, host: "", port: 0, tls: "", username: "", from: "", url: "", secret: "" };
  switch (form.kind) {
    case "email":
      return {
        ...none,
        host: form.host.trim(),
        port: Math.max(0, Math.round(Number(form.port) || 0)),
        tls: form.tls,
        username: form.username.trim(),
        from: form.from.trim(),
        secret: form.secret,
      };
    case "slack":
    case "teams":
      return { ...none, url: form.url.trim() };
    case "webhook":
      return { ...none, url: form.url.trim(), secret: form.secret };
    default:
      return none;
  }
}

/** Where notifications go: each channel, a test message through it, and a form to add one. */
export function Channels({ channels, onChanged }: { channels: Polled<ChannelDto[]>; onChanged: () => void }) {
  return (
    <section className="notify-section" data-testid="channels">
      <SectionHead title="Channels" sub="Where messages go. Secrets (SMTP passwords, webhook URLs, signing keys) live in the OS keychain, never in the workspace." />
      <ListGate list={channels} what="the channels" testId="channels-error">
        {(list) =>
          list.length === 0 ? (
            <div className="card card-empty" data-testid="channels-empty">
              No channels yet. Add one below: an SMTP server, a Slack or Teams incoming webhook, a signed webhook, or desktop notifications.
            </div>
          ) : (
            <div className="table-card" role="list" aria-label="Channels">
              {list.map((c) => (
                <ChannelRow key={c.name} channel={c} onChanged={onChanged} />
              ))}
            </div>
          )
        }
      </ListGate>
      <AddChannel onAdded={onChanged} />
    </section>
  );
}

function ChannelRow({ channel: c, onChanged }: { channel: ChannelDto; onChanged: () => void }) {
  const [to, setTo] = useState("");
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; error: ApiError } | null>(null);
  const test = async () => {
    setTesting(true);
    setResult(null);
    const outcome = await api.testChannel(c.name, c.kind === "email" && to.trim() !== "" ? to.trim() : null);
    setTesting(false);
    setResult(outcome.ok ? { ok: true, text: outcome.value } : { ok: false, error: outcome.error });
  };
  const remove = async () => {
    const outcome = await api.removeChannel(c.name);
    if (!outcome.ok) return outcome.error;
    onChanged();
    return null;
  };
  return (
    <div className="channel-row" role="listitem" data-testid="channel-row" data-name={c.name} data-kind={c.kind}>
      <KindIcon kind={c.kind} />
      <div className="channel-main">
        <span className="cell-strong">{c.name}</span>
        <span className="row-sub">
          <span>{channelLabel(c.kind)}</span>
          <span className="channel-summary" title={c.summary}>
            {c.summary}
          </span>
        </span>
      </div>
      <span className="channel-subs">{c.subscriptions === 1 ? "1 subscription" : `${c.subscriptions} subscriptions`}</span>
      <div className="channel-actions">
        {c.kind === "email" && (
          <input
            className="input-small"
            type="email"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="to (default: the sender)"
            aria-label={`Send the test message of ${c.name} to`}
            data-testid={`test-to-${c.name}`}
          />
        )}
        <button type="button" className="button button-small-inline" onClick={() => void test()} disabled={testing} data-testid={`test-channel-${c.name}`}>
          {testing ? "Sending…" : "Send test"}
        </button>
        <ConfirmRemove
          question={c.subscriptions > 0 ? `Remove ${c.name} and its ${c.subscriptions} subscription${c.subscriptions === 1 ? "" : "s"}?` : `Remove ${c.name}?`}
          testId={`remove-channel-${c.name}`}
          onConfirm={remove}
        />
      </div>
      {result && (
        <div
          className={result.ok ? "channel-result form-done" : "channel-result inline-error"}
          role={result.ok ? "status" : "alert"}
          data-testid={`test-result-${c.name}`}
          data-ok={result.ok}
          data-code={result.ok ? undefined : result.error.code}
        >
          {result.ok ? result.text : result.error.message}
        </div>
      )}
    </div>
  );
}

function AddChannel({ onAdded }: { onAdded: () => void }) {
  const [form, setForm] = useState<Form>(BLANK);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    setDone(null);
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await api.addChannel(toChannelInput(form));
    setBusy(false);
    if (!outcome.ok) {
      // Everything typed stays, so the one wrong field can be fixed.
      setError(outcome.error);
      return;
    }
    // Secrets are dropped from memory at once; the next channel is often of the same kind.
    setForm({ ...BLANK, kind: form.kind });
    setDone(
      outcome.value.has_secret
        ? `Added ${outcome.value.name}. Its secrets are in the OS keychain; Slipway never shows them again.`
        : `Added ${outcome.value.name}.`,
    );
    onAdded();
  };
  const tls = TLS.find((t) => t.tls === form.tls) ?? TLS[0];
  return (
    <form
      className="card form-card"
      data-testid="add-channel"
      aria-label="Add a channel"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="form-title">Add a channel</h3>
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="release-mail, #releases" data-testid="channel-name" autoComplete="off" />
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value })} data-testid="channel-kind">
            {CHANNEL_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {form.kind === "email" && (
        <>
          <div className="form-grid form-grid-smtp">
            <label className="field">
              <span>SMTP host</span>
              <input value={form.host} onChange={(e) => set({ host: e.target.value })} placeholder="smtp.example.com" data-testid="channel-host" autoComplete="off" />
            </label>
            <label className="field">
              <span>Port</span>
              <input type="number" min={1} max={65535} value={form.port} onChange={(e) => set({ port: e.target.value })} placeholder={String(tls.port)} data-testid="channel-port" />
            </label>
            <label className="field">
              <span>Encryption</span>
              <select value={form.tls} onChange={(e) => set({ tls: e.target.value })} data-testid="channel-tls">
                {TLS.map((t) => (
                  <option key={t.tls} value={t.tls}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-grid">
            <label className="field">
              <span>
                Username <span className="optional">optional</span>
              </span>
              <input value={form.username} onChange={(e) => set({ username: e.target.value })} data-testid="channel-username" autoComplete="off" />
            </label>
            <label className="field">
              <span>
                Password <span className="optional">optional</span>
              </span>
              <input type="password" value={form.secret} onChange={(e) => set({ secret: e.target.value })} data-testid="channel-secret" autoComplete="new-password" />
            </label>
          </div>
          <label className="field">
            <span>From address</span>
            <input type="email" value={form.from} onChange={(e) => set({ from: e.target.value })} placeholder="releases@example.com" data-testid="channel-from" />
          </label>
          <p className="hint">The password is stored in the OS keychain and never shown again.</p>
        </>
      )}
      {(form.kind === "slack" || form.kind === "teams") && (
        <label className="field">
          <span>Incoming webhook URL</span>
          <input
            type="password"
            value={form.url}
            onChange={(e) => set({ url: e.target.value })}
            placeholder={form.kind === "slack" ? "https://hooks.slack.com/services/…" : "https://….webhook.office.com/…"}
            data-testid="channel-url"
            autoComplete="off"
            spellCheck={false}
          />
          <span className="hint">The URL is the key to post there: it is stored in the OS keychain, never shown again.</span>
        </label>
      )}
      {form.kind === "webhook" && (
        <>
          <label className="field">
            <span>URL</span>
            <input value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://ops.example.com/slipway" data-testid="channel-url" autoComplete="off" spellCheck={false} />
          </label>
          <label className="field">
            <span>Signing key</span>
            <input type="password" value={form.secret} onChange={(e) => set({ secret: e.target.value })} data-testid="channel-secret" autoComplete="new-password" />
            <span className="hint">
              At least 16 characters{form.secret.length > 0 && form.secret.length < 16 ? ` (${form.secret.length} so far)` : ""}. Every post carries an{" "}
              <code>X-Slipway-Signature</code> header made with it. The URL and key are stored in the OS keychain, never shown again.
            </span>
          </label>
        </>
      )}
      {form.kind === "desktop" && <p className="hint">Notifications on this computer while Slipway runs. Nothing else to set.</p>}
      <div className="form-foot">
        <FormNote error={error} done={done} testId="channel" />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="channel-save">
          {busy ? "Adding…" : "Add channel"}
        </button>
      </div>
    </form>
  );
}
