/**
 * The executions list: filters (status, workflow, started between), ordering, paging,
 * and live refresh (the executions WebSocket; polling every 5 s where the server has
 * none). Each row opens the execution's own view at `#/executions/<id>`.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { href } from "../app/router.ts";
import {
  EXECUTION_ORDERINGS, EXECUTION_STATUSES, listExecutions, listWorkflowOptions, type ExecutionFilters, type WorkflowOption,
} from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { elapsedMs, formatDuration, formatTime, localInputToIso } from "./common/format.ts";
import { useLiveExecutions } from "./common/live.ts";
import { useInterval, useLoad } from "./common/useLoad.ts";
import { Field, LoadState, PageFrame, Pager, StatusBadge } from "./common/ui.tsx";

const PAGE_SIZE = 25;

export interface ExecutionsPageProps {
  /** Polling period when there is no live socket (milliseconds). */
  pollMs?: number;
}

export function ExecutionsPage({ pollMs = 5000 }: ExecutionsPageProps) {
  const t = useT();
  const [status, setStatus] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [ordering, setOrdering] = useState<string>("-started_at");
  const [offset, setOffset] = useState(0);
  const [live, setLive] = useState(true);

  const filters: ExecutionFilters = {
    status, workflow, ordering, limit: PAGE_SIZE, offset,
    started_after: localInputToIso(from), started_before: localInputToIso(to),
  };
  const key = JSON.stringify(filters);
  const executions = useLoad((signal) => listExecutions(filters, signal), [key]);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);

  // A change of filter starts again at the first page.
  const refilter = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setOffset(0);
  };

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
          <select id="ex-status" data-testid="executions-filter-status" value={status} onChange={(e) => refilter(setStatus)(e.target.value)}>
            <option value="">{t("data.all")}</option>
            {EXECUTION_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t("data.workflow")} htmlFor="ex-workflow">
          <select id="ex-workflow" data-testid="executions-filter-workflow" value={workflow} onChange={(e) => refilter(setWorkflow)(e.target.value)}>
            <option value="">{t("data.anyWorkflow")}</option>
            {(workflows.data ?? []).map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("executions.startedAfter")} htmlFor="ex-from">
          <input id="ex-from" type="datetime-local" data-testid="executions-filter-from" value={from} onChange={(e) => refilter(setFrom)(e.target.value)} />
        </Field>
        <Field label={t("executions.startedBefore")} htmlFor="ex-to">
          <input id="ex-to" type="datetime-local" data-testid="executions-filter-to" value={to} onChange={(e) => refilter(setTo)(e.target.value)} />
        </Field>
        <Field label={t("executions.ordering")} htmlFor="ex-ordering">
          <select id="ex-ordering" data-testid="executions-ordering" value={ordering} onChange={(e) => refilter(setOrdering)(e.target.value)}>
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
