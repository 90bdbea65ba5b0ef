import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import {
  api,
  guardKeys,
  guardSettingsQuery,
  useRead,
  type ApiError,
  type DeniedDto,
  type GuardChangeDto,
  type GuardModeDto,
  type GuardSettingsDto,
  type MarkerDto,
  type MarkerOriginDto,
} from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { Field, FormCard, useAnswer } from "../../shared/forms";
import { ListGate } from "../../shared/ListGate";
import { Section } from "../../shared/Section";

const MODES: { mode: GuardModeDto; label: string; says: string }[] = [
  { mode: "block", label: "Block", says: "A finding stops the promotion until it is overridden." },
  { mode: "warn", label: "Warn", says: "Findings are shown; the promotion goes ahead." },
  { mode: "off", label: "Off", says: "The guard does not look at promotions here." },
];

const ORIGIN: Record<MarkerOriginDto, string> = { learned: "learned", manual: "by hand", ignored: "dismissed" };

/** A refusal of the core, word for word, where the edit was asked. */
function GuardError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="inline-error guard-error" role="alert" data-testid="guard-error" data-code={error.code}>
      {error.message}
    </div>
  );
}

/** Lines as typed in a one-per-line box, blanks dropped. */
function linesOf(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** Names in first-seen order, once each. */
function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * One kind of edit of the guard: it sends a change, and the settings the core answers replace the
 * ones on screen (and every drift of the project is read again: the patterns say whose file is
 * whose). `at` names the row or control that asked, so its refusal is shown there.
 */
function useEdit(project: string) {
  const client = useQueryClient();
  const answer = useAnswer();
  const [at, setAt] = useState<string | null>(null);
  const edit = (change: GuardChangeDto, { where = null, said = null, then }: { where?: string | null; said?: string | null; then?: () => void } = {}) => {
    setAt(where);
    return answer.send(
      () => api.guard.edit(project, change),
      (value) => {
        client.setQueryData(guardKeys.settings(project), value);
        then?.();
        return said;
      },
      [guardKeys.drifts(project)],
    );
  };
  /** The refusal, only where it was asked. */
  const errorAt = (where: string) => (at === where ? answer.error : null);
  return { answer, at, edit, errorAt };
}

/** A project's config guard: how each environment weighs findings, the markers, denied settings, file patterns and the override. */
export function GuardDrawer({ project, onClose, onCompare }: { project: string; onClose: () => void; onCompare?: () => void }) {
  const settings = useRead(guardSettingsQuery(project));
  const last = settings.value?.modes.at(-1)?.environment;
  return (
    <Drawer
      label={`Config guard of ${project}`}
      testId="guard-panel"
      wide
      closeLabel="Close the config guard"
      onClose={onClose}
      head={
        <div>
          <div className="column-kicker">Config guard</div>
          <h2>{project}</h2>
          <div className="guard-head-sub">
            {settings.value && last && (
              <span className="hint" data-testid="guard-learned-at">
                Markers learned from what {last} runs{settings.value.learned_at && <> at <code className="sha">{settings.value.learned_at}</code></>}
              </span>
            )}
            {onCompare && (
              <button type="button" className="link-button" onClick={onCompare} data-testid="guard-compare">
                Compare config…
              </button>
            )}
          </div>
        </div>
      }
    >
      <div className="drawer-body guard">
        <ListGate list={settings} what="the config guard settings" testId="guard-load-error">
          {(s) => <GuardSettings project={project} settings={s} />}
        </ListGate>
      </div>
    </Drawer>
  );
}

function GuardSettings({ project, settings }: { project: string; settings: GuardSettingsDto }) {
  const pipeline = settings.modes.map((m) => m.environment);
  // Whose markers there can be: the pipeline's environments, the other known ones, and any a marker names.
  const known = unique([...pipeline, ...settings.other_environments, ...settings.markers.map((m) => m.environment)]);
  return (
    <>
      <Modes project={project} settings={settings} />
      <Override project={project} role={settings.override_role} />
      <Markers project={project} settings={settings} known={known} />
      <Denied project={project} settings={settings} pipeline={pipeline} />
      <Patterns project={project} settings={settings} />
    </>
  );
}

function Modes({ project, settings }: { project: string; settings: GuardSettingsDto }) {
  const { answer, at, edit, errorAt } = useEdit(project);
  return (
    <Section title="Per environment">
      <p className="hint guard-intro">What a finding does to a promotion into each environment.</p>
      <ul className="guard-modes">
        {settings.modes.map((m) => {
          const says = MODES.find((x) => x.mode === m.mode)?.says;
          const sending = answer.busy && at === m.environment;
          return (
            <li key={m.environment} className="guard-mode-row" data-mode={m.mode}>
              <div className="guard-mode-name">
                <strong>{m.environment}</strong>
                {m.default && <span className="badge guard-default">default</span>}
                <span className="hint">{sending ? "Saving…" : says}</span>
              </div>
              <div className="segmented" role="group" aria-label={`Config guard in ${m.environment}`} data-testid={`guard-mode-${m.environment}`}>
                {MODES.map((x) => (
                  <button
                    key={x.mode}
                    type="button"
                    className={m.mode === x.mode ? `on mode-${x.mode}` : ""}
                    aria-pressed={m.mode === x.mode}
                    data-mode={x.mode}
                    disabled={answer.busy}
                    onClick={() => {
                      if (m.mode !== x.mode) void edit({ change: "set_mode", environment: m.environment, mode: x.mode }, { where: m.environment });
                    }}
                  >
                    {x.label}
                  </button>
                ))}
              </div>
              {errorAt(m.environment) && (
                <div className="guard-row-error">
                  <GuardError error={errorAt(m.environment)} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Override({ project, role }: { project: string; role: string | null }) {
  const { answer, edit } = useEdit(project);
  // What is typed; null until then, when the box shows what is saved.
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? role ?? "";
  const changed = value.trim().toLowerCase() !== (role ?? "");
  const save = () => {
    const next = value.trim() === "" ? null : value.trim();
    void edit(
      { change: "set_override_role", role: next },
      {
        then: () => setDraft(null),
        said: next ? `Saved: a block is lifted only by an approving sign-off of a ${next.toLowerCase()}.` : "Saved: a reason given at promotion lifts a block.",
      },
    );
  };
  return (
    <Section title="Lifting a block">
      <FormCard
        title="Override"
        titled={false}
        testId="guard-override"
        className="guard-form"
        answer={answer}
        answerId="guard"
        submit={{ label: "Save", busy: "Saving…", testId: "guard-save-override", disabled: !changed }}
        onSubmit={save}
      >
        <p className="hint guard-intro" data-testid="guard-override-now">
          {role ? (
            <>
              Now a block is lifted only by an approving sign-off of the target change by a <strong>{role}</strong>.
            </>
          ) : (
            "Now a block is lifted by an override with a reason, given at promotion and kept in the audit log."
          )}
        </p>
        <Field label="Override role" note="empty: a reason lifts a block">
          <input
            value={value}
            onChange={(e) => {
              setDraft(e.target.value);
              answer.edited();
            }}
            placeholder="release-manager"
            data-testid="guard-override-role"
            spellCheck={false}
          />
        </Field>
      </FormCard>
    </Section>
  );
}

/** The groups of a list by environment, in the order of `order`, then any others. */
function byEnvironment<T extends { environment: string }>(items: T[], order: string[]): [string, T[]][] {
  const envs = unique([...order, ...items.map((i) => i.environment)]);
  return envs.map((env) => [env, items.filter((i) => i.environment === env)] as [string, T[]]).filter(([, list]) => list.length > 0);
}

function Markers({ project, settings, known }: { project: string; settings: GuardSettingsDto; known: string[] }) {
  const rows = useEdit(project);
  // Dismissed ones after the ones in use.
  const rank = (m: MarkerDto) => (m.origin === "ignored" ? 1 : 0);
  const markers = [...settings.markers].sort((a, b) => rank(a) - rank(b));
  const groups = byEnvironment(markers, known);
  const inUse = settings.markers.filter((m) => m.origin !== "ignored").length;
  const act = (m: MarkerDto) => {
    const where = `${m.environment}\u0000${m.text}`;
    if (m.origin === "ignored") return rows.edit({ change: "restore_marker", text: m.text }, { where });
    return rows.edit({ change: "remove_marker", text: m.text }, { where });
  };
  return (
    <Section title={`Markers · ${inUse} in use`}>
      <p className="hint guard-intro">
        Another environment’s hosts, URLs and database, queue or account names. A promotion that carries one into the target’s own file or a shared one is a
        finding. They are learned from each environment’s own config files as {settings.modes.at(-1)?.environment ?? "the last environment"} runs them, or
        added by hand.
      </p>
      {groups.length === 0 ? (
        <div className="card card-empty" data-testid="guard-markers-empty">
          No markers yet: none of the environments’ own files name a host or a database only they use. Add one by hand below.
        </div>
      ) : (
        <div className="guard-groups">
          {groups.map(([env, list]) => (
            <div key={env} className="guard-group" data-testid="guard-marker-group" data-environment={env}>
              <div className="guard-group-head">
                <span className="guard-group-name">{env}</span>
                <span className="section-count">{list.filter((m) => m.origin !== "ignored").length}</span>
              </div>
              <ul className="guard-list">
                {list.map((m) => {
                  const where = `${m.environment}\u0000${m.text}`;
                  const error = rows.errorAt(where);
                  const busy = rows.answer.busy && rows.at === where;
                  return (
                    <li key={`${m.origin}:${m.text}`} className={`guard-item guard-marker-${m.origin}`} data-testid="guard-marker" data-origin={m.origin} data-text={m.text}>
                      <div className="guard-item-main">
                        <code className="guard-text">{m.text}</code>
                        <span className={`badge origin-${m.origin}`}>{ORIGIN[m.origin]}</span>
                        <span className="guard-source" data-testid="guard-marker-source">
                          {m.source}
                        </span>
                      </div>
                      <button
                        type="button"
                        className={m.origin === "manual" ? "button button-small-inline button-danger" : "button button-small-inline"}
                        onClick={() => void act(m)}
                        disabled={rows.answer.busy}
                        title={
                          m.origin === "learned"
                            ? `Stop treating “${m.text}” as ${env}’s (it stays listed, dismissed)`
                            : m.origin === "ignored"
                              ? `Treat “${m.text}” as ${env}’s again`
                              : `Remove the marker “${m.text}”`
                        }
                        data-testid={m.origin === "learned" ? "guard-dismiss" : m.origin === "ignored" ? "guard-restore" : "guard-remove-marker"}
                      >
                        {busy ? "…" : m.origin === "learned" ? "Dismiss" : m.origin === "ignored" ? "Restore" : "Remove"}
                      </button>
                      <RowError error={error} />
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </div>
      )}
      <AddMarker project={project} known={known} />
    </Section>
  );
}

/** A row's refusal, under the row. */
function RowError({ error }: { error: ApiError | null | undefined }) {
  return error ? (
    <div className="guard-row-error">
      <GuardError error={error} />
    </div>
  ) : null;
}

function AddMarker({ project, known }: { project: string; known: string[] }) {
  const { answer, edit } = useEdit(project);
  const [environment, setEnvironment] = useState(known[0] ?? "");
  const [text, setText] = useState("");
  const env = known.includes(environment) ? environment : (known[0] ?? "");
  const add = () =>
    void edit(
      { change: "add_marker", environment: env, text },
      {
        said: `Added “${text.trim()}” as ${env}’s marker.`,
        then: () => setText(""),
      },
    );
  return (
    <FormCard
      title="Add a marker"
      testId="guard-add-marker"
      className="guard-form"
      answer={answer}
      answerId="guard"
      submit={{ label: "Add marker", busy: "Adding…", testId: "guard-add-marker-submit", disabled: text.trim() === "" }}
      onSubmit={add}
    >
      <div className="guard-form-row">
        <Field label="Whose">
          <select
            value={env}
            onChange={(e) => {
              setEnvironment(e.target.value);
              answer.edited();
            }}
            data-testid="guard-marker-environment"
          >
            {known.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Text" hint="A host, URL, database or account name; at least 4 characters.">
          <input
            className="mono"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              answer.edited();
            }}
            placeholder="perf-db.internal"
            data-testid="guard-marker-text"
            spellCheck={false}
          />
        </Field>
      </div>
    </FormCard>
  );
}

function Denied({ project, settings, pipeline }: { project: string; settings: GuardSettingsDto; pipeline: string[] }) {
  const rows = useEdit(project);
  const reset = useEdit(project);
  const groups = byEnvironment(settings.denied, pipeline);
  const whereOf = (d: DeniedDto) => `${d.environment}\u0000${d.pattern}`;
  return (
    <Section title="Denied settings">
      <div className="guard-intro-row">
        <p className="hint guard-intro">
          Regular expressions matched against the lines a promotion adds: a match is a finding in that environment.
          {settings.denied_default && (
            <>
              {" "}
              <span className="badge guard-default" data-testid="guard-denied-default">
                defaults
              </span>
            </>
          )}
        </p>
        <button
          type="button"
          className="button button-small-inline"
          disabled={settings.denied_default || reset.answer.busy}
          title={settings.denied_default ? "These are the defaults" : "Drop every change to the denied settings"}
          onClick={() => void reset.edit({ change: "reset_denied" }, { where: "reset", said: "Back to the default denied settings." })}
          data-testid="guard-reset-denied"
        >
          {reset.answer.busy ? "Resetting…" : "Reset to defaults"}
        </button>
      </div>
      <GuardError error={reset.errorAt("reset")} />
      {reset.answer.done && (
        <div className="foot-why foot-saved guard-done" role="status">
          {reset.answer.done}
        </div>
      )}
      {groups.length === 0 ? (
        <div className="card card-empty" data-testid="guard-denied-empty">
          Nothing is denied in any environment.
        </div>
      ) : (
        <div className="guard-groups">
          {groups.map(([env, list]) => (
            <div key={env} className="guard-group" data-environment={env}>
              <div className="guard-group-head">
                <span className="guard-group-name">in {env}</span>
                <span className="section-count">{list.length}</span>
              </div>
              <ul className="guard-list">
                {list.map((d) => {
                  const where = whereOf(d);
                  const error = rows.errorAt(where);
                  return (
                    <li key={where} className="guard-item" data-testid="guard-denied" data-environment={d.environment} data-pattern={d.pattern}>
                      <div className="guard-item-main">
                        <code className="guard-text guard-pattern">{d.pattern}</code>
                        <span className="guard-source">{d.why}</span>
                      </div>
                      <button
                        type="button"
                        className="button button-small-inline"
                        disabled={rows.answer.busy}
                        title={`Stop denying ${d.pattern} in ${d.environment}`}
                        onClick={() => void rows.edit({ change: "remove_denied", environment: d.environment, pattern: d.pattern }, { where })}
                        data-testid="guard-allow"
                      >
                        {rows.answer.busy && rows.at === where ? "…" : "Allow"}
                      </button>
                      <RowError error={error} />
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </div>
      )}
      <AddDenied project={project} pipeline={pipeline} />
    </Section>
  );
}

function AddDenied({ project, pipeline }: { project: string; pipeline: string[] }) {
  const { answer, edit } = useEdit(project);
  // Most denied settings are kept out of the last environment (production).
  const [environment, setEnvironment] = useState(pipeline.at(-1) ?? "");
  const [pattern, setPattern] = useState("");
  const [why, setWhy] = useState("");
  const env = pipeline.includes(environment) ? environment : (pipeline.at(-1) ?? "");
  const typed = (then: () => void) => {
    then();
    answer.edited();
  };
  const add = () =>
    void edit(
      { change: "add_denied", environment: env, pattern, why },
      {
        said: `Denied in ${env}: ${pattern}.`,
        then: () => {
          setPattern("");
          setWhy("");
        },
      },
    );
  return (
    <FormCard
      title="Deny a setting"
      testId="guard-add-denied"
      className="guard-form"
      answer={answer}
      answerId="guard"
      submit={{ label: "Deny", busy: "Adding…", testId: "guard-add-denied-submit", disabled: pattern.trim() === "" }}
      onSubmit={add}
    >
      <div className="guard-form-row guard-form-row-3">
        <Field label="In">
          <select value={env} onChange={(e) => typed(() => setEnvironment(e.target.value))} data-testid="guard-denied-environment">
            {pipeline.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Pattern" note="regular expression">
          <input className="mono" value={pattern} onChange={(e) => typed(() => setPattern(e.target.value))} placeholder="(?i)feature_flags_source\s*=\s*local" data-testid="guard-denied-pattern" spellCheck={false} />
        </Field>
        <Field label="Why" note="the finding’s words">
          <input value={why} onChange={(e) => typed(() => setWhy(e.target.value))} placeholder="local feature flags" data-testid="guard-denied-why" />
        </Field>
      </div>
    </FormCard>
  );
}

function Patterns({ project, settings }: { project: string; settings: GuardSettingsDto }) {
  return (
    <Section title="Whose file is whose">
      <p className="hint guard-intro">
        A file matching a pattern is that environment’s own (<code>&lt;env&gt;</code> stands for its name); a file nobody owns is shared by every environment.
      </p>
      <LinesForm
        project={project}
        title="File patterns"
        testId="guard-globs"
        saved={settings.globs}
        isDefault={settings.globs_default}
        placeholder={"config/<env>.*\n.env.<env>"}
        hint="One per line, each with <env>."
        change={(lines) => ({ change: "set_globs", globs: lines })}
        said={(lines) => (lines ? `Saved ${lines.length === 1 ? "1 pattern" : `${lines.length} patterns`}.` : "Back to the default patterns.")}
      />
      <LinesForm
        project={project}
        title="Other known environments"
        testId="guard-other-environments"
        saved={settings.other_environments}
        isDefault={null}
        placeholder={"perf\nsandbox"}
        hint="Beyond the pipeline’s, one per line: their own files teach markers too (perf, loadtest, sandbox…)."
        change={(lines) => ({ change: "set_other_environments", names: lines })}
        said={(lines) => (lines ? `Saved ${lines.length === 1 ? "1 environment" : `${lines.length} environments`}.` : "Back to the default environments.")}
      />
    </Section>
  );
}

/** A list edited as one line per entry, saved as a whole, or put back to the defaults (null). */
function LinesForm({
  project,
  title,
  testId,
  saved,
  isDefault,
  placeholder,
  hint,
  change,
  said,
}: {
  project: string;
  title: string;
  testId: string;
  saved: string[];
  /** Whether the saved list is the defaults; null: not known. */
  isDefault: boolean | null;
  placeholder: string;
  hint: string;
  change: (lines: string[] | null) => GuardChangeDto;
  said: (lines: string[] | null) => string;
}) {
  const { answer, edit } = useEdit(project);
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? saved.join("\n");
  const lines = linesOf(value);
  const changed = lines.join("\n") !== saved.join("\n");
  const send = (next: string[] | null) => void edit(change(next), { said: said(next), then: () => setDraft(null) });
  return (
    <FormCard
      title={title}
      titled={false}
      testId={testId}
      className="guard-form"
      answer={answer}
      answerId="guard"
      submit={{ label: "Save", busy: "Saving…", testId: `${testId}-save`, disabled: !changed }}
      actions={
        <button type="button" className="button" disabled={answer.busy || isDefault === true} onClick={() => send(null)} data-testid={`${testId}-defaults`}>
          Use the defaults
        </button>
      }
      onSubmit={() => send(lines)}
    >
      <Field label={title} note={isDefault ? "the defaults" : undefined} hint={hint}>
        <textarea
          className="mono"
          rows={Math.min(10, Math.max(3, lines.length + 1))}
          value={value}
          onChange={(e) => {
            setDraft(e.target.value);
            answer.edited();
          }}
          placeholder={placeholder}
          spellCheck={false}
          data-testid={`${testId}-text`}
        />
      </Field>
    </FormCard>
  );
}
