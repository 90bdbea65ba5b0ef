import { useEffect, useState } from "react";
import { api, type ApiError, type DeployActionDto, type HeaderDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Section } from "../../shared/Section";

const KINDS: { kind: string; title: string; text: string }[] = [
  { kind: "none", title: "None", text: "The ref push is the deployment: your CI/CD watches the branch or tag." },
  { kind: "webhook", title: "Webhook", text: "Slipway calls a URL after the ref moves." },
  { kind: "command", title: "Command", text: "Slipway runs a program on this computer, in the project’s clone." },
];

const METHODS = ["POST", "PUT", "PATCH", "GET"];

/** The settings as edited: everything but the token, which lives only in its own field. */
type Form = Omit<DeployActionDto, "token">;

function formOf(dto: DeployActionDto): Form {
  // A token is write-only: whatever came back is dropped, never put on screen.
  const { token: _dropped, ...rest } = dto;
  void _dropped;
  return rest;
}

/** What is sent: argument boxes left empty are dropped; an empty token field keeps the stored token. */
export function toDeployAction(form: Form, token: string): DeployActionDto {
  return {
    ...form,
    argv: form.kind === "command" ? form.argv.filter((a) => a !== "") : form.argv,
    headers: form.headers.filter((h) => h.name.trim() !== "" || h.value !== ""),
    token: form.kind === "webhook" && token.trim() !== "" ? token.trim() : null,
  };
}

/** An environment's deploy action (none, a webhook, or a command as an argument list) and its verification. */
export function DeploySettingsDrawer({ project, environment, onClose }: { project: string; environment: string; onClose: () => void }) {
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  // Whether the keychain holds a token now (the form's `has_token` says whether to keep it).
  const [stored, setStored] = useState(false);
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void api.promotion.deployAction(project, environment).then((o) => {
      if (!live) return;
      if (o.ok) {
        setForm(formOf(o.value));
        setStored(o.value.has_token);
      } else {
        setLoadError(o.error);
      }
    });
    return () => {
      live = false;
    };
  }, [project, environment]);

  const set = (change: Partial<Form>) => {
    if (!form) return;
    setForm({ ...form, ...change });
    setSaved(false);
  };
  const save = async () => {
    if (!form) return;
    setBusy(true);
    setError(null);
    const outcome = await api.promotion.saveDeployAction(toDeployAction(form, token));
    setBusy(false);
    if (outcome.ok) {
      setForm(formOf(outcome.value));
      setStored(outcome.value.has_token);
      setToken("");
      setSaved(true);
    } else {
      setError(outcome.error);
    }
  };

  return (
    <Drawer
      label={`Deploy settings of ${environment}`}
      testId="deploy-settings"
      closeLabel="Close deploy settings"
      onClose={onClose}
      head={
        <div>
          <div className="column-kicker">Deploy settings</div>
          <h2>
            {project} · {environment}
          </h2>
        </div>
      }
    >
      {!form && !loadError && <div className="loading">Reading the deploy settings…</div>}
      {loadError && (
        <div className="drawer-body">
          <div className="column-error" role="alert" data-testid="deploy-settings-error">
            {loadError.message}
          </div>
        </div>
      )}
      {form && (
        <form
          className="settings"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="drawer-body">
            <Section title="After the ref moves">
              <div className="kind-cards" role="radiogroup" aria-label="Deploy action">
                {KINDS.map((k) => (
                  <label key={k.kind} className={form.kind === k.kind ? "kind-card kind-card-on" : "kind-card"}>
                    <input type="radio" name="kind" value={k.kind} checked={form.kind === k.kind} onChange={() => set({ kind: k.kind })} data-testid={`kind-${k.kind}`} />
                    <span className="kind-title">{k.title}</span>
                    <span className="kind-text">{k.text}</span>
                  </label>
                ))}
              </div>
            </Section>
            {form.kind === "webhook" && <Webhook form={form} set={set} token={token} onToken={setToken} stored={stored} />}
            {form.kind === "command" && <Command form={form} set={set} />}
            {form.kind !== "none" && <Variables names={form.variables} where={form.kind === "webhook" ? "the URL path, headers and body" : "any argument"} />}
            <Section title="Verification">
              <p className="hint">After the action, Slipway polls a health URL until it answers healthy; leave it empty to skip verifying.</p>
              <label className="field">
                <span>Health URL</span>
                <input name="verify_url" value={form.verify_url} onChange={(e) => set({ verify_url: e.target.value })} placeholder="https://staging.example.com/health" />
              </label>
              <div className="form-grid">
                <Seconds label="Give up after" value={form.verify_timeout_secs} onChange={(v) => set({ verify_timeout_secs: v })} name="verify_timeout_secs" />
                <Seconds label="Poll every" value={form.verify_interval_secs} onChange={(v) => set({ verify_interval_secs: v })} name="verify_interval_secs" />
              </div>
            </Section>
          </div>
          <div className="drawer-foot">
            {error && (
              <div className="inline-error foot-error" role="alert" data-testid="deploy-settings-error" data-code={error.code}>
                {error.message}
              </div>
            )}
            <div className="foot-row">
              <span className={saved ? "foot-why foot-saved" : "foot-why"} data-testid="deploy-settings-saved">
                {saved ? `Saved. The next deployment of ${environment} uses these settings.` : "Checked when you save: nothing is stored if something is wrong."}
              </span>
              <button type="submit" className="button button-primary" disabled={busy} data-testid="save-deploy-settings">
                {busy ? "Saving…" : "Save"}
              </button>
            </div>
          </div>
        </form>
      )}
    </Drawer>
  );
}

