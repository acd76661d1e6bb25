/** Alert rules (`/api/alerts/rules/`) and the alerts they fired (`/api/alerts/`). */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export const ALERT_KINDS = ["any_failure", "failure_count", "long_running", "timed_out"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertRuleItem {
  id: number;
  name: string;
  /** The workflow (template) id, as the API names it. */
  workflow?: number;
  workflow_id: number;
  workflow_name: string;
  kind: AlertKind | string;
  threshold_count: number | null;
  window_minutes: number | null;
  duration_seconds: number | null;
  webhook_url: string;
  /** Whether a signing secret is stored (it is never returned). */
  webhook_secret_set?: boolean;
  email_to: string;
  enabled: boolean;
  created_at?: string;
}

export interface AlertRuleFields {
  name?: string;
  workflow?: number;
  kind?: string;
  threshold_count?: number | null;
  window_minutes?: number | null;
  duration_seconds?: number | null;
  webhook_url?: string;
  /** Write-only. */
  webhook_secret?: string;
  email_to?: string;
  enabled?: boolean;
}

export interface AlertItem {
  id: number;
  rule_id: number;
  rule_name: string;
  kind: string;
  workflow_id: number;
  workflow_name: string;
  /** The execution it is about (null once deleted), as the API names it. */
  execution?: number | null;
  execution_id?: number | null;
  message: string;
  payload?: unknown;
  created_at: string;
  webhook_status: string;
  attempts: number;
  next_attempt_at?: string | null;
  last_error: string;
  delivered_at: string | null;
  emailed_at: string | null;
}

export const listAlertRules = (signal?: AbortSignal): Promise<Page<AlertRuleItem>> =>
  api<Page<AlertRuleItem>>("alerts/rules/", { query: { limit: 1000 }, signal });
export const createAlertRule = (fields: AlertRuleFields): Promise<AlertRuleItem> => api<AlertRuleItem>("alerts/rules/", { body: fields });
export const updateAlertRule = (id: number, fields: AlertRuleFields): Promise<AlertRuleItem> =>
  api<AlertRuleItem>(`alerts/rules/${id}/`, { method: "PATCH", body: fields });
export const deleteAlertRule = (id: number): Promise<void> => api<void>(`alerts/rules/${id}/`, { method: "DELETE" });

export const listAlerts = (query: { workflow?: number | string; rule?: number | string; limit?: number; offset?: number }, signal?: AbortSignal): Promise<Page<AlertItem>> =>
  api<Page<AlertItem>>("alerts/", { query, signal });
