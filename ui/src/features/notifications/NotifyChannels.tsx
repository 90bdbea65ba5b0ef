import { useState } from "react";
import { api, type ChannelDto, type ChannelInputDto, type ChannelKind, type Read } from "../../ipc";
import { ConfirmRemove, Field, FormCard, SelectField, useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { unreachable } from "../../shared/never";
import { KindIcon, SectionHead } from "./NotifyParts";
import { CHANNEL_OPTIONS, channelLabel, counted } from "./notifyWords";

/** The form as typed; the port stays text so an empty box means "the TLS mode's default". */
type Form = Omit<ChannelInputDto, "port" | "kind"> & { port: string; kind: ChannelKind };

const BLANK: Form = { name: "", kind: "email", host: "", port: "", tls: "starttls", username: "", from: "", url: "", secret: "" };

const TLS: { value: string; label: string; port: number }[] = [
  { value: "starttls", label: "STARTTLS", port: 587 },
  { value: "tls", label: "TLS", port: 465 },
  { value: "none", label: "None (plain)", port: 25 },
];

/** What is sent for the chosen kind: only its own fields, the others empty. The core trims and checks them. */
function toChannelInput(form: Form): ChannelInputDto {
  const none: ChannelInputDto = { name: form.name, kind: form.kind, host: "", port: 0, tls: "", username: "", from: "", url: "", secret: "" };
  switch (form.kind) {
    case "email": {
      const { host, tls, username, from, secret } = form;
      // An empty box is 0: the TLS mode's default port. The box's own bounds (1 to 65535) keep anything else a port.
      return { ...none, host, port: Number(form.port), tls, username, from, secret };
    }
    case "slack":
    case "teams":
      return { ...none, url: form.url };
    case "webhook":
      return { ...none, url: form.url, secret: form.secret };
    case "desktop":
      return none;
    default:
      return unreachable(form.kind);
  }
}

/** Where notifications go: each channel, a test message through it, and a form to add one. */
export function Channels({ channels, onChanged }: { channels: Read<ChannelDto[]>; onChanged: () => void }) {
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
  const test = useAnswer();
  const send = () => test.send(() => api.notifications.testChannel(c.name, c.kind === "email" && to !== "" ? to : null), (said) => said);
  return (
    <div className="grid-row channel-row" role="listitem" data-testid="channel-row" data-name={c.name} data-kind={c.kind}>
      <KindIcon kind={c.kind} />
      <div className="col-title">
        <span className="cell-strong">{c.name}</span>
        <span className="row-sub">
          <span>{channelLabel(c.kind)}</span>
          <span className="ellipsis" title={c.summary}>
            {c.summary}
          </span>
        </span>
      </div>
      <span className="row-sub">{counted(c.subscriptions, "subscription")}</span>
      <div className="row-actions">
        {c.kind === "email" && (
          <input
            className="test-to"
            type="email"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="to (default: the sender)"
            aria-label={`Send the test message of ${c.name} to`}
            data-testid={`test-to-${c.name}`}
          />
        )}
        <button type="button" className="button button-small-inline" onClick={() => void send()} disabled={test.busy} data-testid={`test-channel-${c.name}`}>
          {test.busy ? "Sending…" : "Send test"}
        </button>
        <ConfirmRemove
          question={c.subscriptions > 0 ? `Remove ${c.name} and its ${counted(c.subscriptions, "subscription")}?` : `Remove ${c.name}?`}
          testId={`remove-channel-${c.name}`}
          remove={() => api.notifications.removeChannel(c.name)}
          onRemoved={onChanged}
        />
      </div>
      {(test.error || test.done) && (
        <div
          className={test.error ? "row-note inline-error" : "row-note foot-saved"}
          role={test.error ? "alert" : "status"}
          data-testid={`test-result-${c.name}`}
          data-ok={!test.error}
          data-code={test.error?.code}
        >
          {test.error ? test.error.message : test.done}
        </div>
      )}
    </div>
  );
}

function AddChannel({ onAdded }: { onAdded: () => void }) {
  const [form, setForm] = useState<Form>(BLANK);
  const answer = useAnswer();
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    answer.edited();
  };
  // Everything typed stays after a refusal, so the one wrong field can be fixed.
  const save = () =>
    answer.send(
      () => api.notifications.addChannel(toChannelInput(form)),
      (added) => {
        // Secrets are dropped from memory at once; the next channel is often of the same kind.
        setForm({ ...BLANK, kind: form.kind });
        onAdded();
        return added.has_secret ? `Added ${added.name}. Its secrets are in the OS keychain; Slipway never shows them again.` : `Added ${added.name}.`;
      },
    );
  const tls = TLS.find((t) => t.value === form.tls) ?? TLS[0];
  return (
    <FormCard
      title="Add a channel"
      testId="add-channel"
      answer={answer}
      answerId="channel"
      submit={{ label: "Add channel", busy: "Adding…", testId: "channel-save" }}
      onSubmit={() => void save()}
    >
      <div className="form-grid">
        <Field label="Name">
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="release-mail, #releases" data-testid="channel-name" autoComplete="off" />
        </Field>
        <SelectField label="Kind" value={form.kind} options={CHANNEL_OPTIONS} onChange={(kind) => set({ kind })} testId="channel-kind" />
      </div>
      {form.kind === "email" && (
        <>
          <div className="form-grid form-grid-smtp">
            <Field label="SMTP host">
              <input value={form.host} onChange={(e) => set({ host: e.target.value })} placeholder="smtp.example.com" data-testid="channel-host" autoComplete="off" />
            </Field>
            <Field label="Port">
              <input type="number" min={1} max={65535} value={form.port} onChange={(e) => set({ port: e.target.value })} placeholder={String(tls.port)} data-testid="channel-port" />
            </Field>
            <SelectField label="Encryption" value={form.tls} options={TLS} onChange={(value) => set({ tls: value })} testId="channel-tls" />
          </div>
          <div className="form-grid">
            <Field label="Username" note="optional">
              <input value={form.username} onChange={(e) => set({ username: e.target.value })} data-testid="channel-username" autoComplete="off" />
            </Field>
            <Field label="Password" note="optional" hint="Stored in the OS keychain and never shown again.">
              <input type="password" value={form.secret} onChange={(e) => set({ secret: e.target.value })} data-testid="channel-secret" autoComplete="new-password" />
            </Field>
          </div>
          <Field label="From address">
            <input inputMode="email" value={form.from} onChange={(e) => set({ from: e.target.value })} placeholder="releases@example.com" data-testid="channel-from" />
          </Field>
        </>
      )}
      {(form.kind === "slack" || form.kind === "teams") && (
        <Field label="Incoming webhook URL" hint="The URL is the key to post there: it is stored in the OS keychain, never shown again.">
          <input
            type="password"
            value={form.url}
            onChange={(e) => set({ url: e.target.value })}
            placeholder={form.kind === "slack" ? "https://hooks.slack.com/services/…" : "https://….webhook.office.com/…"}
            data-testid="channel-url"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      )}
      {form.kind === "webhook" && (
        <>
          <Field label="URL">
            <input value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://ops.example.com/slipway" data-testid="channel-url" autoComplete="off" spellCheck={false} />
          </Field>
          <Field
            label="Signing key"
            hint={
              <>
                At least 16 characters{form.secret.length > 0 && form.secret.length < 16 ? ` (${form.secret.length} so far)` : ""}. Every post carries an{" "}
                <code>X-Slipway-Signature</code> header made with it. The URL and key are stored in the OS keychain, never shown again.
              </>
            }
          >
            <input type="password" value={form.secret} onChange={(e) => set({ secret: e.target.value })} data-testid="channel-secret" autoComplete="new-password" />
          </Field>
        </>
      )}
      {form.kind === "desktop" && <p className="hint">Notifications on this computer while Slipway runs. Nothing else to set.</p>}
    </FormCard>
  );
}