function Seconds({ label, value, onChange, name }: { label: string; value: number; onChange: (v: number) => void; name: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <span className="with-unit">
        <input type="number" min={1} name={name} value={value} onChange={(e) => onChange(Math.max(0, Math.round(Number(e.target.value) || 0)))} />
        <span className="unit">seconds</span>
      </span>
    </label>
  );
}

function Webhook({
  form,
  set,
  token,
  onToken,
  stored,
}: {
  form: Form;
  set: (c: Partial<Form>) => void;
  token: string;
  onToken: (t: string) => void;
  stored: boolean;
}) {
  const headers = form.headers;
  const setHeader = (i: number, change: Partial<HeaderDto>) => set({ headers: headers.map((h, j) => (i === j ? { ...h, ...change } : h)) });
  return (
    <Section title="Webhook">
      <div className="row url-row">
        <label className="field method">
          <span>Method</span>
          <select className="select" name="method" value={form.method} onChange={(e) => set({ method: e.target.value })}>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>URL</span>
          <input name="url" value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://ci.example.com/hooks/deploy/{{environment}}" />
        </label>
      </div>
      <fieldset className="list-field">
        <legend>Headers</legend>
        {headers.length === 0 && <span className="hint">No extra headers.</span>}
        {headers.map((h, i) => (
          <div className="row" key={i}>
            <input aria-label={`Header ${i + 1} name`} className="header-name" value={h.name} onChange={(e) => setHeader(i, { name: e.target.value })} placeholder="X-Release" />
            <input aria-label={`Header ${i + 1} value`} value={h.value} onChange={(e) => setHeader(i, { value: e.target.value })} placeholder="{{to_short}}" />
            <button type="button" className="button" aria-label={`Remove header ${i + 1}`} onClick={() => set({ headers: headers.filter((_, j) => j !== i) })}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="button button-small-inline add" onClick={() => set({ headers: [...headers, { name: "", value: "" }] })}>
          Add header
        </button>
      </fieldset>
      <label className="field">
        <span>
          JSON body <span className="optional">optional template</span>
        </span>
        <textarea
          className="mono"
          name="body"
          rows={5}
          value={form.body}
          onChange={(e) => set({ body: e.target.value })}
          placeholder={'{\n  "ref": "{{to_sha}}",\n  "environment": "{{environment}}"\n}'}
          spellCheck={false}
        />
        <span className="hint">Values are escaped for JSON strings when they are filled in.</span>
      </label>
      <label className="field">
        <span>
          Bearer token <span className="optional">optional</span>
        </span>
        <input
          type="password"
          name="token"
          autoComplete="off"
          value={token}
          onChange={(e) => onToken(e.target.value)}
          placeholder={form.has_token ? "•••••••• stored — type to replace" : "Paste a token"}
          data-testid="deploy-token"
        />
        <span className="hint token-note" data-testid="token-state">
          {form.has_token ? (
            <>
              A token is stored in your OS keychain; leave this empty to keep it.{" "}
              <button type="button" className="link-button" onClick={() => set({ has_token: false })} data-testid="forget-token">
                Remove the stored token
              </button>
            </>
          ) : stored && token.trim() === "" ? (
            <>
              The stored token is removed from your OS keychain when you save.{" "}
              <button type="button" className="link-button" onClick={() => set({ has_token: true })}>
                Keep it
              </button>
            </>
          ) : (
            "Stored in your OS keychain when you save, never in the workspace; Slipway never shows it again."
          )}
        </span>
      </label>
      <Seconds label="Time limit" value={form.timeout_secs} onChange={(v) => set({ timeout_secs: v })} name="timeout_secs" />
    </Section>
  );
}

function Command({ form, set }: { form: Form; set: (c: Partial<Form>) => void }) {
  // The program's box is always there, even before anything is typed.
  const argv = form.argv.length > 0 ? form.argv : [""];
  const setArg = (i: number, value: string) => set({ argv: argv.map((a, j) => (i === j ? value : a)) });
  return (
    <Section title="Command">
      <p className="hint" data-testid="argv-note">
        Each box is exactly one argument, passed as it is. There is <strong>no shell</strong>: spaces, quotes, pipes, <code>$VARIABLES</code> and
        wildcards are not interpreted. It runs in the project’s clone with <code>SLIPWAY_DEPLOYMENT_ID</code> set.
      </p>
      <ol className="argv">
        {argv.map((a, i) => (
          <li key={i} className="row">
            <span className="argv-label">{i === 0 ? "Program" : `Argument ${i}`}</span>
            <input
              className="mono"
              aria-label={i === 0 ? "Program" : `Argument ${i}`}
              value={a}
              onChange={(e) => setArg(i, e.target.value)}
              placeholder={i === 0 ? "./scripts/deploy.sh" : "--ref={{to_sha}}"}
              data-testid="argv-input"
              spellCheck={false}
            />
            {i > 0 ? (
              <button type="button" className="button argv-remove" aria-label={`Remove argument ${i}`} onClick={() => set({ argv: argv.filter((_, j) => j !== i) })}>
                ×
              </button>
            ) : (
              <span className="argv-spacer" aria-hidden="true" />
            )}
          </li>
        ))}
      </ol>
      <button type="button" className="button button-small-inline add" onClick={() => set({ argv: [...argv, ""] })} data-testid="add-argument">
        Add argument
      </button>
      <Seconds label="Time limit" value={form.timeout_secs} onChange={(v) => set({ timeout_secs: v })} name="timeout_secs" />
    </Section>
  );
}

function Variables({ names, where }: { names: string[]; where: string }) {
  return (
    <div className="variables" data-testid="variables">
      <span className="hint">Variables you can use in {where}:</span>
      <div className="chips">
        {names.map((v) => (
          <code key={v} className="chip var-chip">{`{{${v}}}`}</code>
        ))}
      </div>
    </div>
  );
}
