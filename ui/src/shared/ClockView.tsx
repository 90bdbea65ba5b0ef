import "./ClockView.css";
import type { ClockDto, ToneDto } from "../ipc";
import { agingWords, frozenWhy, goalWords, remainingWords, stageLabel, useLiveClock, type LiveClock } from "./clock";
import { whenShort } from "./format";

/** The bar of a clock: how much of its goal is used, coloured by the tone the core gave it. */
export function ClockBar({ percent, tone }: { percent: number; tone: ToneDto }) {
  return (
    <div
      className={`clock-bar tone-${tone}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(Math.min(percent, 100))}
      aria-label={`${Math.floor(percent)} % of the goal used`}
    >
      <div className="clock-bar-fill" style={{ width: `${Math.max(0, Math.min(percent, 100))}%` }} />
    </div>
  );
}

function CountdownText({ clock, live }: { clock: ClockDto; live: LiveClock }) {
  const why = frozenWhy(clock);
  return (
    <span
      className={`clock-remaining tone-text-${live.tone}`}
      data-testid="clock-remaining"
      data-running={clock.running_now ? "true" : "false"}
    >
      {clock.running_now && <span className="clock-live" aria-hidden="true" />}
      <span className="clock-value">{remainingWords(clock, live)}</span>
      {/* The space is for the text (a flex container lays out only the spans, with its gap). */}
      {why && " "}
      {why && <span className={`clock-why why-${why.replace(/ /g, "-")}`}>· {why}</span>}
    </span>
  );
}

/** A request's urgent clock in a list row: a live countdown over its bar. */
export function ClockCell({ clock }: { clock: ClockDto }) {
  const live = useLiveClock(clock);
  return (
    <div className="clock-cell" title={`${stageLabel(clock.stage)}: goal ${goalWords(clock)}, calendar ${clock.calendar}`}>
      <div className="clock-cell-top">
        <CountdownText clock={clock} live={live} />
        <span className="clock-stage">{stageLabel(clock.stage)}</span>
      </div>
      <ClockBar percent={live.percent} tone={live.tone} />
    </div>
  );
}

/** One clock on a request's page: stage, bar, remaining and used time, when it is due. */
export function ClockPanel({ clock }: { clock: ClockDto }) {
  const live = useLiveClock(clock);
  return (
    <div className={`clock-panel ${clock.stopped ? "clock-stopped" : ""}`} data-testid="clock" data-stage={clock.stage}>
      <div className="clock-panel-head">
        <span className="clock-panel-stage">{stageLabel(clock.stage)}</span>
        <CountdownText clock={clock} live={live} />
      </div>
      <ClockBar percent={live.percent} tone={live.tone} />
      <div className="clock-panel-foot">
        <span>
          {Math.floor(live.percent)} % of {goalWords(clock)} used
        </span>
        <span>
          {clock.stopped
            ? "stopped"
            : clock.due_at
              ? `${live.breached ? "was due" : "due"} ${whenShort(clock.due_at)}`
              : clock.paused
                ? "no due time while paused"
                : ""}
        </span>
      </div>
      <div className="clock-panel-calendar">calendar {clock.calendar}</div>
    </div>
  );
}

/** A "late" badge on a queued change once its aging clock is breached. */
export function LateBadge({ clock }: { clock: ClockDto }) {
  if (!clock.breached) return null;
  return (
    <span className="late-badge" data-testid="late-badge" title={agingWords(clock)}>
      late
    </span>
  );
}

/** On a queued change: the "late" badge, or a quiet mark once its policy's last warning has passed. */
export function LateMark({ clock }: { clock: ClockDto | null }) {
  if (!clock) return null;
  if (clock.breached) return <LateBadge clock={clock} />;
  if (clock.tone === "urgent") {
    return (
      <span className="aging-mark" data-testid="aging-warning" title={agingWords(clock)} aria-label={agingWords(clock)}>
        {Math.floor(clock.percent)} %
      </span>
    );
  }
  return null;
}
