import { useState } from "react";
import { agingKeys, api, requestKeys, useAct, type ApiError, type BoardDto, type NewRequestDto, type RequestDetailDto } from "../../ipc";
import { Modal } from "../../shared/Modal";

type Project = { name: string; environments: string[] };

/** What the form holds, as typed. */
export type RequestForm = {
  project: string;
  kind: string;
  severity: string;
  title: string;
  description: string;
  requester: string;
  assignee: string;
  target_environment: string;
  links: string;
  opened_at: string;
};

/** A `datetime-local` value (the viewer's wall clock) as an RFC 3339 instant in UTC. */
export function localToUtc(local: string): string | null {
  if (!local.trim()) return null;
  // Without an offset, "YYYY-MM-DDTHH:MM" is read in the viewer's zone.
  const at = new Date(local);
  if (Number.isNaN(at.getTime())) return null;
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The form as the core reads it: empty optional fields are null, links split on commas. */
export function toNewRequest(form: RequestForm): NewRequestDto {
  const optional = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    project: form.project,
    kind: form.kind,
    severity: form.severity,
    title: form.title.trim(),
    description: form.description.trim(),
    requester: optional(form.requester),
    assignee: optional(form.assignee),
    target_environment: optional(form.target_environment),
    links: form.links
      .split(",")
      .map((l) => l.trim())
      .filter((l) => l !== ""),
    opened_at: form.opened_at.trim() === "" ? null : (localToUtc(form.opened_at) ?? form.opened_at.trim()),
  };
}

type Field = keyof RequestForm;

/** The field a refusal from the core is about, so it shows under that field; null for the form as a whole. */
function fieldOf(error: ApiError): Field | null {
  const m = error.message;
  if (/\btitle\b/i.test(m) && !/matches/.test(m)) return "title";
  if (/has no environment/i.test(m)) return "target_environment";
  if (/is not a time|in the future/i.test(m)) return "opened_at";
  if (/^No change on|matches \d+ changes/i.test(m)) return "links";
  if (/requester/i.test(m)) return "requester";
  if (/request type/i.test(m)) return "kind";
  if (/severity/i.test(m)) return "severity";
  return null;
}

function projectsOf(board: BoardDto): Project[] {
  return board.projects.map((p) => ({ name: p.name, environments: p.environments.map((e) => e.name) }));
}

/** Now, as a `datetime-local` value: the latest "opened at" the core accepts. */
function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The "New request" dialog. Projects and their environments come from the board. */
export function NewRequest({
  board,
  onClose,
  onCreated,
}: {
  board: BoardDto;
  onClose: () => void;
  onCreated: (detail: RequestDetailDto) => void;
}) {
  const projects = projectsOf(board);
  const [form, setForm] = useState<RequestForm>({
    project: "",
    kind: "normal",
    severity: "sev3",
    title: "",
    description: "",
    requester: "",
    assignee: "",
    target_environment: "",
    links: "",
    opened_at: "",
  });
  const opening = useAct((input: NewRequestDto) => api.requests.open(input), {
    invalidates: [requestKeys.lists, agingKeys.all],
    onDone: (created) => onCreated(created),
  });
  const error: ApiError | null = opening.error;
  const busy = opening.busy;

  // Until one is picked, the first project is the one the form is for.
  const project = form.project || projects[0]?.name || "";
  const environments = projects.find((p) => p.name === project)?.environments ?? [];
  const errorAt = error ? fieldOf(error) : null;
  const problem = (field: Field | null) =>
    error && errorAt === field ? (
      <span className="inline-error" role="alert" data-testid="new-request-error" data-code={error.code} data-field={field ?? "form"}>
        {error.message}
      </span>
    ) : null;
  const invalid = (field: Field) => (errorAt === field && error ? true : undefined);
  const set = (field: Field) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  const submit = () => void opening.send(toNewRequest({ ...form, project }));

  return (
    <Modal
      title="New change request"
      testId="new-request"
      className="modal-form"
      submit={{ label: busy ? "Opening…" : "Create request", disabled: busy || !project, testId: "create-request" }}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="form-grid">
        <label>
          Project
          <select
            name="project"
            value={project}
            onChange={(e) => setForm({ ...form, project: e.target.value, target_environment: "" })}
            required
          >
            {projects.length === 0 && <option value="">No projects in this workspace</option>}
            {projects.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label-line">
            Target environment <span className="optional">optional</span>
          </span>
          <select name="target_environment" aria-invalid={invalid("target_environment")} value={form.target_environment} onChange={set("target_environment")}>
            <option value="">None</option>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </select>
          {problem("target_environment")}
        </label>
        <label>
          Type
          <select name="kind" value={form.kind} onChange={set("kind")}>
            <option value="emergency">Emergency — fix for a live incident</option>
            <option value="normal">Normal — needs approval</option>
            <option value="standard">Standard — pre-approved, routine</option>
          </select>
          {problem("kind")}
        </label>
        <label>
          Severity
          <select name="severity" value={form.severity} onChange={set("severity")}>
            <option value="sev1">SEV1 — critical, customers affected</option>
            <option value="sev2">SEV2 — major</option>
            <option value="sev3">SEV3 — minor</option>
            <option value="sev4">SEV4 — low</option>
          </select>
          {problem("severity")}
        </label>
      </div>
      <label>
        Title
        <input name="title" value={form.title} onChange={set("title")} placeholder="Stop double charges on retried payments" aria-invalid={invalid("title")} autoFocus />
        {problem("title")}
      </label>
      <label>
        <span className="label-line">
          Description <span className="optional">optional</span>
        </span>
        <textarea name="description" value={form.description} onChange={set("description")} rows={2} placeholder="What is wrong, what the fix does, how it was tested" />
      </label>
      <div className="form-grid">
        <label>
          <span className="label-line">
            Assignee <span className="optional">optional</span>
          </span>
          <input name="assignee" value={form.assignee} onChange={set("assignee")} placeholder="dev@example.com" />
        </label>
        <label>
          <span className="label-line">
            Requested by <span className="optional">default: you</span>
          </span>
          <input name="requester" aria-invalid={invalid("requester")} value={form.requester} onChange={set("requester")} placeholder="you" />
          {problem("requester")}
        </label>
      </div>
      <div className="form-grid form-grid-wide">
        <label>
          <span className="label-line">
            Linked changes <span className="optional">optional, comma-separated</span>
          </span>
          <input name="links" aria-invalid={invalid("links")} value={form.links} onChange={set("links")} placeholder="3f2a9c1e, #128, stop double charges" />
          <span className="hint">Each names one change on trunk: a sha, a #PR number or words from its title.</span>
          {problem("links")}
        </label>
        <label>
          <span className="label-line">
            Opened at <span className="optional">optional, your time zone</span>
          </span>
          <input type="datetime-local" name="opened_at" aria-invalid={invalid("opened_at")} value={form.opened_at} onChange={set("opened_at")} max={nowLocal()} />
          <span className="hint">For a request written after the fact: its clocks start then.</span>
          {problem("opened_at")}
        </label>
      </div>
      {problem(null)}
    </Modal>
  );
}
