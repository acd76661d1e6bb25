/** The executions list (`GET /api/executions/`) and the workflow choices its filters offer. */
import { api } from "./client.ts";
import type { Execution } from "./executions.ts";
import type { Page } from "./paging.ts";

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const EXECUTION_ORDERINGS = ["-started_at", "started_at", "-stopped_at", "stopped_at", "name", "-name", "status", "-status"] as const;
export type ExecutionOrdering = (typeof EXECUTION_ORDERINGS)[number];

/** A row of the list: the same fields as one execution (`status` one of EXECUTION_STATUSES, or newer). */
export type ExecutionItem = Execution;

export interface ExecutionFilters {
  status?: string;
  workflow?: number | string;
  started_after?: string;
  started_before?: string;
  ordering?: string;
  limit?: number;
  offset?: number;
}

export const listExecutions = (filters: ExecutionFilters, signal?: AbortSignal): Promise<Page<ExecutionItem>> =>
  api<Page<ExecutionItem>>("executions/", { query: { ...filters }, signal });

export interface WorkflowOption {
  id: number;
  name: string;
  type: string;
  latest_version: number;
}

/** Every workflow the user can see (for filters and pickers): name, type and latest version. */
export async function listWorkflowOptions(signal?: AbortSignal): Promise<WorkflowOption[]> {
  const page = await api<Page<WorkflowOption>>("templates/", { query: { limit: 1000, ordering: "name" }, signal });
  return page.results.map(({ id, name, type, latest_version }) => ({ id, name, type, latest_version }));
}

export interface VersionOption {
  number: number;
  description: string;
  created_at: string;
}

export async function listVersions(workflowId: number, signal?: AbortSignal): Promise<VersionOption[]> {
  const page = await api<Page<VersionOption>>(`templates/${workflowId}/versions/`, { query: { limit: 1000 }, signal });
  return page.results.map(({ number, description, created_at }) => ({ number, description, created_at }));
}
