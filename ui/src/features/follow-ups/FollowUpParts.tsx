/** The small parts a follow-up is shown with, in its row and its drawer. */
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { FollowUpDto, FollowUpStatusDto, PriorityDto } from "../../ipc";
import { PAGE_PATH } from "../../shared/links";

/** Priorities as people read them, most urgent first (a priority the core adds fails to compile until it has one). */
export const PRIORITY_LABEL: Record<PriorityDto, string> = { high: "High", normal: "Normal", low: "Low" };

export const PRIORITIES = Object.keys(PRIORITY_LABEL) as PriorityDto[];

const STATUS_LABEL: Record<FollowUpStatusDto, string> = { open: "Open", done: "Done", "wont-do": "Won’t do" };

export function PriorityBadge({ priority }: { priority: PriorityDto }) {
  return (
    <span className={`badge priority-${priority}`} data-testid="follow-up-priority" data-priority={priority}>
      {PRIORITY_LABEL[priority]}
    </span>
  );
}

export function StatusChip({ status }: { status: FollowUpStatusDto }) {
  return (
    <span className={`state follow-up-status-${status}`} data-testid="follow-up-status" data-status={status}>
      <span className="state-dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

/** Where it stands, as the core says it ("due in 3 d 4 h", "overdue by 2 d", "done"); overdue stands out. */
export function Standing({ item }: { item: FollowUpDto }) {
  return (
    <span className={item.overdue ? "standing overdue" : "standing"} data-testid="follow-up-standing" data-overdue={item.overdue}>
      {item.standing}
    </span>
  );
}

/** What a follow-up points at: the rollback that opened it, the deployment it undid, its request, its ticket. */
export function FollowUpLinks({ item, wide = false }: { item: FollowUpDto; wide?: boolean }) {
  const links: ReactNode[] = [];
  if (item.deployment !== null) {
    links.push(
      <span key="rollback" className="fu-link-text" title={`Deployment #${item.deployment}, the rollback that opened it`}>
        {wide ? "Rollback " : "rollback "}#{item.deployment}
      </span>,
    );
  }
  if (item.rolled_back !== null) {
    links.push(
      <span key="undid" className="fu-link-text" title={`Deployment #${item.rolled_back}, which the rollback undid`}>
        {wide ? "Undid deployment " : "undid "}#{item.rolled_back}
      </span>,
    );
  }
  if (item.request !== null) {
    const request = item.request;
    links.push(
      <Link
        key="request"
        className="fu-link"
        to={`${PAGE_PATH.requests}/${request}`}
        // The row under the link opens the follow-up; the link opens the request instead.
        onClick={(e) => e.stopPropagation()}
        data-testid="follow-up-request"
      >
        {wide ? "Change request " : "request "}#{request}
      </Link>,
    );
  }
  const external = item.external_link;
  if (external !== null && external !== "") {
    links.push(
      /^https?:\/\//i.test(external) ? (
        <a
          key="external"
          className="fu-link"
          href={external}
          target="_blank"
          rel="noopener noreferrer"
          title={external}
          onClick={(e) => e.stopPropagation()}
          data-testid="follow-up-external"
        >
          {wide ? external : "ticket ↗"}
        </a>
      ) : (
        <span key="external" className="fu-link-text" title={external}>
          {external}
        </span>
      ),
    );
  }
  if (links.length === 0) return wide ? null : <span className="muted">—</span>;
  return <span className={wide ? "fu-link-list fu-link-list-wide" : "fu-link-list"}>{links}</span>;
}
