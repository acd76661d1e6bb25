/**
 * The executions list: filters (status, workflow, started between), ordering, paging,
 * and live refresh (the executions WebSocket; polling every 5 s where the server has
 * none). Each row opens the execution's own view at `#/executions/<id>`. The filters,
 * ordering and page live in the URL's hash query (`#/executions?status=FAILED&workflow=3&page=2`),
 * so a reload or a shared link shows the same list.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { href, hrefWithQuery, parseHash } from "../app/router.ts";
import {
  EXECUTION_ORDERINGS, EXECUTION_STATUSES, listExecutions, listWorkflowOptions, type ExecutionFilters, type WorkflowOption,
} from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { elapsedMs, formatDuration, formatTime, isoToLocalInput, localInputToIso } from "./common/format.ts";
import { useLiveExecutions } from "./common/live.ts";
import { useInterval, useLoad } from "./common/useLoad.ts";
import { Field, LoadState, PageFrame, Pager, StatusBadge } from "./common/ui.tsx";

const PAGE_SIZE = 25;
const DEFAULT_ORDERING = "-started_at";

/** What the list shows: filters as their inputs hold them (times in local `datetime-local` form), ordering, offset. */
export interface ListView {
  status: string;
  workflow: string;
  from: string;
  to: string;
  ordering: string;
  offset: number;
}

/** The list a URL hash query asks for; values this page does not know are left out. */
export function viewFromQuery(query: Record<string, string>): ListView {
  const status = (EXECUTION_STATUSES as readonly string[]).includes(query.status ?? "") ? query.status! : "";
  const workflow = /^\d+$/.test(query.workflow ?? "") ? query.workflow! : "";
  const ordering = (EXECUTION_ORDERINGS as readonly string[]).includes(query.ordering ?? "") ? query.ordering! : DEFAULT_ORDERING;
  const page = /^\d+$/.test(query.page ?? "") ? Math.max(1, Number(query.page)) : 1;
  return {
    status, workflow, ordering, offset: (page - 1) * PAGE_SIZE,
    from: isoToLocalInput(query.started_after), to: isoToLocalInput(query.started_before),
  };
}

/** The hash query for a list (defaults left out); times as ISO instants, so a shared link means the same times anywhere. */
export function viewToQuery(view: ListView): Record<string, string | undefined> {
  const page = Math.floor(view.offset / PAGE_SIZE) + 1;
  return {
    status: view.status, workflow: view.workflow,
    started_after: localInputToIso(view.from), started_before: localInputToIso(view.to),
    ordering: view.ordering === DEFAULT_ORDERING ? undefined : view.ordering,
    page: page > 1 ? String(page) : undefined,
  };
}

/** The list route's query when the address is the executions list (not one execution), else null. */
function listQuery(): Record<string, string> | null {
  const route = parseHash(window.location.hash);
  return route.id === "executions" && route.rest.length === 0 ? route.query : null;
}

export interface ExecutionsPageProps {
  /** Polling period when there is no live socket (milliseconds). */
  pollMs?: number;
}

