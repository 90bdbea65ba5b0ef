import { useState } from "react";
import { driftQuery, useRead, type DriftDto, type DriftFileDto } from "../../ipc";
import { Drawer } from "../../shared/Drawer";
import { ListGate } from "../../shared/ListGate";

/** One line of a unified diff, as shown: what it is, its text (without its sign), and its line numbers on either side. */
export type DiffLine = {
  kind: "add" | "del" | "context" | "hunk" | "meta" | "note";
  text: string;
  /** Its line in the first environment's file (removed and context lines). */
  old: number | null;
  /** Its line in the second's (added and context lines). */
  new: number | null;
};

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * A unified diff's lines by their first character: `+` added, `-` removed, ` ` context, `@@` a
 * hunk, `\` a note ("No newline at end of file"). Before the first hunk, lines are the file
 * header (`diff --git`, `index`, `---`, `+++`), never additions or removals.
 */
export function diffLines(patch: string): DiffLine[] {
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let inHunk = false;
  let oldAt = 0;
  let newAt = 0;
  return lines.map((line): DiffLine => {
    const hunk = HUNK.exec(line);
    if (hunk) {
      inHunk = true;
      oldAt = Number(hunk[1]);
      newAt = Number(hunk[2]);
      return { kind: "hunk", text: line, old: null, new: null };
    }
    if (line.startsWith("diff ")) inHunk = false;
    if (!inHunk) return { kind: "meta", text: line, old: null, new: null };
    switch (line[0]) {
      case "+":
        return { kind: "add", text: line.slice(1), old: null, new: newAt++ };
      case "-":
        return { kind: "del", text: line.slice(1), old: oldAt++, new: null };
      case "\\":
        return { kind: "note", text: line, old: null, new: null };
      default:
        // A context line (its space), or an empty line some tools write for an empty context line.
        return { kind: "context", text: line.slice(1), old: oldAt++, new: newAt++ };
    }
  });
}

const SIGN: Record<DiffLine["kind"], string> = { add: "+", del: "−", context: " ", hunk: "", meta: "", note: "" };
const SAID: Record<DiffLine["kind"], string | undefined> = { add: "added", del: "removed", context: undefined, hunk: undefined, meta: undefined, note: undefined };

/** The last environment against the one before it (production against staging): what a promotion into the last would change. */
function defaults(environments: string[]): [string, string] {
  const n = environments.length;
  return [environments[n - 1] ?? "", environments[n - 2] ?? environments[n - 1] ?? ""];
}

/** The config files that differ between two environments' commits, each with its diff. */
export function DriftDrawer({
  project,
  environments,
  onClose,
  onGuard,
}: {
  project: string;
  /** The pipeline's environments, in order. */
  environments: string[];
  onClose: () => void;
  onGuard?: () => void;
}) {
  const [picked, setPicked] = useState<[string, string]>(() => defaults(environments));
  const [from, to] = picked;
  const comparable = from !== "" && to !== "" && from !== to;
  const drift = useRead(driftQuery(project, from, to), comparable);
  return (
    <Drawer
      label={`Config drift of ${project}`}
      testId="drift-view"
      wide
      closeLabel="Close the config drift"
      onClose={onClose}
      head={
        <div>
          <div className="column-kicker">Config drift</div>
          <h2>{project}</h2>
          {onGuard && (
            <div className="guard-head-sub">
              <button type="button" className="link-button" onClick={onGuard} data-testid="drift-guard">
                Config guard…
              </button>
            </div>
          )}
        </div>
      }
    >
      <div className="drawer-body drift">
        <div className="drift-pick" role="group" aria-label="Environments to compare">
          <EnvSelect label="From" value={from} environments={environments} onChange={(v) => setPicked([v, to])} testId="drift-from" />
          <button type="button" className="button drift-swap" onClick={() => setPicked([to, from])} aria-label="Swap the environments" title="Swap" data-testid="drift-swap">
            ⇄
          </button>
          <EnvSelect label="To" value={to} environments={environments} onChange={(v) => setPicked([from, v])} testId="drift-to" />
          <span className="hint drift-pick-hint">Added lines are only in {to || "the second"}; removed lines only in {from || "the first"}.</span>
        </div>
        {environments.length < 2 ? (
          <div className="card card-empty">The pipeline has one environment: there is nothing to compare it with.</div>
        ) : !comparable ? (
          <div className="card card-empty" data-testid="drift-same">
            Pick two different environments to compare.
          </div>
        ) : (
          <ListGate list={drift} what="the config drift" testId="drift-error">
            {(d) => <DriftFiles drift={d} />}
          </ListGate>
        )}
      </div>
    </Drawer>
  );
}

function EnvSelect({ label, value, environments, onChange, testId }: { label: string; value: string; environments: string[]; onChange: (v: string) => void; testId: string }) {
  return (
    <label className="field drift-env">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {environments.map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
      </select>
    </label>
  );
}

function DriftFiles({ drift }: { drift: DriftDto }) {
  const others = drift.other_files;
  const additions = drift.files.reduce((n, f) => n + f.additions, 0);
  const deletions = drift.files.reduce((n, f) => n + f.deletions, 0);
  return (
    <>
      <div className="drift-summary" data-testid="drift-summary">
        <span>
          <strong>{drift.from}</strong> <code className="sha">{drift.from_sha.slice(0, 8)}</code>
          <span className="arrow"> → </span>
          <strong>{drift.to}</strong> <code className="sha">{drift.to_sha.slice(0, 8)}</code>
        </span>
        {drift.files.length > 0 && (
          <span className="drift-summary-counts">
            {drift.files.length === 1 ? "1 config file" : `${drift.files.length} config files`} · <span className="plus">+{additions}</span>{" "}
            <span className="minus">−{deletions}</span>
          </span>
        )}
      </div>
      {drift.files.length === 0 ? (
        <div className="empty drift-empty" data-testid="drift-empty">
          <div className="empty-icon">✓</div>
          <h2>No config files differ</h2>
          <p>
            {drift.from} and {drift.to} run the same configuration.
          </p>
        </div>
      ) : (
        <div className="drift-files">
          {drift.files.map((f) => (
            <DriftFile key={f.path} file={f} />
          ))}
        </div>
      )}
      {others > 0 && (
        <p className="hint drift-others" data-testid="drift-others">
          {others === 1 ? "1 other file differs" : `${others} other files differ`} (not shown): code, docs and other files that are not configuration.
        </p>
      )}
    </>
  );
}

function DriftFile({ file }: { file: DriftFileDto }) {
  const [open, setOpen] = useState(true);
  return (
    <article className="card drift-file" data-testid="drift-file" data-path={file.path} data-status={file.status}>
      <header className="drift-file-head">
        <button
          type="button"
          className="drift-toggle"
          aria-expanded={open}
          aria-label={open ? `Hide the diff of ${file.path}` : `Show the diff of ${file.path}`}
          onClick={() => setOpen(!open)}
        >
          <span className={open ? "caret caret-open" : "caret"} aria-hidden="true">
            ▸
          </span>
        </button>
        <span className={`drift-status drift-status-${file.status}`}>{file.status}</span>
        <code className="drift-path" title={file.path}>
          {file.path}
        </code>
        {file.owner && (
          <span className="badge drift-owner" data-testid="drift-owner" title={`${file.owner}’s own file, by the guard’s patterns`}>
            {file.owner}’s
          </span>
        )}
        {!file.binary && (
          <span className="drift-counts">
            <span className="plus">+{file.additions}</span> <span className="minus">−{file.deletions}</span>
          </span>
        )}
      </header>
      {open &&
        (file.binary ? (
          <div className="drift-note">Binary file: no diff to show.</div>
        ) : (
          <>
            <Patch patch={file.patch} />
            {file.cut && (
              <div className="drift-note drift-cut" data-testid="drift-cut">
                The diff is longer than this and is cut here.
              </div>
            )}
          </>
        ))}
    </article>
  );
}

function Patch({ patch }: { patch: string }) {
  const lines = diffLines(patch).filter((l) => l.kind !== "meta");
  if (lines.length === 0) return <div className="drift-note">No line changes (the file was renamed or its mode changed).</div>;
  return (
    <div className="diff" data-testid="drift-patch" role="table" aria-label="Diff">
      {lines.map((l, i) => (
        <div key={i} className={`diff-line diff-${l.kind}`} data-kind={l.kind} role="row">
          <span className="diff-num" role="cell" aria-hidden="true">
            {l.old ?? ""}
          </span>
          <span className="diff-num" role="cell" aria-hidden="true">
            {l.new ?? ""}
          </span>
          <span className="diff-sign" role="cell" aria-label={SAID[l.kind]}>
            {SIGN[l.kind]}
          </span>
          <span className="diff-text" role="cell">
            {l.text}
          </span>
        </div>
      ))}
    </div>
  );
}
