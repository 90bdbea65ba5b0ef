import { useCallback, useState } from "react";
import { api } from "./api";
import type { BoardDto } from "./ipc.gen";
import { usePolled } from "./polling";
import { OUTBOX_LIMIT, OUTBOX_REFRESH_MS, Outbox } from "./NotifyOutbox";
import { Channels } from "./NotifyChannels";
import { Stakeholders } from "./NotifyStakeholders";
import { Subscriptions } from "./NotifySubscriptions";
import { Templates } from "./NotifyTemplates";
import { ListGate } from "./NotifyParts";
import { counted } from "./notifyWords";

/** How often the people, channels and subscriptions are read again (others may change them too). */
const LISTS_REFRESH_MS = 60_000;

type Part = "outbox" | "channels" | "stakeholders" | "subscriptions" | "templates";

const PARTS: { part: Part; label: string }[] = [
  { part: "outbox", label: "Outbox" },
  { part: "channels", label: "Channels" },
  { part: "stakeholders", label: "Stakeholders" },
  { part: "subscriptions", label: "Subscriptions" },
  { part: "templates", label: "Templates" },
];

/** Stakeholder notifications: what went out (the outbox) and the settings that decide it. */
export function Notify({ board, refreshToken = 0 }: { board: BoardDto; refreshToken?: number }) {
  const [part, setPart] = useState<Part>("outbox");
  const [changed, setChanged] = useState(0);
  const [filter, setFilter] = useState<string | null>(null);
  const [outboxReads, setOutboxReads] = useState(0);
  const reload = useCallback(() => setChanged((n) => n + 1), []);
  const key = `${refreshToken}/${changed}`;

  const loadPeople = useCallback(() => api.stakeholders(), []);
  const loadChannels = useCallback(() => api.channels(), []);
  const loadSubscriptions = useCallback(() => api.subscriptions(), []);
  const people = usePolled(loadPeople, LISTS_REFRESH_MS, key);
  const channels = usePolled(loadChannels, LISTS_REFRESH_MS, key);
  const subscriptions = usePolled(loadSubscriptions, LISTS_REFRESH_MS, key);
  // Read here, not in the outbox section, so the dead letters' count stands in the side menu on every section.
  const loadOutbox = useCallback(() => api.outbox(filter, OUTBOX_LIMIT), [filter]);
  const outbox = usePolled(loadOutbox, OUTBOX_REFRESH_MS, `${key}/${outboxReads}`);
  const refreshOutbox = useCallback(() => setOutboxReads((n) => n + 1), []);

  const counts: Partial<Record<Part, number>> = {
    channels: channels.value?.length,
    stakeholders: people.value?.length,
    subscriptions: subscriptions.value?.length,
  };
  const dead = outbox.value?.dead ?? 0;

  return (
    <div className="page notify" data-testid="notify">
      <nav className="subnav" aria-label="Notifications">
        <div className="subnav-head">
          <h1 className="page-title">Notifications</h1>
          <div className="page-sub">Who is told what, how, and what went out.</div>
        </div>
        {PARTS.map(({ part: p, label }) => (
          <button
            key={p}
            type="button"
            className={part === p ? "nav-item subnav-item nav-active" : "nav-item subnav-item"}
            aria-current={part === p ? "page" : undefined}
            onClick={() => setPart(p)}
            data-testid={`notify-${p}`}
          >
            <span>{label}</span>
            {p === "outbox" && dead > 0 ? (
              <span className="nav-count subnav-alert" title={counted(dead, "dead letter")} data-testid="dead-count">
                {dead}
              </span>
            ) : (
              counts[p] !== undefined && <span className="subnav-count">{counts[p]}</span>
            )}
          </button>
        ))}
      </nav>
      <div className="notify-main">
        {part === "outbox" && <Outbox outbox={outbox} filter={filter} onFilter={setFilter} onRefresh={refreshOutbox} />}
        {part === "channels" && <Channels channels={channels} onChanged={reload} />}
        {part === "stakeholders" && <Stakeholders people={people} onChanged={reload} />}
        {part === "subscriptions" && (
          <ListGate list={people} what="the stakeholders" testId="stakeholders-error">
            {(peopleList) => (
              <ListGate list={channels} what="the channels" testId="channels-error">
                {(channelList) => <Subscriptions subscriptions={subscriptions} people={peopleList} channels={channelList} board={board} onChanged={reload} />}
              </ListGate>
            )}
          </ListGate>
        )}
        {part === "templates" && <Templates refreshToken={refreshToken} />}
      </div>
    </div>
  );
}
