/**
 * Connections (`/api/connections/`): named credentials for HTTP Tasks. The secret is
 * write-only: it is sent on create or when replaced and never comes back from the server.
 */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export const CONNECTION_KINDS = ["basic", "api_key", "bearer", "oauth2"] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** The non-secret parameters each kind takes (what the server checks), required first. */
export const CONNECTION_PARAMETERS: Record<ConnectionKind, { name: string; required: boolean; choices?: string[] }[]> = {
  basic: [{ name: "username", required: true }],
  api_key: [{ name: "name", required: true }, { name: "location", required: true, choices: ["header", "query"] }],
  bearer: [],
  oauth2: [{ name: "token_url", required: true }, { name: "client_id", required: true }, { name: "scope", required: false }],
};

export interface ConnectionItem {
  id: number;
  name: string;
  description: string;
  kind: ConnectionKind | string;
  parameters: Record<string, string>;
  /** Whether a secret is stored; the secret itself is never returned. */
  secret_set?: boolean;
  /** The run role pattern that lets a workflow use it (`connection:<name>`). */
  resource?: string;
  owner?: string;
  updated_at?: string;
}

export interface ConnectionFields {
  name?: string;
  description?: string;
  kind?: string;
  parameters?: Record<string, string>;
  /** Only sent when set or replaced. */
  secret?: string;
}

export const listConnections = (signal?: AbortSignal): Promise<Page<ConnectionItem>> =>
  api<Page<ConnectionItem>>("connections/", { query: { limit: 1000 }, signal });
export const createConnection = (fields: ConnectionFields): Promise<ConnectionItem> => api<ConnectionItem>("connections/", { body: fields });
export const updateConnection = (id: number, fields: ConnectionFields): Promise<ConnectionItem> =>
  api<ConnectionItem>(`connections/${id}/`, { method: "PATCH", body: fields });
export const deleteConnection = (id: number): Promise<void> => api<void>(`connections/${id}/`, { method: "DELETE" });
