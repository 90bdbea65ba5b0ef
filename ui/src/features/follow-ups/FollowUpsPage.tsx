import { useCallback, useState } from "react";
import { useMatch, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { FOLLOW_UPS_REFRESH_MS, followUpKeys, followUpsQuery, useRead, type ApiError, type FollowUpDto } from "../../ipc";
import { Problem } from "../../shared/Problem";
import { whenLong, whenShort } from "../../shared/format";
import { PAGE_PATH } from "../../shared/links";
import { FollowUpLinks, PriorityBadge, Standing, StatusChip } from "./FollowUpParts";
import { FollowUpPanel } from "./FollowUpPanel";

/**
 * Follow-ups: what rollbacks and emergency requests left to do, soonest due first (the core's
 * order), each with its owner and where it stands; `/follow-ups/<id>` opens one.
 */
export function FollowUpsPage() {
  const [all, setAll] = useState(false);
  const navigate = useNavigate();
  const client = useQueryClient();
  // The open follow-up is the route's: a followed link (`slipway://follow-up/3`) opens it too.
  const match = useMatch(`${PAGE_PATH.follow_ups}/:id`);
  const id = Number(match?.params.id);
  const open = Number.isInteger(id) && id > 0 ? id : null;
  const setOpen = useCallback((id: number) => void navigate(`${PAGE_PATH.follow_ups}/${id}`), [navigate]);
  const close = useCallback(() => void navigate(PAGE_PATH.follow_ups), [navigate]);
  const list = useRead(followUpsQuery(all));
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: followUpKeys.lists }), [client]);

  const items = list.value ?? [];
  // A link may name a closed follow-up the open list leaves out: then the full list is read for it.
  const listed = open === null ? undefined : items.find((f) => f.id === open);
  const lookElsewhere = open !== null && list.value !== null && listed === undefined && !all;
  const everything = useRead(followUpsQuery(true), lookElsewhere);
  const found = listed ?? (lookElsewhere ? everything.value?.find((f) => f.id === open) : undefined);
  // Why the drawer has nothing to show, once the lists it is looked up in are read.
  const missing: ApiError | null =
    found !== undefined || !list.loaded
      ? null
      : list.value === null
        ? list.error
        : lookElsewhere && !everything.loaded
          ? null
          : lookElsewhere && everything.value === null
            ? everything.error
            : { code: "not_found", message: `There is no follow-up #${open} in this workspace.` };

  return (
    <div className="page" data-testid="follow-ups-page">
      <div className="page-head">
        <div>
          <h1 className="page-title">Follow-ups</h1>
          <div className="page-sub">{all ? "Open follow-ups soonest due first, then closed ones, newest first" : "Open follow-ups, soonest due first"}</div>
        </div>
        <div className="page-actions">
          <label className="switch" title="Also list follow-ups closed as done or won't do">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="follow-ups-show-closed" />
            <span className="switch-track" aria-hidden="true" />
            Show closed
          </label>
        </div>
      </div>
      {list.error && list.value && (
        <div className="stale" role="status" data-testid="follow-ups-stale">
          <strong>Not refreshed.</strong> {list.error.message}
        </div>
      )}
      {!list.loaded && <div className="loading">Reading follow-ups…</div>}
      {list.loaded && list.value === null && (
        <Problem
          testId="follow-ups-error"
          title="Slipway can’t list the follow-ups"
          error={list.error}
          note={`Nothing was changed. The list tries again every ${FOLLOW_UPS_REFRESH_MS / 1000} seconds.`}
          action={{ label: "Try again", onClick: reload, busy: false }}
        />
      )}
      {list.value && items.length === 0 && (
        <section className="empty" data-testid="follow-ups-empty">
          <div className="empty-icon" aria-hidden="true">
            ✓
          </div>
          <h2>{all ? "No follow-ups yet" : "Nothing to follow up"}</h2>
          <p>
            {all ? "No follow-ups yet." : "No open follow-ups."} A rollback or an emergency request’s close opens one.
          </p>
        </section>
      )}
      {items.length > 0 && <FollowUpTable items={items} selected={open} onOpen={setOpen} />}
      {open !== null && <FollowUpPanel key={open} id={open} item={found ?? null} missing={missing} onClose={close} />}
    </div>
  );
}

function FollowUpTable({ items, selected, onOpen }: { items: FollowUpDto[]; selected: number | null; onOpen: (id: number) => void }) {
  return (
    <div className="table-card follow-ups-table" role="table" aria-label="Follow-ups">
      <div className="fu-row fu-head" role="row">
        <span role="columnheader">#</span>
        <span role="columnheader">Follow-up</span>
        <span role="columnheader">Owner</span>
        <span role="columnheader">Priority</span>
        <span role="columnheader">Due</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Links</span>
      </div>
      {items.map((f) => (
        // A row is a grid of cells, not a <tr>: WebKit's automation cannot click table rows.
        <div
          key={f.id}
          className={`fu-row table-row ${f.id === selected ? "fu-row-selected" : ""} ${f.status === "open" ? "" : "fu-row-closed"}`}
          role="row"
          data-testid="follow-up-row"
          data-id={f.id}
          data-status={f.status}
          aria-selected={f.id === selected}
          tabIndex={0}
          onClick={() => onOpen(f.id)}
          onKeyDown={(e) => e.key === "Enter" && e.target === e.currentTarget && onOpen(f.id)}
        >
          <span role="cell" className="col-id">
            #{f.id}
          </span>
          <span role="cell" className="col-title">
            <span className="row-title" title={f.title}>
              {f.title}
            </span>
            <span className="row-sub">
              {f.project} · {f.environment}
            </span>
          </span>
          <span role="cell" className="col-person" data-testid="follow-up-owner" title={f.owner ?? undefined}>
            {f.owner ?? <span className="muted">no owner</span>}
          </span>
          <span role="cell">
            <PriorityBadge priority={f.priority} />
          </span>
          <span role="cell" className="fu-due">
            <span data-testid="follow-up-due" title={`${whenLong(f.due_at)} (${f.calendar} calendar)`}>
              {whenShort(f.due_at)}
            </span>
            <Standing item={f} />
          </span>
          <span role="cell">
            <StatusChip status={f.status} />
          </span>
          <span role="cell" className="fu-links">
            <FollowUpLinks item={f} />
          </span>
        </div>
      ))}
    </div>
  );
}
