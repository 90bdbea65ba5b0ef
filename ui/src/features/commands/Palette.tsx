import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { boardQuery, requestListQuery } from "../../ipc";
import { useEscape } from "../../shared/useEscape";
import { search, type Hit, type HitKind } from "./search";

const KIND_LABEL: Record<HitKind, string> = { project: "Project", environment: "Environment", change: "Change", request: "Request" };

/** Ctrl+K: type a name, a sha, a PR, a ticket or a request number, and go there. */
export function Palette({ onGo, onClose }: { onGo: (hit: Hit) => void; onClose: () => void }) {
  useEscape(onClose);
  const [query, setQuery] = useState("");
  const [at, setAt] = useState(0);
  const board = useQuery(boardQuery);
  const requests = useQuery(requestListQuery(true));
  const hits = useMemo(() => search(query, board.data ?? null, requests.data?.requests ?? []), [query, board.data, requests.data]);
  const chosen = hits[Math.min(at, hits.length - 1)];
  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    onClose();
    onGo(hit);
  };
  return (
    <div className="drawer-backdrop palette-backdrop" onClick={onClose}>
      <div className="palette card" role="dialog" aria-label="Go to" data-testid="palette" onClick={(e) => e.stopPropagation()}>
        <input
          className="palette-input"
          autoFocus
          value={query}
          placeholder="Project, environment, sha, #PR, ticket or request number…"
          aria-label="Find"
          aria-controls="palette-hits"
          aria-activedescendant={chosen ? `hit-${chosen.key}` : undefined}
          onChange={(e) => {
            setQuery(e.target.value);
            setAt(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setAt((i) => Math.min(i + 1, hits.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setAt((i) => Math.max(i - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              go(chosen);
            }
          }}
          data-testid="palette-input"
        />
        <ul className="palette-hits" id="palette-hits" role="listbox" aria-label="Found">
          {hits.map((hit) => (
            <li
              key={hit.key}
              id={`hit-${hit.key}`}
              role="option"
              aria-selected={hit === chosen}
              className={hit === chosen ? "palette-hit palette-hit-on" : "palette-hit"}
              onMouseEnter={() => setAt(hits.indexOf(hit))}
              onClick={() => go(hit)}
              data-testid="palette-hit"
              data-kind={hit.kind}
            >
              <span className={`palette-kind palette-kind-${hit.kind}`}>{KIND_LABEL[hit.kind]}</span>
              <span className="palette-title">{hit.title}</span>
              <span className="palette-detail">{hit.detail}</span>
            </li>
          ))}
          {query.trim() !== "" && hits.length === 0 && <li className="palette-none">Nothing matches “{query.trim()}”.</li>}
        </ul>
        <div className="palette-foot">
          <span>
            <kbd>↑</kbd> <kbd>↓</kbd> move
          </span>
          <span>
            <kbd>Enter</kbd> go
          </span>
          <span>
            <kbd>Esc</kbd> close
          </span>
          <span>
            <kbd>?</kbd> all shortcuts
          </span>
        </div>
      </div>
    </div>
  );
}
