/** The dashboard's SVG charts: executions per bucket (started, succeeded, failed) and average duration. */
import type { StatsBucket } from "../../api/stats.ts";
import { useT } from "../../i18n/I18nProvider.tsx";
import { formatDuration } from "../common/format.ts";
import { bandLayout, bucketLabel, labelIndexes, linePoints, linear, ticks } from "./chart.ts";

const W = 560;
const H = 220;
const M = { top: 12, right: 12, bottom: 26, left: 52 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

/** Failed, timed out and aborted together: every run that did not succeed. */
export const failures = (b: StatsBucket): number => b.failed + b.timed_out + b.aborted;

function Axes({ tickValues, y, labels, format }: { tickValues: number[]; y: (v: number) => number; labels: { x: number; text: string }[]; format: (v: number) => string }) {
  return (
    <>
      <g className="grid">
        {tickValues.map((v) => <line key={v} x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />)}
      </g>
      <g className="axis">
        {tickValues.map((v) => <text key={v} x={M.left - 6} y={y(v) + 3} textAnchor="end">{format(v)}</text>)}
        {labels.map((l, i) => <text key={i} x={l.x} y={H - 8} textAnchor="middle">{l.text}</text>)}
      </g>
    </>
  );
}

export function CountsChart({ series, bucketSeconds }: { series: StatsBucket[]; bucketSeconds: number }) {
  const t = useT();
  const max = Math.max(0, ...series.map((b) => Math.max(b.started, b.succeeded, failures(b))));
  const tickValues = ticks(max, 4, true);
  const y = linear(tickValues[tickValues.length - 1] ?? 1, M.top + PLOT_H, M.top);
  const band = bandLayout(series.length, PLOT_W);
  const barW = band.bar(3);
  const labels = labelIndexes(series.length, 8).map((i) => ({ x: M.left + band.x(i) + barW * 1.5, text: bucketLabel(series[i]!.start, bucketSeconds) }));
  const kinds = [
    { key: "started", cls: "s-started", value: (b: StatsBucket) => b.started },
    { key: "succeeded", cls: "s-succeeded", value: (b: StatsBucket) => b.succeeded },
    { key: "failed", cls: "s-failed", value: failures },
  ] as const;
  const total = (pick: (b: StatsBucket) => number): number => series.reduce((sum, b) => sum + pick(b), 0);
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <h2>{t("dashboard.countsTitle")}</h2>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" data-testid="chart-counts"
        aria-label={t("dashboard.countsSummary", { started: total((b) => b.started), succeeded: total((b) => b.succeeded), failed: total(failures) })}>
        <Axes tickValues={tickValues} y={y} labels={labels} format={(v) => String(v)} />
        {series.map((b, i) => (
          <g key={b.start}>
            {kinds.map((kind, k) => {
              const value = kind.value(b);
              const top = y(value);
              return (
                <rect key={kind.key} className={kind.cls} data-kind={kind.key} x={M.left + band.x(i) + k * barW} y={top} width={Math.max(1, barW - 1)} height={Math.max(0, M.top + PLOT_H - top)}>
                  <title>{`${bucketLabel(b.start, bucketSeconds)} · ${t(`dashboard.${kind.key}`)}: ${value}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      <ul className="legend">
        <li><i className="k-started" />{t("dashboard.started")}</li>
        <li><i className="k-succeeded" />{t("dashboard.succeeded")}</li>
        <li><i className="k-failed" />{t("dashboard.failedAll")}</li>
      </ul>
    </figure>
  );
}

export function DurationChart({ series, bucketSeconds }: { series: StatsBucket[]; bucketSeconds: number }) {
  const t = useT();
  const values = series.map((b) => b.avg_duration_ms);
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const tickValues = ticks(max);
  const y = linear(tickValues[tickValues.length - 1] ?? 1, M.top + PLOT_H, M.top);
  const band = bandLayout(series.length, PLOT_W);
  const cx = (i: number): number => M.left + band.x(i) + band.bar(1) / 2;
  const labels = labelIndexes(series.length, 8).map((i) => ({ x: cx(i), text: bucketLabel(series[i]!.start, bucketSeconds) }));
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <h2>{t("dashboard.durationTitle")}</h2>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" data-testid="chart-duration" aria-label={t("dashboard.durationSummary", { max: formatDuration(max) })}>
        <Axes tickValues={tickValues} y={y} labels={labels} format={(v) => formatDuration(v)} />
        <polyline className="s-duration" points={linePoints(values, cx, y)} />
        {values.map((v, i) => (v === null ? null : (
          <circle key={i} className="s-duration-dot" cx={cx(i)} cy={y(v)} r={2.5}>
            <title>{`${bucketLabel(series[i]!.start, bucketSeconds)} · ${formatDuration(v)}`}</title>
          </circle>
        )))}
      </svg>
      <ul className="legend"><li><i className="k-duration" />{t("dashboard.avgDuration")}</li></ul>
    </figure>
  );
}
