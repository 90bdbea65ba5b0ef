import { useMemo, useState } from "react";
import { api } from "./api";
import type { ApiError, BoardDto, ChannelDto, StakeholderDto, SubscriptionDto, SubscriptionInputDto } from "./ipc.gen";
import type { Polled } from "./polling";
import { FormNote, KindIcon, ListGate, SectionHead } from "./NotifyParts";
import { EVENT_KINDS, SEVERITIES, deliveryInput, deliveryWords, eventLabel, localZone, severityLabel } from "./notifyWords";

type Form = {
  person: string;
  channel: string;
  project: string;
  environment: string;
  kinds: string[];
  severity: string;
  digest: boolean;
  at: string;
  zone: string;
};

function blank(): Form {
  return { person: "", channel: "", project: "", environment: "", kinds: [], severity: "info", digest: false, at: "09:00", zone: localZone() };
}

/** What the core takes: kinds in their usual order, the delivery as `immediate` or `digest HH:MM Area/City`. */
export function toSubscription(form: Form): SubscriptionInputDto {
  return {
    person: form.person,
    channel: form.channel,
    project: form.project.trim(),
    environment: form.project.trim() === "" ? "" : form.environment.trim(),
    kinds: EVENT_KINDS.map((k) => k.kind).filter((k) => form.kinds.includes(k)),
    min_severity: form.severity,
    delivery: deliveryInput(form.digest, form.at.slice(0, 5), form.zone),
  };
}

/** Every IANA zone the platform knows, for the digest's zone box; empty where it cannot say. */
function zones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

/** Who hears about what, over which channel, and when. */
export function Subscriptions({
  subscriptions,
  people,
  channels,
  board,
  onChanged,
}: {
  subscriptions: Polled<SubscriptionDto[]>;
  people: StakeholderDto[];
  channels: ChannelDto[];
  board: BoardDto;
  onChanged: () => void;
}) {
  const nameOf = (email: string) => people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.name ?? email;
  const [errors, setErrors] = useState<Map<string, ApiError>>(new Map());
  const remove = async (s: SubscriptionDto) => {
    const outcome = await api.unsubscribe(s.id);
    const next = new Map(errors);
    if (outcome.ok) next.delete(String(s.id));
    else next.set(String(s.id), outcome.error);
    setErrors(next);
    if (outcome.ok) onChanged();
  };
  return (
    <section className="notify-section" data-testid="subscriptions">
      <SectionHead title="Subscriptions" sub="Who hears about what, over which channel, and when: at once or in a daily digest." />
      <ListGate list={subscriptions} what="the subscriptions" testId="subscriptions-error">
        {(list) =>
          list.length === 0 ? (
            <div className="card card-empty" data-testid="subscriptions-empty">
              No subscriptions yet: nobody is told anything. Subscribe a stakeholder below.
            </div>
          ) : (
            <div className="table-card" role="table" aria-label="Subscriptions">
              <div className="subs-row grid-head" role="row">
                <span role="columnheader">Person</span>
                <span role="columnheader">Channel</span>
                <span role="columnheader">Where</span>
                <span role="columnheader">Events</span>
                <span role="columnheader">Severity</span>
                <span role="columnheader">Delivery</span>
                <span role="columnheader">
                  <span className="sr-only">Actions</span>
                </span>
              </div>
              {list.map((s) => (
                <div key={String(s.id)} className="subs-row" role="row" data-testid="subscription-row" data-id={String(s.id)}>
                  <span role="cell" className="cell-change">
                    <span className="row-title">{nameOf(s.person)}</span>
                    <span className="row-sub">{s.person}</span>
                  </span>
                  <span role="cell" className="outbox-channel">
                    <KindIcon kind={s.channel_kind} />
                    <span className="outbox-clip">{s.channel}</span>
                  </span>
                  <span role="cell" className="outbox-clip">
                    {s.project ? (
                      <>
                        {s.project}
                        <span className="muted"> · {s.environment || "every environment"}</span>
                      </>
                    ) : (
                      <span className="muted">All projects</span>
                    )}
                  </span>
                  <span role="cell" className="chips">
                    {s.kinds.length === 0 ? (
                      <span className="muted">All events</span>
                    ) : (
                      s.kinds.map((k) => (
                        <span key={k} className="chip chip-small">
                          {eventLabel(k)}
                        </span>
                      ))
                    )}
                  </span>
                  <span role="cell">
                    <span className={`event-kind event-${s.min_severity}`}>{severityLabel(s.min_severity)}+</span>
                  </span>
                  <span role="cell" className="subs-delivery">
                    {deliveryWords(s.delivery)}
                  </span>
                  <span role="cell" className="row-actions">
                    <button type="button" className="button button-small-inline button-danger" onClick={() => void remove(s)} data-testid={`unsubscribe-${String(s.id)}`}>
                      Remove
                    </button>
                  </span>
                  {errors.get(String(s.id)) && (
                    <div className="outbox-note inline-error" role="alert">
                      {errors.get(String(s.id))?.message}
                    </div>
                  )}
                </div>
              ))}
            </div>
          )
        }
      </ListGate>
      <Subscribe people={people} channels={channels} board={board} onAdded={onChanged} />
    </section>
  );
}

