/**
 * Workflows from the API: search by name, filter by type, the last execution's status;
 * create (blank or from an example, the `sum` tutorial among them; type; run role),
 * import and export JSON, open in the editor, delete. Without a server the examples
 * still open in the editor.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { parseDefinition } from "@orchestrator/designer";
import { ApiError } from "../api/client.ts";
import { listExecutions, type ExecutionItem } from "../api/executionsList.ts";
import { createRoleFor, createWorkflow, deleteWorkflow, listWorkflows, type Workflow } from "../api/workflows.ts";
import { href } from "../app/router.ts";
import { downloadText, readFileText } from "../editor/fileIO.ts";
import { BLANK, EXAMPLES } from "../editor/examples.ts";
import { Dialog, RoleField, failureText, useDialogSubmit, useRoleChoice } from "../editor/ServerDialogs.tsx";
import { EXECUTION_STATUS_CLASS } from "../execution/ExecutionPage.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import { formatTime } from "./common/format.ts";
import type { MessageKey } from "../i18n/messages.ts";

/** The newest execution per workflow, from one list of recent executions. */
export function lastExecutions(executions: readonly ExecutionItem[]): Map<number, ExecutionItem> {
  const out = new Map<number, ExecutionItem>();
  for (const execution of executions) {
    const seen = out.get(execution.workflow_id);
    if (seen === undefined || seen.started_at < execution.started_at) out.set(execution.workflow_id, execution);
  }
  return out;
}

const safeName = (name: string): string => name.replace(/[^\w\u4e00-\u9fff-]+/g, "-").slice(0, 60) || "workflow";

interface CreateRequest {
  /** Definition text to start from (an import), else the picker chooses. */
  text?: string;
  name?: string;
}

/** A failure to create: its message and the first few problems the server found in the definition. */
const createFailure = (failure: unknown): string => {
  const details = failure instanceof ApiError && Array.isArray(failure.details) ? (failure.details as { location: string; message: string }[]) : [];
  return [failureText(failure), ...details.slice(0, 5).map((d) => `${d.location}: ${d.message}`)].join("\n");
};

