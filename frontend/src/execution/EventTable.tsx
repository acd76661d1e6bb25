/** The execution's event history with filters: event type, state, and text in the details. */
import { useMemo, useState } from "react";
import type { HistoryEvent } from "../api/executions.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { ExecutionModel } from "./derive.ts";

export interface EventFilter {
  type: string;
  state: string;
  text: string;
  /** Only events of these states (a picked Parallel branch), when set. */
  states?: ReadonlySet<string> | null;
}

/** The events passing the filter (pure; tested). */
export function filterEvents(events: readonly HistoryEvent[], stateOf: ReadonlyMap<number, string>, filter: EventFilter): HistoryEvent[] {
  const text = filter.text.trim().toLowerCase();
  return events.filter((event) => {
    if (filter.type !== "" && event.type !== filter.type) return false;
    const state = stateOf.get(event.id);
    if (filter.state !== "" && state !== filter.state) return false;
    if (filter.states && (state === undefined || !filter.states.has(state))) return false;
    if (text !== "") {
      const haystack = `${event.type} ${state ?? ""} ${event.details === null ? "" : JSON.stringify(event.details)}`.toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
}

const PAGE = 300;

export function formatOffset(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(2)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function EventTable({ model, version, states, onPickState }: { model: ExecutionModel; version: number; states?: ReadonlySet<string> | null; onPickState?: (name: string) => void }) {
  const t = useT();
  const [type, setType] = useState("");
  const [state, setState] = useState("");
  const [text, setText] = useState("");
  const [all, setAll] = useState(false);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const types = useMemo(() => [...new Set(model.events.map((e) => e.type))].sort(), [model, version]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const names = useMemo(() => [...new Set(model.eventState.values())].sort(), [model, version]);
  const rows = useMemo(
    () => filterEvents(model.events, model.eventState, { type, state, text, states: states ?? null }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [model, version, type, state, text, states],
  );
  const shown = all || rows.length <= PAGE ? rows : rows.slice(rows.length - PAGE);
  const t0 = model.events[0]?.timestamp ?? 0;

  return (
    <section className="exec-events" aria-labelledby="exec-events-title">
      <header className="pane-header">
        <h2 id="exec-events-title">{t("exec.events")}</h2>
        <span className="muted" data-testid="event-count">{t("exec.eventCount", { shown: rows.length, total: model.events.length })}</span>
      </header>
      <div className="filters" role="search">
        <label>
          {t("exec.filter.type")}
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="event-filter-type">
            <option value="">{t("exec.filter.any")}</option>
            {types.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </label>
        <label>
          {t("exec.filter.state")}
          <select value={state} onChange={(e) => setState(e.target.value)} data-testid="event-filter-state">
            <option value="">{t("exec.filter.any")}</option>
            {names.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </label>
        <label>
          {t("exec.filter.text")}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} data-testid="event-filter-text" />
        </label>
      </div>
      {shown.length < rows.length && (
        <p className="muted">
          {t("exec.showingLast", { count: shown.length })}{" "}
          <button type="button" className="link-button" onClick={() => setAll(true)}>{t("exec.showAll")}</button>
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table events-table" data-testid="event-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("exec.col.type")}</th>
              <th scope="col">{t("exec.col.state")}</th>
              <th scope="col">{t("exec.col.time")}</th>
              <th scope="col">{t("exec.col.details")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((event) => {
              const name = model.eventState.get(event.id);
              return (
                <tr key={event.id} data-type={event.type}>
                  <td>{event.id}</td>
                  <td className={/Failed|TimedOut|Aborted/.test(event.type) ? "event-type bad" : /Succeeded|Exited/.test(event.type) ? "event-type good" : "event-type"}>{event.type}</td>
                  <td>{name !== undefined && onPickState ? <button type="button" className="link-button" onClick={() => onPickState(name)}>{name}</button> : name ?? ""}</td>
                  <td>{formatOffset(event.timestamp - t0)}</td>
                  <td>
                    {event.details !== null && (
                      <code className="event-details" title={JSON.stringify(event.details)}>{JSON.stringify(event.details).slice(0, 160)}</code>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
