import type { ClockDto } from "./ipc.gen";
import { agingWords, clockTone, frozenWhy, goalWords, remainingWords, stageLabel, useLiveClock, type LiveClock } from "./clock";
import { whenShort } from "./format";

/** The bar of a clock: how much of its goal is used, coloured by the thresholds it passed. */
export function ClockBar({ percent, breached }: { percent: number; breached: boolean }) {
  const tone = clockTone(percent, breached);
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
      className={`clock-remaining tone-text-${clockTone(live.percent, live.breached)}`}
      data-testid="clock-remaining"
      data-running={clock.running_now ? "true" : "false"}
    >
      {clock.running_now && <span className="clock-live" aria-hidden="true" />}
      <span className="clock-value">{remainingWords(clock, live.remaining)}</span>
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
        <span className="clock-stage">{clock.stage}</span>
      </div>
      <ClockBar percent={live.percent} breached={live.breached} />
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
      <ClockBar percent={live.percent} breached={live.breached} />
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

/** On a queued change: a "late" badge once its aging clock is breached, a quiet mark from 75 %. */
export function LateMark({ clock }: { clock: ClockDto | null }) {
  if (!clock) return null;
  if (clock.breached) {
    return (
      <span className="late-badge" data-testid="late-badge" title={agingWords(clock)}>
        late
      </span>
    );
  }
  if (clock.percent >= 75) {
    return (
      <span className="aging-mark" data-testid="aging-warning" title={agingWords(clock)} aria-label={agingWords(clock)}>
        {Math.floor(clock.percent)} %
      </span>
    );
  }
  return null;
}