function CreateDialog({ request, onClose, onCreated }: { request: CreateRequest; onClose: () => void; onCreated: (workflow: Workflow) => void }) {
  const t = useT();
  const [name, setName] = useState(request.name ?? "");
  const [start, setStart] = useState(request.text !== undefined ? "import" : "sum");
  const [type, setType] = useState("STANDARD");
  const { roles, choice, setChoice } = useRoleChoice();
  const { error, setError, busy, run } = useDialogSubmit(createFailure);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (name.trim() === "") {
      setError(t("wf.nameRequired"));
      return;
    }
    const definition = start === "import" ? (request.text as string) : start === "blank" ? BLANK : (EXAMPLES.find((e) => e.id === start)?.text ?? BLANK);
    await run(async () => {
      const role = choice === "new" ? (await createRoleFor(name.trim(), definition)).id : choice;
      onCreated(await createWorkflow({ name: name.trim(), definition, type, role_id: role }));
    });
  };

  return (
    <Dialog title={t("wf.createTitle")} onClose={onClose} testId="create-workflow-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>{t("wf.name")}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required autoFocus data-testid="create-name" />
        </label>
        <label className="field">
          <span>{t("wf.startFrom")}</span>
          <select value={start} onChange={(e) => setStart(e.target.value)} data-testid="create-start">
            {request.text !== undefined && <option value="import">{t("wf.import")}</option>}
            <option value="blank">{t("wf.blank")}</option>
            {EXAMPLES.map((example) => (
              <option key={example.id} value={example.id}>{t(example.title)}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("wf.type")}</span>
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="create-type">
            <option value="STANDARD">STANDARD</option>
            <option value="EXPRESS">EXPRESS</option>
          </select>
        </label>
        <RoleField roles={roles} choice={choice} setChoice={setChoice} testId="create-role" />
        {error && <pre role="alert" className="error-text">{error}</pre>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>{t("editor.cancel")}</button>
          <button type="submit" className="primary" disabled={busy} data-testid="create-confirm">{t("wf.create")}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function WorkflowsPage() {
  const t = useT();
  const [search, setSearch] = useState("");
  const [type, setType] = useState("");
  const [workflows, setWorkflows] = useState<Workflow[] | null>(null);
  const [count, setCount] = useState(0);
  const [last, setLast] = useState<Map<number, ExecutionItem>>(new Map());
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [create, setCreate] = useState<CreateRequest | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const page = await listWorkflows({ name: search.trim() || undefined, type: type || undefined, limit: 500, ordering: "name" }, signal);
        setWorkflows(page.results);
        setCount(page.count);
        setOffline(false);
        setError(null);
      } catch (failure) {
        if (signal?.aborted) return;
        if (failure instanceof ApiError && failure.code !== "HTTP404") setError(failure.message);
        else setOffline(true);
        setWorkflows([]);
        return;
      }
      try {
        const recent = await listExecutions({ limit: 1000, ordering: "-started_at" }, signal);
        setLast(lastExecutions(recent.results));
      } catch {
        // the status column stays empty
      }
    },
    [search, type],
  );

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => void reload(controller.signal), 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [reload]);

  const importFile = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    const text = await readFileText(file);
    try {
      parseDefinition(text);
    } catch (failure) {
      setError(t("wf.importFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
      return;
    }
    setCreate({ text, name: file.name.replace(/\.json$/i, "") });
  };

  const remove = async (workflow: Workflow): Promise<void> => {
    if (!window.confirm(t("wf.deleteConfirm", { name: workflow.name }))) return;
    try {
      await deleteWorkflow(workflow.id);
      await reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const rows = useMemo(() => workflows ?? [], [workflows]);

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.workflows")}</h1>
      <p className="page-lead">{t("page.workflows.lead")}</p>
      {offline ? (
        <div className="needs-api" role="note">
          <strong>{t("common.needsApi")}</strong>
          <span>{t("common.needsApiDetail")}</span>
        </div>
      ) : (
        <>
          <div className="wf-toolbar">
            <label>
              {t("wf.search")}
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="workflow-search" />
            </label>
            <label>
              {t("wf.type")}
              <select value={type} onChange={(e) => setType(e.target.value)} data-testid="workflow-type-filter">
                <option value="">{t("wf.anyType")}</option>
                <option value="STANDARD">STANDARD</option>
                <option value="EXPRESS">EXPRESS</option>
              </select>
            </label>
            <button type="button" className="primary" onClick={() => setCreate({})} data-testid="new-workflow">{t("wf.new")}</button>
            <button type="button" onClick={() => fileInput.current?.click()} data-testid="import-workflow">{t("wf.import")}</button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-workflow-input"
              onChange={(event) => {
                void importFile(event.target.files?.[0]);
                event.target.value = "";
              }}
            />
          </div>
          {error && <p role="alert" className="error-text">{error}</p>}
          {workflows === null ? (
            <p className="muted" aria-busy="true">{t("wf.loading")}</p>
          ) : rows.length === 0 ? (
            <p className="muted">{search || type ? t("wf.noMatch") : t("wf.none")}</p>
          ) : (
            <>
              <p className="muted small">{t("wf.count", { count })}</p>
              <table className="wf-table" data-testid="workflow-table">
                <thead>
                  <tr>
                    <th scope="col">{t("wf.name")}</th>
                    <th scope="col">{t("wf.type")}</th>
                    <th scope="col">{t("wf.version")}</th>
                    <th scope="col">{t("wf.lastStatus")}</th>
                    <th scope="col">{t("wf.updated")}</th>
                    <th scope="col">{t("wf.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((workflow) => {
                    const execution = last.get(workflow.id);
                    return (
                      <tr key={workflow.id} data-testid={`workflow-row-${workflow.name}`}>
                        <td>
                          <a href={href("editor", String(workflow.id))}>{workflow.name}</a>
                          {workflow.description && <div className="muted small">{workflow.description}</div>}
                        </td>
                        <td>{workflow.type}</td>
                        <td>v{workflow.latest_version}</td>
                        <td>
                          {execution === undefined ? (
                            <span className="muted">{t("wf.never")}</span>
                          ) : (
                            <a href={href("executions", String(execution.id))}>
                              <span className={`status-badge status-${EXECUTION_STATUS_CLASS[execution.status] ?? "notRun"}`} data-status={execution.status}>
                                {t(`execStatus.${execution.status}` as MessageKey)}
                              </span>
                            </a>
                          )}
                        </td>
                        <td>{formatTime(workflow.updated_at)}</td>
                        <td className="actions">
                          <a href={href("editor", String(workflow.id))}>{t("wf.open")}</a>
                          <button type="button" onClick={() => downloadText(`${safeName(workflow.name)}.json`, workflow.definition)}>{t("wf.export")}</button>
                          <button type="button" onClick={() => void remove(workflow)} aria-label={`${t("wf.delete")} ${workflow.name}`}>{t("wf.delete")}</button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
      <h2>{t("page.workflows.start")}</h2>
      <div className="example-grid">
        <a className="example-card" href={href("editor")}>
          <strong>{t("new.blankOrSum")}</strong>
          <span>{t("new.blankOrSumDesc")}</span>
        </a>
        {EXAMPLES.map((example) => (
          <a className="example-card" key={example.id} href={href("editor", "example", example.id)}>
            <strong>{t(example.title)}</strong>
            <span>{t(example.description)}</span>
          </a>
        ))}
      </div>
      {create !== null && (
        <CreateDialog
          request={create}
          onClose={() => setCreate(null)}
          onCreated={(workflow) => {
            setCreate(null);
            window.location.hash = href("editor", String(workflow.id));
          }}
        />
      )}
    </section>
  );
}
