import { useEffect, useState } from "react";
import { api, type Outcome } from "./api";
import type { PreviewDto } from "./ipc.gen";
import { Drawer, Figure, Section } from "./Layout";
import { Meta } from "./Queue";

export type PreviewRequest = { project: string; environment: string; to: string | null };

/** The promotion preview: exactly what would ship, read-only. */
export function PreviewDrawer({ request, onClose }: { request: PreviewRequest; onClose: () => void }) {
  const [outcome, setOutcome] = useState<Outcome<PreviewDto> | null>(null);
  useEffect(() => {
    let live = true;
    void api.preview(request.project, request.environment, request.to).then((o) => live && setOutcome(o));
    return () => {
      live = false;
    };
  }, [request]);

  return (
    <Drawer
      label="Promotion preview"
      testId="preview"
      closeLabel="Close preview"
      onClose={onClose}
      head={
        <div>
          <div className="column-kicker">Preview · nothing changes until you promote</div>
          <h2>
            {request.project} → {request.environment}
          </h2>
        </div>
      }
    >
      {outcome === null && <div className="loading">Working out what would ship…</div>}
      {outcome && !outcome.ok && (
        <div className="column-error" role="alert" data-testid="preview-error">
          {outcome.error.message}
        </div>
      )}
      {outcome && outcome.ok && <PreviewBody preview={outcome.value} />}
    </Drawer>
  );
}

function PreviewBody({ preview }: { preview: PreviewDto }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="drawer-body">
      <div className="preview-stats">
        <Figure value={preview.shipping.length} label={preview.shipping.length === 1 ? "change" : "changes"} testId="preview-count" />
        <Figure value={preview.files.length} label="files" />
        <Figure value={`+${preview.additions}`} label="lines added" tone="plus" />
        <Figure value={`−${preview.deletions}`} label="lines removed" tone="minus" />
      </div>
      <p className="preview-range">
        From <code className="sha">{preview.from.short_sha}</code> to{" "}
        <code className="sha">{preview.to ? preview.to.short_sha : preview.from.short_sha}</code> of {preview.upstream}
      </p>
      {preview.left_behind.length > 0 && (
        <div className="preview-warning" data-testid="left-behind">
          {preview.left_behind.length} later {preview.left_behind.length === 1 ? "change stays" : "changes stay"} behind in the queue.
        </div>
      )}
      <Section title={`Changes (${preview.shipping.length})`}>
        <ol className="preview-list">
          {preview.shipping.map((c) => (
            <li key={c.sha}>
              <span className="change-title">{c.title}</span>
              <Meta change={c} />
            </li>
          ))}
        </ol>
      </Section>
      {preview.tickets.length > 0 && (
        <Section title={`Tickets (${preview.tickets.length})`}>
          <div className="chips">
            {preview.tickets.map((t) => (
              <span key={t} className="chip">
                {t}
              </span>
            ))}
          </div>
        </Section>
      )}
      <Section title={`Authors (${preview.authors.length})`}>
        <div className="chips">
          {preview.authors.map((a) => (
            <span key={a} className="chip">
              {a}
            </span>
          ))}
        </div>
      </Section>
      <Section title={`Files (${preview.files.length})`}>
        <table className="files">
          <tbody>
            {preview.files.map((f) => (
              <tr key={f.path}>
                <td className="plus">{f.binary ? "bin" : `+${f.additions}`}</td>
                <td className="minus">{f.binary ? "" : `−${f.deletions}`}</td>
                <td className="path">{f.path}</td>
                <td className="status">{f.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Release notes (Markdown)">
        <pre className="notes" data-testid="release-notes">
          {preview.release_notes}
        </pre>
        <button
          className="button"
          onClick={() => void navigator.clipboard?.writeText(preview.release_notes).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy release notes"}
        </button>
      </Section>
    </div>
  );
}
