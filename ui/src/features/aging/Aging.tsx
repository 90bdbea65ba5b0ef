import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { agingKeys, agingQuery, useRead, type AgingChangeDto, type AgingDto } from "../../ipc";
import { Problem } from "../../shared/Problem";
import { ClockBar, LateBadge } from "../../shared/ClockView";
import { Meta } from "../../shared/change";
import { VIRTUALISE_ABOVE, VirtualRows } from "../../shared/VirtualRows";
import { Figure } from "../../shared/Section";
import { agingWords, breachedCount, clockTone, lateCount } from "../../shared/clock";
import { whenShort } from "../../shared/format";
import { PAGE_PATH } from "../../shared/links";
import { RequestPage, RequestTable } from "../requests";
import { AgingChart } from "./AgingChart";

/** For project leads: how waiting developed, which requests are about to breach, every change by age. */
export function Aging() {
  const [open, setOpen] = useState<number | null>(null);
  const aging = useRead(agingQuery);
  const client = useQueryClient();
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: agingKeys.all }), [client]);
  const close = useCallback(() => setOpen(null), []);

  if (!aging.loaded) return <div className="loading">Reading queues and clocks…</div>;
  if (aging.value === null) {
    return (
      <Problem
        testId="aging-error"
        title="Slipway can’t work out the aging view"
        error={aging.error}
        note="Nothing was changed."
        action={{ label: "Try again", onClick: reload, busy: false }}
      />
    );
  }
  const view = aging.value;
  return (
    <div className="page" data-testid="aging">
      <div className="page-head">
        <div>
          <h1 className="page-title">Aging</h1>
          <div className="page-sub">
            What waits, for how long, and what is about to breach · read {whenShort(view.generated_at)} ·{" "}
            <Link to={PAGE_PATH.metrics} data-testid="to-metrics">
              Delivery metrics (DORA)
            </Link>
          </div>
        </div>
        <Figures view={view} />
      </div>
      {aging.error && (
        <div className="stale" role="status">
          <strong>Not refreshed.</strong> {aging.error.message}
        </div>
      )}
      <AgingChart history={view.history} />
      <section className="section">
        <h2 className="section-title">
          Open requests by age <span className="section-count">{view.requests.length}</span>
        </h2>
        {view.requests.length === 0 ? (
          <div className="card card-empty" data-testid="aging-no-requests">
            No open change requests.
          </div>
        ) : (
          <div data-testid="aging-requests">
            <RequestTable requests={view.requests} onOpen={setOpen} showOpened />
          </div>
        )}
      </section>
      <section className="section">
        <h2 className="section-title">
          Queued changes by age <span className="section-count">{view.changes.length}</span>
        </h2>
        {view.changes.length === 0 ? (
          <div className="card card-empty">Nothing waits: every environment is up to date with its upstream.</div>
        ) : (
          <ChangeList changes={view.changes} />
        )}
      </section>
      {open !== null && <RequestPage id={open} onClose={close} />}
    </div>
  );
}

function Figures({ view }: { view: AgingDto }) {
  const late = lateCount(view.changes.map((c) => c.change));
  const breached = breachedCount(view.requests);
  const oldest = view.changes[0];
  return (
    <div className="project-stats">
      <Figure value={String(view.changes.length)} label={view.changes.length === 1 ? "change waiting" : "changes waiting"} />
      <Figure value={String(late)} label="late" tone={late > 0 ? "late" : undefined} testId="late-count" />
      <Figure value={oldest ? oldest.change.age : "—"} label={oldest ? `oldest, in ${oldest.environment}` : "nothing waits"} />
      <Figure value={String(view.requests.length)} label="open requests" />
      <Figure value={String(breached)} label="breached" tone={breached > 0 ? "late" : undefined} />
    </div>
  );
}

function ChangeHeader() {
  return (
    <div className="grid-row grid-head" role="row">
      <span role="columnheader">Project</span>
      <span role="columnheader">Environment</span>
      <span role="columnheader">Change</span>
      <span role="columnheader">Waiting</span>
      <span role="columnheader">Aging clock</span>
    </div>
  );
}

function ChangeRow({ item }: { item: AgingChangeDto }) {
  const c = item.change;
  const clock = c.aging;
  return (
    <div className={`grid-row edge-${c.band ?? "shipped"}`} role="row" data-testid="aging-change" data-sha={c.sha} data-env={item.environment}>
      <span role="cell" className="cell-strong">
        {item.project}
      </span>
      <span role="cell">{item.environment}</span>
      <span role="cell" className="cell-change">
        <span className="row-title" title={c.title}>
          {c.title}
        </span>
        <Meta change={c} />
      </span>
      <span role="cell">
        <span className={`age band-${c.band ?? "shipped"}`}>{c.age}</span>
      </span>
      <span role="cell" className="cell-clock">
        {clock ? (
          <span className="aging-clock" title={agingWords(clock)}>
            <ClockBar percent={clock.percent} tone={clockTone(clock)} />
            <span className="aging-percent">{Math.floor(clock.percent)} %</span>
            <LateBadge clock={clock} />
          </span>
        ) : (
          <span className="muted">no aging goal</span>
        )}
      </span>
    </div>
  );
}

function keyOf(c: AgingChangeDto): string {
  return `${c.project}/${c.environment}/${c.change.sha}`;
}

/** Every queued change, oldest wait first; long lists render only what is on screen. */
export function ChangeList({ changes }: { changes: AgingChangeDto[] }) {
  if (changes.length <= VIRTUALISE_ABOVE) {
    return (
      <div className="card grid-table" role="table" data-testid="aging-changes">
        <ChangeHeader />
        {changes.map((c) => (
          <ChangeRow key={keyOf(c)} item={c} />
        ))}
      </div>
    );
  }
  return (
    <div className="card grid-table" role="table" data-testid="aging-changes" data-virtual="true">
      <ChangeHeader />
      <VirtualRows
        className="grid-scroller"
        items={changes}
        keyOf={keyOf}
        rowHeight={52}
        initialRect={{ width: 960, height: 560 }}
        overscan={10}
        row={(c) => <ChangeRow item={c} />}
      />
    </div>
  );
}