function Subscribe({ people, channels, board, onAdded }: { people: StakeholderDto[]; channels: ChannelDto[]; board: BoardDto; onAdded: () => void }) {
  const [form, setForm] = useState<Form>(blank);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const allZones = useMemo(zones, []);
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    setDone(null);
  };
  const toggle = (kind: string) => set({ kinds: form.kinds.includes(kind) ? form.kinds.filter((k) => k !== kind) : [...form.kinds, kind] });
  const project = board.projects.find((p) => p.name === form.project);
  // Until one is picked (or when the picked one is gone), the selects show the first person and channel.
  const person = people.some((p) => p.email === form.person) ? form.person : (people[0]?.email ?? "");
  const channel = channels.some((c) => c.name === form.channel) ? form.channel : (channels[0]?.name ?? "");
  const save = async () => {
    setBusy(true);
    setError(null);
    const outcome = await api.subscribe(toSubscription({ ...form, person, channel }));
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    setDone(`Subscribed ${outcome.value.person} through ${outcome.value.channel}.`);
    setForm({ ...blank(), person, channel });
    onAdded();
  };
  if (people.length === 0 || channels.length === 0) {
    return (
      <div className="card card-empty" data-testid="subscribe-needs">
        To subscribe someone, add {people.length === 0 && channels.length === 0 ? "a stakeholder and a channel" : people.length === 0 ? "a stakeholder" : "a channel"} first.
      </div>
    );
  }
  return (
    <form
      className="card form-card"
      data-testid="subscribe-form"
      aria-label="Subscribe a stakeholder"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="form-title">Subscribe a stakeholder</h3>
      <div className="form-grid">
        <label className="field">
          <span>Person</span>
          <select value={person} onChange={(e) => set({ person: e.target.value })} data-testid="subscribe-person">
            {people.map((p) => (
              <option key={p.email} value={p.email}>
                {p.name === p.email ? p.email : `${p.name} <${p.email}>`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Channel</span>
          <select value={channel} onChange={(e) => set({ channel: e.target.value })} data-testid="subscribe-channel">
            {channels.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Project</span>
          <select value={form.project} onChange={(e) => set({ project: e.target.value, environment: "" })} data-testid="subscribe-project">
            <option value="">All projects</option>
            {board.projects.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Environment</span>
          <select value={form.environment} onChange={(e) => set({ environment: e.target.value })} disabled={!project} data-testid="subscribe-environment">
            <option value="">{project ? "Every environment" : "Every environment of every project"}</option>
            {project?.environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="list-field kinds-field">
        <legend>
          Events <span className="optional">{form.kinds.length === 0 ? "none ticked: all events" : `${form.kinds.length} of ${EVENT_KINDS.length}`}</span>
        </legend>
        <div className="kinds-grid">
          {EVENT_KINDS.map((k) => (
            <label key={k.kind} className="check">
              <input type="checkbox" checked={form.kinds.includes(k.kind)} onChange={() => toggle(k.kind)} data-testid={`subscribe-kind-${k.kind}`} />
              {k.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid form-grid-when">
        <label className="field">
          <span>Minimum severity</span>
          <select value={form.severity} onChange={(e) => set({ severity: e.target.value })} data-testid="subscribe-severity">
            {SEVERITIES.map((s) => (
              <option key={s.severity} value={s.severity}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <div className="field delivery-field" role="group" aria-label="Delivery">
          <span>Delivery</span>
          <div className="delivery-options">
            <label className="check">
              <input type="radio" name="delivery" checked={!form.digest} onChange={() => set({ digest: false })} data-testid="subscribe-delivery-immediate" />
              Immediately
            </label>
            <label className="check">
              <input type="radio" name="delivery" checked={form.digest} onChange={() => set({ digest: true })} data-testid="subscribe-delivery-digest" />
              Daily digest at
            </label>
            <input
              type="time"
              className="input-small"
              value={form.at}
              onChange={(e) => set({ at: e.target.value, digest: true })}
              aria-label="Digest time"
              data-testid="subscribe-time"
            />
            <span className="unit">in</span>
            <input
              className="input-small zone-input"
              value={form.zone}
              onChange={(e) => set({ zone: e.target.value, digest: true })}
              list="notify-zones"
              aria-label="Digest time zone"
              spellCheck={false}
              data-testid="subscribe-zone"
            />
            <datalist id="notify-zones">
              {allZones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        </div>
      </div>
      <div className="form-foot">
        <FormNote error={error} done={done} testId="subscribe" />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="subscribe-save">
          {busy ? "Subscribing…" : "Subscribe"}
        </button>
      </div>
    </form>
  );
}
