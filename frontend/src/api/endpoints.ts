/** Published endpoints (`/api/endpoints/`): a workflow as an HTTP service, and its API keys. */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export type EndpointAuth = "none" | "api_key";

export interface EndpointItem {
  id: number;
  name: string;
  slug: string;
  workflow: number;
  workflow_name: string;
  version: number | null;
  enabled: boolean;
  auth: EndpointAuth;
  rate_limit_per_second: number | null;
  max_body_bytes: number;
  url: string;
  /** The endpoint's own OpenAPI description. */
  openapi_url?: string;
  description?: string;
  /** STANDARD answers 202 with a status URL; EXPRESS answers with the result. */
  workflow_type?: string;
  rate_limit_burst?: number | null;
  created_at: string;
}

export interface EndpointFields {
  name?: string;
  slug?: string;
  workflow?: number;
  version?: number | null;
  enabled?: boolean;
  auth?: EndpointAuth;
  rate_limit_per_second?: number | null;
  max_body_bytes?: number;
}

export interface ApiKeyItem {
  id: number | string;
  prefix: string;
  created_at?: string;
  name?: string;
}

export interface CreatedApiKey extends ApiKeyItem {
  key: string;
}

type KeyList = ApiKeyItem[] | Page<ApiKeyItem>;

export const listEndpoints = (signal?: AbortSignal): Promise<Page<EndpointItem>> =>
  api<Page<EndpointItem>>("endpoints/", { query: { limit: 1000 }, signal });
export const createEndpoint = (fields: EndpointFields): Promise<EndpointItem> => api<EndpointItem>("endpoints/", { body: fields });
export const updateEndpoint = (id: number, fields: EndpointFields): Promise<EndpointItem> =>
  api<EndpointItem>(`endpoints/${id}/`, { method: "PATCH", body: fields });
export const deleteEndpoint = (id: number): Promise<void> => api<void>(`endpoints/${id}/`, { method: "DELETE" });

/** The keys of an endpoint (never their secret); a plain list or a page, whichever the server answers. */
export async function listKeys(endpointId: number, signal?: AbortSignal): Promise<ApiKeyItem[]> {
  const answer = await api<KeyList>(`endpoints/${endpointId}/keys/`, { signal });
  return Array.isArray(answer) ? answer : answer.results;
}
export const createKey = (endpointId: number): Promise<CreatedApiKey> => api<CreatedApiKey>(`endpoints/${endpointId}/keys/`, { method: "POST", body: {} });
export const deleteKey = (endpointId: number, keyId: number | string): Promise<void> =>
  api<void>(`endpoints/${endpointId}/keys/${keyId}/`, { method: "DELETE" });
