/** The dashboard: starts, successes, failures and durations from `/api/stats/`, per window and workflow. */
import { useState } from "react";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import { STATS_WINDOWS, getStats, type StatsWindow } from "../api/stats.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { formatDuration, formatTime } from "./common/format.ts";
import { useLoad } from "./common/useLoad.ts";
import { Field, LoadState, PageFrame } from "./common/ui.tsx";
import { CountsChart, DurationChart, failures } from "./dashboard/Charts.tsx";

export function DashboardPage() {
  const t = useT();
  const [window, setWindow] = useState<StatsWindow>("24h");
  const [workflow, setWorkflow] = useState("");
  const stats = useLoad((signal) => getStats(window, workflow, signal), [window, workflow]);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);
  const data = stats.data;

  const cards: { key: string; label: MessageKey; value: string }[] = data === undefined ? [] : [
    { key: "started", label: "dashboard.started", value: String(data.totals.started) },
    { key: "succeeded", label: "dashboard.succeeded", value: String(data.totals.succeeded) },
    { key: "failed", label: "dashboard.failed", value: String(data.totals.failed) },
    { key: "timed_out", label: "status.TIMED_OUT", value: String(data.totals.timed_out) },
    { key: "aborted", label: "status.ABORTED", value: String(data.totals.aborted) },
    { key: "running", label: "status.RUNNING", value: String(data.totals.running) },
    { key: "p50", label: "dashboard.p50", value: formatDuration(data.duration_ms.p50) },
    { key: "p90", label: "dashboard.p90", value: formatDuration(data.duration_ms.p90) },
    { key: "p99", label: "dashboard.p99", value: formatDuration(data.duration_ms.p99) },
  ];

  return (
    <PageFrame id="dashboard">
      <div className="data-filters" role="group" aria-label={t("dashboard.controls")}>
        <div className="form-field">
          <span className="form-hint" id="dash-window-label">{t("dashboard.window")}</span>
          <div className="segmented" role="group" aria-labelledby="dash-window-label" data-testid="dashboard-window">
            {STATS_WINDOWS.map((w) => (
              <button key={w} type="button" aria-pressed={w === window} data-testid={`dashboard-window-${w}`} onClick={() => setWindow(w)}>
                {t(`dashboard.window.${w}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
        <Field label={t("data.workflow")} htmlFor="dash-workflow">
          <select id="dash-workflow" data-testid="dashboard-workflow" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">{t("data.anyWorkflow")}</option>
            {(workflows.data ?? []).map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <button type="button" onClick={stats.reload}>{t("data.refresh")}</button>
      </div>
      <LoadState error={stats.error} loading={stats.loading} hasData={data !== undefined} what="/api/stats/" onRetry={stats.reload} />
      {data === undefined || stats.error !== undefined ? null : (
        <>
          <div className="stat-cards" data-testid="dashboard-totals">
            {cards.map((card) => (
              <div className="stat-card" key={card.key} data-testid={`stat-${card.key}`}>
                <div className="stat-value">{card.value}</div>
                <div className="stat-label">{t(card.label)}</div>
              </div>
            ))}
          </div>
          {data.series.length === 0 ? <p className="empty">{t("dashboard.noData")}</p> : (
            <>
              <div className="chart-grid">
                <CountsChart series={data.series} bucketSeconds={data.bucket_seconds} />
                <DurationChart series={data.series} bucketSeconds={data.bucket_seconds} />
              </div>
              <details className="panel" style={{ marginTop: 16 }}>
                <summary>{t("dashboard.asTable")}</summary>
                <table className="data-table" data-testid="dashboard-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("dashboard.bucket")}</th>
                      <th scope="col" className="num">{t("dashboard.started")}</th>
                      <th scope="col" className="num">{t("dashboard.succeeded")}</th>
                      <th scope="col" className="num">{t("dashboard.failedAll")}</th>
                      <th scope="col" className="num">{t("dashboard.avgDuration")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.series.map((b) => (
                      <tr key={b.start}>
                        <td>{formatTime(b.start)}</td>
                        <td className="num">{b.started}</td>
                        <td className="num">{b.succeeded}</td>
                        <td className="num">{failures(b)}</td>
                        <td className="num">{formatDuration(b.avg_duration_ms)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </>
          )}
        </>
      )}
    </PageFrame>
  );
}
