/** Run roles (`/api/roles/`): which Task resources (patterns) a workflow may call. */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export interface RoleItem {
  id: number;
  name: string;
  description: string;
  allowed_resources: string[];
  created_at: string;
  updated_at: string;
}

export interface RoleFields {
  name?: string;
  description?: string;
  allowed_resources?: string[];
}

export const listRoles = (signal?: AbortSignal): Promise<Page<RoleItem>> => api<Page<RoleItem>>("roles/", { query: { limit: 1000 }, signal });
export const createRole = (fields: RoleFields): Promise<RoleItem> => api<RoleItem>("roles/", { body: fields });
export const updateRole = (id: number, fields: RoleFields): Promise<RoleItem> => api<RoleItem>(`roles/${id}/`, { method: "PATCH", body: fields });
export const deleteRole = (id: number): Promise<void> => api<void>(`roles/${id}/`, { method: "DELETE" });
