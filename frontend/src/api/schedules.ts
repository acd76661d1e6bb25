/** Schedules (`/api/schedules/`): start a workflow on a cron expression or at a fixed rate. */
import { api } from "./client.ts";
import { itemsOf, type Page } from "./paging.ts";
import type { ExecutionItem } from "./executionsList.ts";

export type ScheduleKind = "cron" | "rate";

export interface ScheduleItem {
  id: number;
  name: string;
  /** The workflow (template) id, as the API names it. */
  workflow?: number;
  workflow_id: number;
  workflow_name: string;
  version: number | null;
  kind: ScheduleKind;
  cron_expression: string;
  rate_seconds: number | null;
  timezone: string;
  /** JSON text. */
  input: string;
  enabled: boolean;
  start_at?: string | null;
  end_at?: string | null;
  missed_run_policy?: string;
  /** The next five start times (none while paused). */
  next_runs: string[];
  last_tick_at?: string;
  created_at?: string;
}

export interface ScheduleFields {
  name?: string;
  workflow?: number;
  version?: number | null;
  kind?: ScheduleKind;
  cron_expression?: string;
  rate_seconds?: number | null;
  timezone?: string;
  input?: string;
  missed_run_policy?: string;
  start_at?: string | null;
  end_at?: string | null;
  enabled?: boolean;
}

export const listSchedules = (signal?: AbortSignal): Promise<Page<ScheduleItem>> =>
  api<Page<ScheduleItem>>("schedules/", { query: { limit: 1000 }, signal });
export const createSchedule = (fields: ScheduleFields): Promise<ScheduleItem> => api<ScheduleItem>("schedules/", { body: fields });
export const updateSchedule = (id: number, fields: ScheduleFields): Promise<ScheduleItem> =>
  api<ScheduleItem>(`schedules/${id}/`, { method: "PATCH", body: fields });
export const deleteSchedule = (id: number): Promise<void> => api<void>(`schedules/${id}/`, { method: "DELETE" });
export const pauseSchedule = (id: number): Promise<ScheduleItem> => api<ScheduleItem>(`schedules/${id}/pause/`, { method: "POST", body: {} });
export const resumeSchedule = (id: number): Promise<ScheduleItem> => api<ScheduleItem>(`schedules/${id}/resume/`, { method: "POST", body: {} });

/** The executions a schedule started, newest first. */
export async function listScheduleRuns(id: number, signal?: AbortSignal): Promise<ExecutionItem[]> {
  return itemsOf(await api<Page<ExecutionItem> | ExecutionItem[]>(`schedules/${id}/runs/`, { query: { limit: 20 }, signal }));
}
