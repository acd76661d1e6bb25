/** A Gantt chart of the states that ran: one bar per state entry, from entered to exited. */
import { useMemo } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import type { Activity, ExecutionModel, IterationSelection } from "./derive.ts";
import { isVisible } from "./derive.ts";
import { formatOffset } from "./EventTable.tsx";

const MAX_ROWS = 200;

export interface Bar {
  activity: Activity;
  left: number;
  width: number;
  depth: number;
}

/** Bars as percentages of the span from the first event to the end (or now while running). */
export function timelineBars(activities: readonly Activity[], t0: number, t1: number): Bar[] {
  const span = Math.max(t1 - t0, 1e-3);
  return activities.map((activity) => {
    let depth = 0;
    for (let a = activity.parent; a !== null; a = a.parent) depth += 1;
    const end = activity.end ?? t1;
    const left = ((activity.start - t0) / span) * 100;
    return { activity, left: Math.min(Math.max(left, 0), 100), width: Math.max(((end - activity.start) / span) * 100, 0.4), depth };
  });
}

export function Timeline({ model, version, selection, now, onPick }: { model: ExecutionModel; version: number; selection: IterationSelection; now: number; onPick: (activity: Activity) => void }) {
  const t = useT();
  const t0 = model.events[0]?.timestamp ?? now;
  const t1 = model.execution.end ?? Math.max(now, model.events[model.events.length - 1]?.timestamp ?? now);
  const bars = useMemo(() => {
    const visible = model.activities.filter((a) => isVisible(a, selection));
    if (visible.length <= MAX_ROWS) return timelineBars(visible, t0, t1);
    // Many runs (a big Map): the top-level states always, then the most recent of the rest.
    const top = visible.filter((a) => a.parent === null);
    const rest = visible.filter((a) => a.parent !== null);
    const kept = new Set([...top, ...rest.slice(Math.max(rest.length - (MAX_ROWS - top.length), 0))]);
    return timelineBars(visible.filter((a) => kept.has(a)), t0, t1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, version, selection, t0, t1]);
  return (
    <section className="exec-timeline" aria-labelledby="exec-timeline-title">
      <header className="pane-header">
        <h2 id="exec-timeline-title">{t("exec.timeline")}</h2>
        <span className="muted">{formatOffset(t1 - t0)}</span>
      </header>
      {bars.length === 0 ? (
        <p className="muted">{t("exec.noStates")}</p>
      ) : (
        <ol className="gantt" data-testid="timeline">
          {bars.map(({ activity, left, width, depth }) => (
            <li key={activity.id} className="gantt-row">
              <span className="gantt-label" style={{ paddingLeft: `${depth * 10}px` }} title={activity.name}>
                {activity.name}
                {activity.iteration !== null ? ` [${activity.iteration}]` : ""}
              </span>
              <span className="gantt-track">
                <button
                  type="button"
                  className={`gantt-bar status-${activity.status}`}
                  style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                  title={`${activity.name}: ${t(`status.${activity.status}`)} · ${formatOffset((activity.end ?? t1) - activity.start)}`}
                  aria-label={`${activity.name} ${t(`status.${activity.status}`)} ${formatOffset((activity.end ?? t1) - activity.start)}`}
                  onClick={() => onPick(activity)}
                />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
