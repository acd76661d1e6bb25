/** Workflows (templates), their versions, validation and the one-state test (`/api/templates/`, `/api/test-state/`). */
import { api } from "./client.ts";
import type { Page } from "./paging.ts";

export type WorkflowType = "STANDARD" | "EXPRESS";

export interface Workflow {
  id: number;
  name: string;
  description: string;
  type: WorkflowType | string;
  role_id: number | null;
  /** JSON text of the latest version. */
  definition: string;
  latest_version: number;
  owner: string;
  created_at: string;
  updated_at: string;
}

export interface Version {
  number: number;
  definition: string;
  role_id: number | null;
  description: string;
  created_at: string;
}

export interface Diagnostic {
  severity: string;
  code: string;
  message: string;
  /** JSON pointer into the definition. */
  location: string;
}

export interface WorkflowQuery {
  name?: string;
  type?: string;
  ordering?: string;
  limit?: number;
  offset?: number;
}

export const listWorkflows = (query: WorkflowQuery = {}, signal?: AbortSignal): Promise<Page<Workflow>> =>
  api<Page<Workflow>>("templates/", { query: { ...query }, signal });

export const getWorkflow = (id: number, signal?: AbortSignal): Promise<Workflow> => api<Workflow>(`templates/${id}/`, { signal });

export interface NewWorkflow {
  name: string;
  definition: string;
  type?: string;
  role_id?: number | null;
  description?: string;
}

export const createWorkflow = (body: NewWorkflow): Promise<Workflow> => api<Workflow>("templates/", { body });

/** A PATCH with a definition stores a new version (when it differs from the latest). */
export const updateWorkflow = (id: number, body: Partial<Omit<NewWorkflow, "name">>): Promise<Workflow> =>
  api<Workflow>(`templates/${id}/`, { method: "PATCH", body });

export const deleteWorkflow = (id: number): Promise<void> => api<void>(`templates/${id}/`, { method: "DELETE" });

export async function listWorkflowVersions(id: number, signal?: AbortSignal): Promise<Version[]> {
  const page = await api<Page<Version>>(`templates/${id}/versions/`, { query: { limit: 1000 }, signal });
  return page.results;
}

export const getVersion = (id: number, number: number, signal?: AbortSignal): Promise<Version> =>
  api<Version>(`templates/${id}/versions/${number}/`, { signal });

export interface ValidationReport {
  result: "OK" | "FAIL";
  diagnostics: Diagnostic[];
  truncated: boolean;
}

export const validateOnServer = (definition: string, type: string = "STANDARD"): Promise<ValidationReport> =>
  api<ValidationReport>("validate/", { body: { definition, type } });

export interface StateTestResult {
  status: "SUCCEEDED" | "FAILED" | "CAUGHT_ERROR" | "PENDING";
  output?: unknown;
  error?: string;
  cause?: string;
  nextState: string | null;
  inspectionData: Record<string, unknown>;
}

export interface StateTestRequest {
  /** The whole state machine (then `state_name` picks the state) or one state. */
  definition: unknown;
  state_name?: string;
  /** JSON text. */
  input: string;
  role_id?: number | null;
}

export const testState = (body: StateTestRequest): Promise<StateTestResult> => api<StateTestResult>("test-state/", { body });

export interface RoleOption {
  id: number;
  name: string;
}

export async function listRoleOptions(signal?: AbortSignal): Promise<RoleOption[]> {
  const page = await api<Page<RoleOption>>("roles/", { query: { limit: 1000 }, signal });
  return page.results.map(({ id, name }) => ({ id, name }));
}

export const createRole = (body: { name: string; description?: string; allowed_resources: string[] }): Promise<RoleOption> =>
  api<RoleOption>("roles/", { body });

/** Every Task Resource string in a definition (nested branches and processors too). */
export function taskResources(definition: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    if (object.Type === "Task" && typeof object.Resource === "string") found.add(object.Resource);
    for (const child of Object.values(object)) visit(child);
  };
  visit(definition);
  return [...found];
}

/** A run role allowing exactly the definition's Task resources, named after the workflow. */
export async function createRoleFor(workflowName: string, definitionText: string): Promise<RoleOption> {
  const resources = taskResources(JSON.parse(definitionText) as unknown);
  const body = { description: `Run role of ${workflowName}`, allowed_resources: resources };
  try {
    return await createRole({ name: `${workflowName}-role`.slice(0, 80), ...body });
  } catch {
    return await createRole({ name: `${workflowName}-role-${Date.now().toString(36)}`.slice(0, 80), ...body });
  }
}
