import type { ReactNode } from "react";
import type { ChannelKind } from "../../ipc";
import { channelLabel, isChannelKind } from "./notifyWords";

/** A small square mark for a channel kind (a kind this app does not know looks like a webhook), named for screen readers and on hover. */
export function KindIcon({ kind }: { kind: string }) {
  const shown: ChannelKind = isChannelKind(kind) ? kind : "webhook";
  return (
    <span className={`kind-icon kind-icon-${shown}`} title={channelLabel(kind)} role="img" aria-label={channelLabel(kind)}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
        {ICONS[shown]}
      </svg>
    </span>
  );
}

const ICONS: Record<ChannelKind, ReactNode> = {
  email: (
    <>
      <rect x="1.75" y="3.25" width="12.5" height="9.5" rx="1.5" />
      <path d="M2.5 4.5 8 8.75l5.5-4.25" />
    </>
  ),
  slack: <path d="M6 2.5 4.5 13.5M11.5 2.5 10 13.5M2.5 6h11M2 10.5h11" />,
  teams: (
    <>
      <path d="M2.5 3.5h8.5v7H6.5l-3 2.5v-2.5h-1z" />
      <path d="M11 6h2.5v5.5h-1v1.75L10.25 11.5" />
    </>
  ),
  webhook: (
    <>
      <path d="M6.25 9.75 9.75 6.25" />
      <path d="M7 4.5 8.25 3.25a2.47 2.47 0 0 1 3.5 3.5L10.5 8" />
      <path d="M9 11.5 7.75 12.75a2.47 2.47 0 0 1-3.5-3.5L5.5 8" />
    </>
  ),
  desktop: (
    <>
      <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
      <path d="M5.5 13.5h5M8 11v2.5" />
    </>
  ),
};

/** The heading of one notification section: its title, a sentence, and its actions. */
export function SectionHead({ title, sub, children }: { title: string; sub: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head notify-head">
      <div>
        <h2 className="notify-title">{title}</h2>
        <div className="page-sub">{sub}</div>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

