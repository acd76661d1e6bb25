/**
 * The editor and the server: load a workflow's latest version, save as a new version
 * (the server's diagnostics shown at their JSON pointers when it refuses), pick an older
 * version, create a workflow from the editor, start an execution.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { parseDefinition, stringifyDefinition, type Diagnostic } from "@orchestrator/designer";
import { ApiError } from "../api/client.ts";
import { startExecution } from "../api/executions.ts";
import {
  createRoleFor,
  createWorkflow,
  getVersion,
  getWorkflow,
  listWorkflowVersions,
  updateWorkflow,
  type Version,
  type Workflow,
} from "../api/workflows.ts";
import { href } from "../app/router.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { SaveAsValues } from "./ServerDialogs.tsx";
import type { Designer } from "./useDesigner.ts";

export interface SyncMessage {
  kind: "ok" | "error";
  text: string;
}

function normalized(text: string): string | null {
  try {
    return stringifyDefinition(parseDefinition(text));
  } catch {
    return null;
  }
}

/** The diagnostics list of an API error (a refused definition), if it has one. */
export function diagnosticsOf(error: unknown): Diagnostic[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).filter(
    (d): d is Diagnostic => typeof d === "object" && d !== null && typeof (d as Diagnostic).location === "string" && typeof (d as Diagnostic).code === "string",
  );
}

export function useWorkflowSync(workflowId: number | undefined, designer: Designer) {
  const t = useT();
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [message, setMessage] = useState<SyncMessage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { load, setServerDiagnostics } = designer;
  // The workflow is on the canvas once the editor's stack id moved past the one seen at load.
  const stackIdRef = useRef(designer.stackId);
  stackIdRef.current = designer.stackId;
  const [loadedAfter, setLoadedAfter] = useState<number | null>(null);
  const ready = workflowId === undefined || (loadedAfter !== null && designer.stackId > loadedAfter);

  const refreshVersions = useCallback(async (id: number) => {
    try {
      setVersions(await listWorkflowVersions(id));
    } catch {
      setVersions([]);
    }
  }, []);

  useEffect(() => {
    if (workflowId === undefined) return;
    let current = true;
    getWorkflow(workflowId)
      .then((found) => {
        if (!current) return;
        setWorkflow(found);
        setSaved(normalized(found.definition));
        setShownVersion(found.latest_version);
        setLoadedAfter(stackIdRef.current);
        load(found.definition);
        void refreshVersions(found.id);
      })
      .catch((error: unknown) => {
        if (!current) return;
        setLoadError(error instanceof ApiError && error.status === 404 ? t("editor.notFound", { id: workflowId }) : String(error instanceof Error ? error.message : error));
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workflowId]);

  const current = useMemo(() => stringifyDefinition(designer.state.definition), [designer.state.definition]);
  const dirty = saved === null || current !== saved || designer.codeError !== null;

  /** The text to store: the author's code when it parses (formatting kept), else the canvas's definition. */
  const textToSave = useCallback(
    (): string => (designer.codeError === null ? designer.code : stringifyDefinition(designer.state.definition)),
    [designer.code, designer.codeError, designer.state.definition],
  );

  const refused = useCallback(
    (error: unknown): void => {
      const found = diagnosticsOf(error);
      if (found.length > 0) {
        setServerDiagnostics(found);
        setMessage({ kind: "error", text: t("editor.serverProblems", { count: found.length }) });
        return;
      }
      if (error instanceof ApiError && error.pointer) {
        setServerDiagnostics([{ severity: "ERROR", code: error.code, message: error.message, location: error.pointer } as Diagnostic]);
      }
      setMessage({ kind: "error", text: t("editor.saveFailed", { message: error instanceof Error ? error.message : String(error) }) });
    },
    [setServerDiagnostics, t],
  );

  /** Save as a new version; resolves to the workflow, or null when the server refused. */
  const save = useCallback(async (): Promise<Workflow | null> => {
    if (workflowId === undefined || workflow === null || !ready) return null;
    setSaving(true);
    setMessage(null);
    try {
      const text = textToSave();
      const updated = await updateWorkflow(workflowId, { definition: text });
      setMessage({
        kind: "ok",
        text: updated.latest_version === workflow.latest_version ? t("editor.savedNoChange", { n: updated.latest_version }) : t("editor.saved", { n: updated.latest_version }),
      });
      setWorkflow(updated);
      setSaved(normalized(text));
      setShownVersion(updated.latest_version);
      void refreshVersions(workflowId);
      return updated;
    } catch (error) {
      refused(error);
      return null;
    } finally {
      setSaving(false);
    }
  }, [ready, refreshVersions, refused, t, textToSave, workflow, workflowId]);

  const createFromEditor = useCallback(
    async (values: SaveAsValues): Promise<void> => {
      try {
        const definition = textToSave();
        const role = values.role === "new" ? (await createRoleFor(values.name, definition)).id : values.role;
        const created = await createWorkflow({ name: values.name, definition, type: values.type, role_id: role, description: values.description });
        window.location.hash = href("editor", String(created.id));
      } catch (error) {
        const found = diagnosticsOf(error);
        if (found.length > 0) setServerDiagnostics(found);
        throw error;
      }
    },
    [setServerDiagnostics, textToSave],
  );

  const loadVersion = useCallback(
    async (number: number): Promise<void> => {
      if (workflowId === undefined) return;
      const found = versions.find((v) => v.number === number) ?? (await getVersion(workflowId, number));
      load(found.definition);
      setShownVersion(number);
    },
    [load, versions, workflowId],
  );

  /** Start an execution (saving unsaved changes first) and open its view. */
  const run = useCallback(
    async (input: unknown, name: string): Promise<void> => {
      if (workflowId === undefined) return;
      if (dirty) {
        const savedNow = await save();
        if (savedNow === null) throw new Error(t("editor.saveFailed", { message: "" }));
      }
      const execution = await startExecution({ workflow: workflowId, input, ...(name !== "" ? { name } : {}) });
      window.location.hash = href("executions", String(execution.id));
    },
    [dirty, save, t, workflowId],
  );

  return { workflow, versions, shownVersion, dirty: ready && dirty, ready, saving, message, loadError, save, createFromEditor, loadVersion, run, current };
}
