import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { channelsQuery, notificationKeys, outboxQuery, stakeholdersQuery, subscriptionsQuery, useRead, type BoardDto } from "../../ipc";
import { ListGate } from "../../shared/ListGate";
import { Outbox } from "./NotifyOutbox";
import { Channels } from "./NotifyChannels";
import { Stakeholders } from "./NotifyStakeholders";
import { Subscriptions } from "./NotifySubscriptions";
import { Templates } from "./NotifyTemplates";
import { counted } from "./notifyWords";

type Part = "outbox" | "channels" | "stakeholders" | "subscriptions" | "templates";

const PARTS: { part: Part; label: string }[] = [
  { part: "outbox", label: "Outbox" },
  { part: "channels", label: "Channels" },
  { part: "stakeholders", label: "Stakeholders" },
  { part: "subscriptions", label: "Subscriptions" },
  { part: "templates", label: "Templates" },
];

/** Stakeholder notifications: what went out (the outbox) and the settings that decide it. */
export function Notify({ board }: { board: BoardDto }) {
  const [part, setPart] = useState<Part>("outbox");
  const [filter, setFilter] = useState<string | null>(null);
  const client = useQueryClient();
  // A stakeholder, channel or subscription added or removed: the three lists (and their counts) read again.
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: notificationKeys.lists }), [client]);

  const people = useRead(stakeholdersQuery);
  const channels = useRead(channelsQuery);
  const subscriptions = useRead(subscriptionsQuery);
  // Read here, not in the outbox section, so the dead letters' count stands in the side menu on every section.
  const outbox = useRead(outboxQuery(filter));
  const refreshOutbox = useCallback(() => void client.invalidateQueries({ queryKey: notificationKeys.outboxAll }), [client]);

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
        {part === "templates" && <Templates />}
      </div>
    </div>
  );
}
