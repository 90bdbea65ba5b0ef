import { useMemo, useState } from "react";
import { EVENT_KINDS, api, type BoardDto, type ChannelDto, type Read, type StakeholderDto, type SubscriptionDto, type SubscriptionInputDto, type EventKind, type Severity } from "../../ipc";
import { FormCard, SelectField, useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { KindIcon, SectionHead } from "./NotifyParts";
import { EVENT_OPTIONS, SEVERITY_OPTIONS, deliveryInput, deliveryWords, eventLabel, localZone, severityLabel } from "./notifyWords";

type Form = {
  person: string;
  channel: string;
  project: string;
  environment: string;
  kinds: EventKind[];
  severity: Severity;
  digest: boolean;
  at: string;
  zone: string;
};

function blank(): Form {
  return { person: "", channel: "", project: "", environment: "", kinds: [], severity: "info", digest: false, at: "09:00", zone: localZone() };
}

/** What the core takes: kinds in their usual order, the delivery as `immediate` or `digest HH:MM Area/City`. */
function toSubscription(form: Form): SubscriptionInputDto {
  return {
    person: form.person,
    channel: form.channel,
    project: form.project,
    environment: form.environment,
    kinds: EVENT_KINDS.filter((k) => form.kinds.includes(k)),
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
  subscriptions: Read<SubscriptionDto[]>;
  people: StakeholderDto[];
  channels: ChannelDto[];
  board: BoardDto;
  onChanged: () => void;
}) {
  const nameOf = (email: string) => people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.name ?? email;
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
              <div className="grid-row grid-head subs-row" role="row">
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
                <SubscriptionRow key={s.id} s={s} name={nameOf(s.person)} onRemoved={onChanged} />
              ))}
            </div>
          )
        }
      </ListGate>
      <Subscribe people={people} channels={channels} board={board} onAdded={onChanged} />
    </section>
  );
}

/** One subscription; Remove takes it away at once (nothing else goes with it), or says why not. */
function SubscriptionRow({ s, name, onRemoved }: { s: SubscriptionDto; name: string; onRemoved: () => void }) {
  const answer = useAnswer();
  const remove = () =>
    answer.send(
      () => api.notifications.unsubscribe(s.id),
      () => {
        onRemoved();
        return null;
      },
    );
  return (
    <div className="grid-row subs-row" role="row" data-testid="subscription-row" data-id={s.id}>
      <span role="cell" className="cell-change">
        <span className="row-title">{name}</span>
        <span className="row-sub">{s.person}</span>
      </span>
      <span role="cell" className="channel-cell">
        <KindIcon kind={s.channel_kind} />
        <span className="ellipsis">{s.channel}</span>
      </span>
      <span role="cell" className="ellipsis">
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
        <span className={`badge severity-${s.min_severity}`}>{severityLabel(s.min_severity)}+</span>
      </span>
      <span role="cell" className="subs-delivery">
        {deliveryWords(s.delivery)}
      </span>
      <span role="cell" className="row-actions">
        <button type="button" className="button button-small-inline button-danger" onClick={() => void remove()} disabled={answer.busy} data-testid={`unsubscribe-${s.id}`}>
          Remove
        </button>
      </span>
      {answer.error && (
        <div className="row-note inline-error" role="alert" data-code={answer.error.code}>
          {answer.error.message}
        </div>
      )}
    </div>
  );
}

function Subscribe({ people, channels, board, onAdded }: { people: StakeholderDto[]; channels: ChannelDto[]; board: BoardDto; onAdded: () => void }) {
  const [form, setForm] = useState<Form>(blank);
  const answer = useAnswer();
  const allZones = useMemo(zones, []);
  const set = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    answer.edited();
  };
  const toggle = (kind: EventKind) => set({ kinds: form.kinds.includes(kind) ? form.kinds.filter((k) => k !== kind) : [...form.kinds, kind] });
  const project = board.projects.find((p) => p.name === form.project);
  // Until one is picked (or when the picked one is gone), the selects show the first person and channel.
  const person = people.some((p) => p.email === form.person) ? form.person : (people[0]?.email ?? "");
  const channel = channels.some((c) => c.name === form.channel) ? form.channel : (channels[0]?.name ?? "");
  const save = () =>
    answer.send(
      () => api.notifications.subscribe(toSubscription({ ...form, person, channel })),
      (added) => {
        setForm({ ...blank(), person, channel });
        onAdded();
        return `Subscribed ${added.person} through ${added.channel}.`;
      },
    );
  if (people.length === 0 || channels.length === 0) {
    return (
      <div className="card card-empty" data-testid="subscribe-needs">
        To subscribe someone, add {people.length === 0 && channels.length === 0 ? "a stakeholder and a channel" : people.length === 0 ? "a stakeholder" : "a channel"} first.
      </div>
    );
  }
  return (
    <FormCard
      title="Subscribe a stakeholder"
      testId="subscribe-form"
      answer={answer}
      answerId="subscribe"
      submit={{ label: "Subscribe", busy: "Subscribing…", testId: "subscribe-save" }}
      onSubmit={() => void save()}
    >
      <div className="form-grid">
        <SelectField
          label="Person"
          value={person}
          options={people.map((p) => ({ value: p.email, label: p.name === p.email ? p.email : `${p.name} <${p.email}>` }))}
          onChange={(value) => set({ person: value })}
          testId="subscribe-person"
        />
        <SelectField label="Channel" value={channel} options={channels.map((c) => ({ value: c.name, label: c.name }))} onChange={(value) => set({ channel: value })} testId="subscribe-channel" />
        <SelectField
          label="Project"
          value={form.project}
          options={[{ value: "", label: "All projects" }, ...board.projects.map((p) => ({ value: p.name, label: p.name }))]}
          onChange={(value) => set({ project: value, environment: "" })}
          testId="subscribe-project"
        />
        <SelectField
          label="Environment"
          value={form.environment}
          options={[
            { value: "", label: project ? "Every environment" : "Every environment of every project" },
            ...(project?.environments ?? []).map((e) => ({ value: e.name, label: e.name })),
          ]}
          onChange={(value) => set({ environment: value })}
          disabled={!project}
          testId="subscribe-environment"
        />
      </div>
      <fieldset className="list-field">
        <legend>
          Events <span className="optional">{form.kinds.length === 0 ? "none ticked: all events" : `${form.kinds.length} of ${EVENT_OPTIONS.length}`}</span>
        </legend>
        <div className="kinds-grid">
          {EVENT_OPTIONS.map((k) => (
            <label key={k.value} className="check">
              <input type="checkbox" checked={form.kinds.includes(k.value)} onChange={() => toggle(k.value)} data-testid={`subscribe-kind-${k.value}`} />
              {k.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid form-grid-when">
        <SelectField label="Minimum severity" value={form.severity} options={SEVERITY_OPTIONS} onChange={(value) => set({ severity: value })} testId="subscribe-severity" />
        <div className="field" role="group" aria-label="Delivery">
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
            <input type="time" value={form.at} onChange={(e) => set({ at: e.target.value, digest: true })} aria-label="Digest time" data-testid="subscribe-time" />
            <span className="unit">in</span>
            <input
              className="zone-input"
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
    </FormCard>
  );
}
