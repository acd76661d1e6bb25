/** Functions (`/api/functions/`): Python handlers run in the sandbox, and their test invoke. */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export interface FunctionItem {
  id: number;
  name: string;
  description: string;
  source: string;
  handler: string;
  timeout_s: number;
  memory_mb: number;
  environment: Record<string, string>;
  content_hash: string;
  created_at: string;
  updated_at: string;
}

export interface FunctionFields {
  name?: string;
  description?: string;
  source?: string;
  handler?: string;
  timeout_s?: number;
  memory_mb?: number;
  environment?: Record<string, string>;
}

export interface InvokeResult {
  ok: boolean;
  payload: unknown;
  error: string | null;
  cause: string | null;
  logs: string | null;
  duration_ms: number;
}

export const listFunctions = (signal?: AbortSignal): Promise<Page<FunctionItem>> =>
  api<Page<FunctionItem>>("functions/", { query: { limit: 1000 }, signal });
export const createFunction = (fields: FunctionFields): Promise<FunctionItem> => api<FunctionItem>("functions/", { body: fields });
export const updateFunction = (id: number, fields: FunctionFields): Promise<FunctionItem> =>
  api<FunctionItem>(`functions/${id}/`, { method: "PATCH", body: fields });
export const deleteFunction = (id: number): Promise<void> => api<void>(`functions/${id}/`, { method: "DELETE" });
/** `event` is JSON text: the server parses it, so what is sent is exactly what was typed. */
export const invokeFunction = (id: number, event: string): Promise<InvokeResult> =>
  api<InvokeResult>(`functions/${id}/invoke/`, { body: { event } });
