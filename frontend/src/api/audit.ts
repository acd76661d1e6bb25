/** The audit log (`GET /api/audit/`): search with filters, newest first, paged. */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export const AUDIT_ACTIONS = ["created", "changed", "deleted", "published", "started", "stopped", "redriven"] as const;
export const AUDIT_CLIENTS = ["browser", "rest", "asw", "sfn", "schedule", "system"] as const;
export const AUDIT_OBJECT_TYPES = [
  "workflow", "execution", "role", "function", "schedule", "connection", "alert_rule", "endpoint", "endpoint_api_key",
] as const;

export interface AuditEventItem {
  id: number;
  timestamp: string;
  /** The user name; empty for the system or a schedule. */
  actor_name: string;
  actor_id: number | null;
  action: string;
  object_type: string;
  object_id: string;
  object_name: string;
  workflow_id: number | null;
  version: number | null;
  client: string;
  details: unknown;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  object_type?: string;
  workflow?: number | string;
  client?: string;
  since?: string;
  until?: string;
  /** Text in the object or actor name. */
  q?: string;
  limit?: number;
  offset?: number;
}

export const searchAudit = (filters: AuditFilters, signal?: AbortSignal): Promise<Page<AuditEventItem>> =>
  api<Page<AuditEventItem>>("audit/", { query: { ...filters }, signal });