export function ExecutionsPage({ pollMs = 5000 }: ExecutionsPageProps) {
  const t = useT();
  const [view, setView] = useState<ListView>(() => viewFromQuery(listQuery() ?? {}));
  const { status, workflow, from, to, ordering, offset } = view;
  const [live, setLive] = useState(true);

  // The view into the address (replacing the history entry: filtering is not navigating) ...
  const target = hrefWithQuery("executions", viewToQuery(view));
  useEffect(() => {
    if (listQuery() !== null && window.location.hash !== target) window.history.replaceState(window.history.state, "", target);
  }, [target]);
  // ... and an address typed or followed while the list is shown into the view.
  useEffect(() => {
    const onHash = (): void => {
      const query = listQuery();
      if (query === null) return;
      const next = viewFromQuery(query);
      setView((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next));
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const filters: ExecutionFilters = {
    status, workflow, ordering, limit: PAGE_SIZE, offset,
    started_after: localInputToIso(from), started_before: localInputToIso(to),
  };
  const key = JSON.stringify(filters);
  const executions = useLoad((signal) => listExecutions(filters, signal), [key]);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);

  // A change of filter starts again at the first page.
  const refilter = (key: Exclude<keyof ListView, "offset">) => (value: string): void => setView((v) => ({ ...v, [key]: value, offset: 0 }));
  const setOffset = (next: number): void => setView((v) => ({ ...v, offset: next }));

  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { reload } = executions;
  const onExecution = useCallback(() => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      reload();
    }, 300);
  }, [reload]);
  useEffect(() => () => clearTimeout(pending.current), []);
  const mode = useLiveExecutions(live, onExecution);
  useInterval(reload, pollMs, live && mode === "polling");

  const page = executions.data;
  return (
    <PageFrame id="executions">
      <form className="data-filters" aria-label={t("executions.filters")} onSubmit={(event) => event.preventDefault()}>
        <Field label={t("data.status")} htmlFor="ex-status">
          <select id="ex-status" data-testid="executions-filter-status" value={status} onChange={(e) => refilter("status")(e.target.value)}>
            <option value="">{t("data.all")}</option>
            {EXECUTION_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t("data.workflow")} htmlFor="ex-workflow">
          <select id="ex-workflow" data-testid="executions-filter-workflow" value={workflow} onChange={(e) => refilter("workflow")(e.target.value)}>
            <option value="">{t("data.anyWorkflow")}</option>
            {(workflows.data ?? []).map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("executions.startedAfter")} htmlFor="ex-from">
          <input id="ex-from" type="datetime-local" data-testid="executions-filter-from" value={from} onChange={(e) => refilter("from")(e.target.value)} />
        </Field>
        <Field label={t("executions.startedBefore")} htmlFor="ex-to">
          <input id="ex-to" type="datetime-local" data-testid="executions-filter-to" value={to} onChange={(e) => refilter("to")(e.target.value)} />
        </Field>
        <Field label={t("executions.ordering")} htmlFor="ex-ordering">
          <select id="ex-ordering" data-testid="executions-ordering" value={ordering} onChange={(e) => refilter("ordering")(e.target.value)}>
            {EXECUTION_ORDERINGS.map((o) => <option key={o} value={o}>{t(`executions.order.${o}` as MessageKey)}</option>)}
          </select>
        </Field>
        <label className="checkbox-field">
          <input type="checkbox" data-testid="executions-live" checked={live} onChange={(e) => setLive(e.target.checked)} />
          {t("executions.live")}
        </label>
        <span className="live-state" data-testid="executions-live-mode" data-mode={mode}>
          <span className={`live-dot${mode === "socket" || mode === "polling" ? " on" : ""}`} aria-hidden="true" />
          {t(`executions.mode.${mode}` as MessageKey)}
        </span>
        <button type="button" data-testid="executions-refresh" onClick={reload}>{t("data.refresh")}</button>
      </form>

      <LoadState error={executions.error} loading={executions.loading} hasData={page !== undefined} what="/api/executions/" onRetry={reload} />
      {page === undefined ? null : (
        <>
          <table className="data-table" data-testid="executions-table">
            <thead>
              <tr>
                <th scope="col">{t("data.name")}</th>
                <th scope="col">{t("data.workflow")}</th>
                <th scope="col">{t("data.status")}</th>
                <th scope="col">{t("executions.started")}</th>
                <th scope="col">{t("executions.stopped")}</th>
                <th scope="col" className="num">{t("executions.duration")}</th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((execution) => (
                <tr key={execution.id} data-testid={`execution-row-${execution.id}`} data-status={execution.status}>
                  <td><a href={href("executions", String(execution.id))}>{execution.name}</a></td>
                  <td>{execution.workflow_name} <span className="item-sub">v{execution.version}</span></td>
                  <td><StatusBadge status={execution.status} /></td>
                  <td className="nowrap">{formatTime(execution.started_at)}</td>
                  <td className="nowrap">{formatTime(execution.stopped_at)}</td>
                  <td className="num">{formatDuration(elapsedMs(execution.started_at, execution.stopped_at))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.results.length === 0 ? <p className="empty">{t("executions.empty")}</p> : null}
          <Pager count={page.count} offset={offset} limit={PAGE_SIZE} onChange={setOffset} />
        </>
      )}
    </PageFrame>
  );
}
