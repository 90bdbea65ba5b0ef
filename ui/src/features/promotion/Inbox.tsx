import { useState } from "react";
import { inboxQuery, useRead, type InboxItemDto } from "../../ipc";
import { Problem } from "../../shared/Problem";
import { SignoffControls } from "./Signoff";

function keyOf(item: InboxItemDto): string {
  return `${item.project}/${item.environment}/${item.change.sha}`;
}

/**
 * The sign-off inbox: changes waiting for the viewer's verdict, oldest first, approved or rejected
 * in place. Its query is the one the navigation's count reads; `onChanged` has what a sign-off
 * changed (the inbox, the board's blockers) read again.
 */
export function Inbox({ onChanged }: { onChanged: () => void }) {
  const inbox = useRead(inboxQuery);
  // Rows signed here leave at once, before the next read confirms it.
  const [signed, setSigned] = useState<Set<string>>(new Set());
  const items = (inbox.value ?? []).filter((i) => !signed.has(keyOf(i)));
  const done = (item: InboxItemDto) => {
    setSigned(new Set(signed).add(keyOf(item)));
    onChanged();
  };
  return (
    <div className="page" data-testid="inbox">
      <div className="page-head">
        <div>
          <h1 className="page-title">Sign-off inbox</h1>
          <div className="page-sub">Changes waiting for your sign-off, oldest first. Approving or rejecting clears their blockers on the board.</div>
        </div>
      </div>
      {inbox.error && inbox.value && (
        <div className="stale" role="status">
          <strong>Not refreshed.</strong> {inbox.error.message}
        </div>
      )}
      {!inbox.loaded && <div className="loading">Reading what waits for you…</div>}
      {inbox.loaded && inbox.value === null && (
        <Problem testId="inbox-error" title="Slipway can’t read your inbox" error={inbox.error} note="Nothing was changed." action={{ label: "Try again", onClick: onChanged, busy: false }} />
      )}
      {inbox.value && items.length === 0 && (
        <section className="empty" data-testid="inbox-empty">
          <div className="empty-icon" aria-hidden="true">
            ✓
          </div>
          <h2>Nothing waits for your sign-off</h2>
          <p>When a change needs your verdict to enter an environment, it shows here, oldest first.</p>
        </section>
      )}
      {items.length > 0 && (
        <div className="table-card" role="table" aria-label="Changes waiting for your sign-off">
          <div className="inbox-row grid-head" role="row">
            <span role="columnheader">Where</span>
            <span role="columnheader">Change</span>
            <span role="columnheader">Waiting</span>
            <span role="columnheader">Sign-offs</span>
            <span role="columnheader">Your verdict</span>
          </div>
          {items.map((item) => (
            <div key={keyOf(item)} className="inbox-row" role="row" data-testid="inbox-row" data-sha={item.change.sha} data-env={item.environment}>
              <span role="cell" className="inbox-where">
                <span className="cell-strong">{item.environment}</span>
                <span className="row-sub">{item.project}</span>
              </span>
              <span role="cell" className="cell-change">
                <span className="row-title" title={item.change.title}>
                  {item.change.title}
                </span>
                <span className="row-sub">
                  <code className="sha">{item.change.short_sha}</code>
                  {item.change.pr !== null && <span className="pr">#{item.change.pr}</span>}
                  <span className="author">{item.change.author}</span>
                </span>
              </span>
              <span role="cell" className="inbox-age" title={`${item.age} waiting for ${item.environment}`}>
                {item.age}
              </span>
              <span role="cell" className="inbox-state">
                {item.state}
              </span>
              <span role="cell">
                <SignoffControls project={item.project} environment={item.environment} sha={item.change.sha} compact onDone={() => done(item)} />
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
