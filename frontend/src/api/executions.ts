/** One execution: start, describe, stop, redrive, and its history paged by event id. */
import { api } from "./client.ts";

export interface Execution {
  id: number;
  name: string;
  workflow_id: number;
  workflow_name: string;
  version: number;
  type: string;
  status: string;
  /** JSON text. */
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  started_at: string;
  stopped_at: string | null;
  redrive_count: number;
}

/** One history event as the API returns it (details are the engine's, JSON values inline). */
export interface HistoryEvent {
  id: number;
  previous_event_id: number;
  type: string;
  /** Epoch seconds. */
  timestamp: number;
  details: Record<string, unknown> | null;
}

export interface HistoryPage {
  events: HistoryEvent[];
  next_after: number | null;
}

export const TERMINAL_STATUSES = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

export const startExecution = (body: { workflow: number; input: unknown; name?: string; version?: number }): Promise<Execution> =>
  api<Execution>("executions/", { body });

export const getExecution = (id: number, signal?: AbortSignal): Promise<Execution> => api<Execution>(`executions/${id}/`, { signal });

export const stopExecution = (id: number, error?: string, cause?: string): Promise<Execution> =>
  api<Execution>(`executions/${id}/stop/`, { body: { ...(error ? { error } : {}), ...(cause ? { cause } : {}) } });

export const redriveExecution = (id: number): Promise<Execution> => api<Execution>(`executions/${id}/redrive/`, { method: "POST" });

export const historyPage = (id: number, after: number, options: { scope?: string; limit?: number; signal?: AbortSignal } = {}): Promise<HistoryPage> =>
  api<HistoryPage>(`executions/${id}/history/`, {
    query: { after, limit: options.limit ?? 1000, scope: options.scope ?? "" },
    signal: options.signal,
  });

/** Every event after `after` (all pages). */
export async function historyAfter(id: number, after: number, options: { scope?: string; signal?: AbortSignal } = {}): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await historyPage(id, cursor, options);
    out.push(...page.events);
    if (page.next_after === null || page.events.length === 0) return out;
    cursor = page.next_after;
  }
}
