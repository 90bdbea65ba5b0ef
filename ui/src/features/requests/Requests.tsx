import { useCallback, useState } from "react";
import { useMatch, useNavigate, useSearchParams } from "react-router";
import { CLOCK_REFRESH_MS, requestKeys, requestListQuery, useRead, type BoardDto, type RequestDetailDto, type RequestSummaryDto } from "../../ipc";
import { useQueryClient } from "@tanstack/react-query";
import { Problem } from "../../shared/Problem";
import { ClockCell } from "../../shared/ClockView";
import { whenShort } from "../../shared/format";
import { ACK_READY, PAGE_PATH } from "../../shared/links";
import { KindBadge, SeverityBadge, StateChip } from "./RequestBadges";
import { RequestPage } from "./RequestPage";
import { NewRequest } from "./NewRequest";

/** Change requests, nearest breach first, each with its most urgent clock counting down; `/requests/<id>` opens one. */
export function Requests({ board }: { board: BoardDto }) {
  const [all, setAll] = useState(false);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const client = useQueryClient();
  // The open request is the route's: a followed link (`slipway://request/12`) opens it too.
  const match = useMatch(`${PAGE_PATH.requests}/:id`);
  const id = Number(match?.params.id);
  const open = Number.isInteger(id) && id > 0 ? id : null;
  const [search] = useSearchParams();
  const acknowledgeReady = search.get(ACK_READY) === "1";
  const setOpen = useCallback((id: number) => navigate(`${PAGE_PATH.requests}/${id}`), [navigate]);
  const close = useCallback(() => navigate(PAGE_PATH.requests), [navigate]);
  const list = useRead(requestListQuery(all));
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: requestKeys.lists }), [client]);
  const created = (detail: RequestDetailDto) => {
    setCreating(false);
    setOpen(detail.summary.id);
  };

  const requests = list.value?.requests ?? [];
  return (
    <div className="page" data-testid="requests">
      <div className="page-head">
        <div>
          <h1 className="page-title">Change requests</h1>
          <div className="page-sub">
            {all ? "All requests" : "Open requests"}, nearest breach first
            {list.value && ` · clocks read ${whenShort(list.value.generated_at)}`}
          </div>
        </div>
        <div className="page-actions">
          <label className="switch" title="Also list closed, rejected and cancelled requests">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="show-closed" />
            <span className="switch-track" aria-hidden="true" />
            Show closed
          </label>
          <button className="button button-primary" onClick={() => setCreating(true)} data-testid="new-request-button">
            New request
          </button>
        </div>
      </div>
      {list.error && list.value && (
        <div className="stale" role="status" data-testid="requests-stale">
          <strong>Not refreshed.</strong> {list.error.message}
        </div>
      )}
      {!list.loaded && <div className="loading">Reading change requests…</div>}
      {list.loaded && list.value === null && (
        <Problem
          testId="requests-error"
          title="Slipway can’t list the change requests"
          error={list.error}
          note={`Nothing was changed. The list tries again every ${CLOCK_REFRESH_MS / 1000} seconds.`}
          action={{ label: "Try again", onClick: reload, busy: false }}
        />
      )}
      {list.value && requests.length === 0 && (
        <section className="empty" data-testid="requests-empty">
          <div className="empty-icon" aria-hidden="true">
            ✓
          </div>
          <h2>{all ? "No change requests yet" : "No open change requests"}</h2>
          <p>
            {all
              ? "Open a request when a change needs approval before it ships, or to take an emergency fix through the hotfix lane with a clock on it."
              : "Nothing is waiting for approval, verification or deployment. Open a request when a change needs one."}
          </p>
          <button className="button button-primary" onClick={() => setCreating(true)}>
            New request
          </button>
        </section>
      )}
      {requests.length > 0 && <RequestTable requests={requests} onOpen={setOpen} />}
      {open !== null && <RequestPage key={`${open}-${acknowledgeReady}`} id={open} onClose={close} acknowledgeReady={acknowledgeReady} />}
      {creating && <NewRequest board={board} onClose={() => setCreating(false)} onCreated={created} />}
    </div>
  );
}

/** The list's table; also used for the aging view's open requests. */
export function RequestTable({
  requests,
  onOpen,
  showOpened = false,
}: {
  requests: RequestSummaryDto[];
  onOpen: (id: number) => void;
  showOpened?: boolean;
}) {
  return (
    <div className="table-card requests-table" role="table" aria-label="Change requests">
      <div className="req-row req-head" role="row">
        <span role="columnheader">#</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Sev</span>
        <span role="columnheader">Title</span>
        <span role="columnheader">State</span>
        <span role="columnheader">{showOpened ? "Opened" : "Assignee"}</span>
        <span role="columnheader">SLA clock</span>
      </div>
      {requests.map((r) => (
        // A row is a grid of cells, not a <tr>: WebKit's automation cannot click table rows.
        <div
          key={r.id}
          className="req-row table-row"
          role="row"
          data-testid="request-row"
          data-id={r.id}
          tabIndex={0}
          onClick={() => onOpen(r.id)}
          onKeyDown={(e) => e.key === "Enter" && onOpen(r.id)}
        >
          <span role="cell" className="col-id">
            #{r.id}
          </span>
          <span role="cell">
            <KindBadge kind={r.kind} />
          </span>
          <span role="cell">
            <SeverityBadge severity={r.severity} />
          </span>
          <span role="cell" className="col-title">
            <span className="row-title" title={r.title}>
              {r.title}
            </span>
            <span className="row-sub">
              {r.project}
              {r.target_environment && ` → ${r.target_environment}`}
              {r.approvals_needed.length > 0 && ` · needs ${r.approvals_needed.join(" and ")}`}
            </span>
          </span>
          <span role="cell">
            <StateChip state={r.state} />
          </span>
          <span role="cell" className="col-person">
            {showOpened ? <span title={r.opened_at}>{whenShort(r.opened_at)}</span> : (r.assignee ?? <span className="muted">unassigned</span>)}
          </span>
          <span role="cell" className="col-clock">
            <RowClock request={r} />
          </span>
        </div>
      ))}
    </div>
  );
}

function RowClock({ request }: { request: RequestSummaryDto }) {
  if (!request.has_policy) {
    return (
      <span className="muted" data-testid="no-policy" title={`No SLA policy covers ${request.kind} ${request.severity.toUpperCase()} requests`}>
        No SLA policy
      </span>
    );
  }
  if (!request.urgent_clock) {
    return <span className="muted">No clock running</span>;
  }
  return <ClockCell clock={request.urgent_clock} />;
}
