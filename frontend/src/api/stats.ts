/** Execution statistics (`GET /api/stats/`): totals, duration percentiles and a time series. */
import { api } from "./client.ts";

export const STATS_WINDOWS = ["1h", "24h", "7d", "30d"] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

export interface StatsTotals {
  started: number;
  succeeded: number;
  failed: number;
  timed_out: number;
  aborted: number;
  running: number;
}

export interface StatsBucket {
  start: string;
  started: number;
  succeeded: number;
  failed: number;
  timed_out: number;
  aborted: number;
  avg_duration_ms: number | null;
}

export interface Stats {
  window: StatsWindow | string;
  bucket_seconds: number;
  totals: StatsTotals;
  duration_ms: { p50: number | null; p90: number | null; p99: number | null; avg: number | null };
  series: StatsBucket[];
}

export const getStats = (window: StatsWindow, workflow?: number | string, signal?: AbortSignal): Promise<Stats> =>
  api<Stats>("stats/", { query: { window, workflow }, signal });
