/**
 * The execution view (`#/executions/<id>`): the workflow graph coloured live by status,
 * the selected state's runs (input, output, error, events), a Map iteration or Parallel
 * branch picker, the event history with filters, a timeline, Stop and Redrive.
 */
import { useEffect, useMemo, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { graphOf, parseDefinition, splitStatePath, type DesignerGraph, type JsonObject, type StateNode } from "@orchestrator/designer";
import { ApiError } from "../api/client.ts";
import { getVersion } from "../api/workflows.ts";
import { historyAfter, TERMINAL_STATUSES, type Execution } from "../api/executions.ts";
import { href } from "../app/router.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import {
  ExecutionModel,
  activitiesOf,
  distributedScope,
  iterationList,
  nodeStatuses,
  worst,
  type Activity,
  type IterationSelection,
  type NodeStatus,
} from "./derive.ts";
import { EventTable, formatOffset } from "./EventTable.tsx";
import { ExecutionGraph } from "./ExecutionGraph.tsx";
import { Timeline } from "./Timeline.tsx";
import { useExecutionLive } from "./useExecutionLive.ts";

const pretty = (value: unknown): string => (value === undefined ? "" : JSON.stringify(value, null, 2));

function parseText(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const EXECUTION_STATUS_CLASS: Record<string, NodeStatus> = {
  RUNNING: "running",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  TIMED_OUT: "failed",
  ABORTED: "aborted",
  PENDING_REDRIVE: "running",
};

/** States inside a container (a Parallel branch or Map processor), nested ones too. */
function statesIn(graph: DesignerGraph, container: string): Set<string> {
  const names = new Set<string>();
  for (const node of graph.states.values()) if (node.id.startsWith(`${container}/`)) names.add(node.name);
  return names;
}

/** The Map state (graph node) a state is nested in, innermost first. */
function enclosingMaps(graph: DesignerGraph, node: StateNode): StateNode[] {
  const out: StateNode[] = [];
  let container = node.parent;
  while (container !== "") {
    const owner = graph.containers.get(container)?.owner ?? null;
    if (owner === null) break;
    const state = graph.states.get(owner);
    if (state === undefined) break;
    if (state.type === "Map") out.push(state);
    container = state.parent;
  }
  return out;
}

interface ChildView {
  map: Activity;
  index: number;
  model: ExecutionModel | null;
  error: unknown;
}

function JsonBlock({ label, value, testId }: { label: string; value: unknown; testId?: string }) {
  return (
    <div className="json-block">
      <h4>{label}</h4>
      <pre data-testid={testId}>{pretty(value)}</pre>
    </div>
  );
}

function StatusBadge({ status, label, testId }: { status: NodeStatus; label: string; testId?: string }) {
  return (
    <span className={`status-badge status-${status}`} data-testid={testId} data-status={status}>
      {label}
    </span>
  );
}

export function ExecutionPage({ executionId, dark }: { executionId: number; dark: boolean }) {
  const t = useT();
  const live = useExecutionLive(executionId);
  const { execution, model, version } = live;
  const [definition, setDefinition] = useState<JsonObject | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [selection, setSelection] = useState<IterationSelection>(new Map());
  const [activityPick, setActivityPick] = useState<number | null>(null);
  const [branch, setBranch] = useState<string | null>(null);
  const [child, setChild] = useState<ChildView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now() / 1000);

  const workflowId = execution?.workflow_id;
  const versionNumber = execution?.version;
  useEffect(() => {
    if (workflowId === undefined || versionNumber === undefined) return;
    let current = true;
    getVersion(workflowId, versionNumber)
      .then((found) => current && setDefinition(parseDefinition(found.definition)))
      .catch((error: unknown) => current && setLoadError(error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [workflowId, versionNumber]);

  const running = execution !== null && !TERMINAL_STATUSES.has(execution.status);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now() / 1000), 500);
    return () => clearInterval(timer);
  }, [running]);

  const graph = useMemo(() => (definition === null ? null : graphOf(definition)), [definition]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const statuses = useMemo(() => nodeStatuses(model, selection), [model, version, selection]);

  // A picked Distributed Map iteration: its child history colours the processor's states.
  useEffect(() => {
    if (child === null || child.model !== null) return;
    let current = true;
    const scope = distributedScope(child.map, child.index);
    historyAfter(executionId, 0, { scope })
      .then((events) => {
        if (!current) return;
        const childModel = new ExecutionModel();
        childModel.apply(events);
        setChild({ ...child, model: childModel });
      })
      .catch((error: unknown) => current && setChild({ ...child, error }));
    return () => {
      current = false;
    };
  }, [child, executionId]);

  const shownStatuses = useMemo(() => {
    if (child?.model == null || graph === null) return statuses;
    const merged = new Map(statuses);
    for (const [name, status] of nodeStatuses(child.model)) merged.set(name, status);
    return merged;
  }, [child, graph, statuses]);

  const node = selected === null || graph === null ? undefined : graph.states.get(selected);
  const nodeModel = node !== undefined && child?.model && graph !== null && enclosingMaps(graph, node).some((m) => m.name === child.map.name) ? child.model : model;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const runs = useMemo(() => (node === undefined ? [] : activitiesOf(nodeModel, node.name, nodeModel === model ? selection : new Map())), [node, nodeModel, version, selection]);
  const run = runs.find((a) => a.id === activityPick) ?? runs[runs.length - 1];

  const branchStates = useMemo(() => (branch === null || graph === null ? null : statesIn(graph, branch)), [branch, graph]);

  const pickActivity = (activity: Activity): void => {
    if (graph === null) return;
    const found = [...graph.states.values()].find((state) => state.name === activity.name);
    if (found) setSelected(found.id);
    setActivityPick(activity.id);
  };

  const pickIteration = (map: Activity, value: string): void => {
    const next = new Map(selection);
    if (value === "") next.delete(map.id);
    else next.set(map.id, Number(value));
    setSelection(next);
    setActivityPick(null);
    if (map.distributed) setChild(value === "" ? null : { map, index: Number(value), model: null, error: null });
  };

  const act = async (what: "stop" | "redrive"): Promise<void> => {
    setBusy(what);
    setActionError(null);
    try {
      await (what === "stop" ? live.stop() : live.redrive());
    } catch (error) {
      setActionError(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    } finally {
      setBusy(null);
    }
  };

  if (live.error instanceof ApiError && live.error.status === 404 && execution === null) {
    return (
      <section className="page">
        <h1>{t("exec.title")}</h1>
        <p role="alert">{t("exec.notFound", { id: executionId })}</p>
      </section>
    );
  }

  const status = execution?.status ?? "";
  const statusClass = EXECUTION_STATUS_CLASS[status] ?? "notRun";
  const redrivable = status === "FAILED" || status === "TIMED_OUT" || status === "ABORTED";
  const started = execution ? Date.parse(execution.started_at) / 1000 : now;
  const stopped = execution?.stopped_at ? Date.parse(execution.stopped_at) / 1000 : now;

  return (
    <div className="execution-page">
      <header className="exec-header">
        <div>
          <h1>
            {t("exec.title")} <span className="exec-name">{execution?.name ?? `#${executionId}`}</span>
          </h1>
          {execution && (
            <p className="muted">
              <a href={href("editor", String(execution.workflow_id))}>{execution.workflow_name}</a> · {t("exec.version", { n: execution.version })} · {execution.type}
              {" · "}
              {t("exec.duration", { d: formatOffset(Math.max(stopped - started, 0)) })}
              {execution.redrive_count > 0 ? ` · ${t("exec.redriven", { n: execution.redrive_count })}` : ""}
            </p>
          )}
        </div>
        <div className="exec-actions">
          <StatusBadge status={statusClass} label={status === "" ? t("toolbar.loading") : t(`execStatus.${status}` as MessageKey)} testId="execution-status" />
          <span className={`live-mode live-${live.mode}`} data-testid="live-mode" data-mode={live.mode} title={t("exec.modeHint")}>
            {t(`exec.mode.${live.mode}` as MessageKey)}
          </span>
          <button type="button" onClick={() => void act("stop")} disabled={!running || busy !== null} data-testid="stop-execution">
            {t("exec.stop")}
          </button>
          <button type="button" onClick={() => void act("redrive")} disabled={!redrivable || busy !== null} data-testid="redrive-execution">
            {t("exec.redrive")}
          </button>
        </div>
      </header>
      {actionError && <p role="alert" className="error-text">{actionError}</p>}
      {loadError && <p role="alert" className="error-text">{loadError}</p>}
      <div className="exec-body">
        <div className="exec-graph">
          {definition !== null ? (
            <ReactFlowProvider>
              <ExecutionGraph definition={definition} statuses={shownStatuses} selected={selected} onSelect={(id) => { setSelected(id); setActivityPick(null); }} dark={dark} focus={branch} />
            </ReactFlowProvider>
          ) : (
            <p className="muted">{t("toolbar.loading")}</p>
          )}
          <ul className="status-legend" aria-label={t("exec.legend")}>
            {(["notRun", "running", "succeeded", "failed", "caught", "aborted"] as NodeStatus[]).map((value) => (
              <li key={value}><span className={`legend-swatch status-${value}`} aria-hidden="true" />{t(`status.${value}` as MessageKey)}</li>
            ))}
          </ul>
        </div>
        <aside className="exec-side" aria-label={t("exec.details")}>
          <section className="exec-io">
            <h2>{t("exec.execution")}</h2>
            {execution?.error && (
              <p className="error-text" data-testid="execution-error">
                <strong>{execution.error}</strong> {execution.cause}
              </p>
            )}
            <JsonBlock label={t("exec.input")} value={parseText(execution?.input ?? null)} testId="execution-input" />
            {execution?.output != null && <JsonBlock label={t("exec.output")} value={parseText(execution.output)} testId="execution-output" />}
          </section>
          <section className="exec-node" aria-live="polite">
            <h2>{t("exec.state")}</h2>
            {graph !== null && (
              <label className="field">
                <span>{t("exec.pickState")}</span>
                <select value={selected ?? ""} onChange={(e) => { setSelected(e.target.value || null); setActivityPick(null); }} data-testid="state-picker">
                  <option value="">—</option>
                  {[...graph.states.values()].map((state) => (
                    <option key={state.id} value={state.id}>{state.name} ({t(`status.${shownStatuses.get(state.name) ?? "notRun"}` as MessageKey)})</option>
                  ))}
                </select>
              </label>
            )}
            {node === undefined ? (
              <p className="muted">{t("exec.pickHint")}</p>
            ) : (
              <NodeDetails
                node={node}
                graph={graph as DesignerGraph}
                runs={runs}
                run={run}
                status={shownStatuses.get(node.name) ?? "notRun"}
                selection={selection}
                child={child}
                branch={branch}
                onRun={(id) => setActivityPick(id)}
                onIteration={pickIteration}
                onBranch={setBranch}
                model={model}
              />
            )}
          </section>
        </aside>
      </div>
      <div className="exec-bottom">
        <Timeline model={model} version={version} selection={selection} now={now} onPick={pickActivity} />
        <EventTable model={model} version={version} states={branchStates} onPickState={(name) => {
          const found = graph === null ? undefined : [...graph.states.values()].find((state) => state.name === name);
          if (found) setSelected(found.id);
        }} />
      </div>
    </div>
  );
}

interface NodeDetailsProps {
  node: StateNode;
  graph: DesignerGraph;
  runs: Activity[];
  run: Activity | undefined;
  status: NodeStatus;
  selection: IterationSelection;
  child: ChildView | null;
  branch: string | null;
  model: ExecutionModel;
  onRun(id: number): void;
  onIteration(map: Activity, value: string): void;
  onBranch(container: string | null): void;
}

function NodeDetails({ node, graph, runs, run, status, selection, child, branch, model, onRun, onIteration, onBranch }: NodeDetailsProps) {
  const t = useT();
  const statusOf = (name: string): NodeStatus => worst(activitiesOf(model, name, selection).map((a) => a.status));
  return (
    <div className="node-details" data-testid="node-details" data-state={node.name}>
      <h3>
        {node.name} <StatusBadge status={status} label={t(`status.${status}` as MessageKey)} testId="node-status" />
      </h3>
      <p className="muted">{node.type ?? "?"}</p>
      {runs.length > 1 && (
        <label className="field">
          <span>{t("exec.runs", { n: runs.length })}</span>
          <select value={run?.id ?? ""} onChange={(e) => onRun(Number(e.target.value))} data-testid="run-picker">
            {runs.map((activity, index) => (
              <option key={activity.id} value={activity.id}>
                #{index + 1}
                {activity.iteration !== null ? ` · ${t("exec.iteration", { n: activity.iteration })}` : ""} · {t(`status.${activity.status}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      )}
      {node.type === "Map" && run !== undefined && (
        <label className="field">
          <span>{run.distributed ? t("exec.childExecution") : t("exec.pickIteration")}</span>
          <select value={selection.get(run.id) ?? ""} onChange={(e) => onIteration(run, e.target.value)} data-testid="iteration-picker">
            <option value="">{t("exec.allIterations")}</option>
            {iterationList(run).map((iteration) => (
              <option key={iteration.index} value={iteration.index}>
                {t("exec.iteration", { n: iteration.index })} · {t(`status.${iteration.status}` as MessageKey)}
              </option>
            ))}
          </select>
          {child !== null && child.map.id === run.id && child.model === null && child.error === null && <span className="muted">{t("toolbar.loading")}</span>}
          {child !== null && child.map.id === run.id && child.error !== null && <span className="error-text">{String(child.error)}</span>}
        </label>
      )}
      {node.type === "Parallel" && (
        <fieldset className="branch-picker">
          <legend>{t("exec.branches")}</legend>
          {node.containers.map((container, index) => {
            const names = [...statesIn(graph, container)];
            const branchStatus = worst(names.map(statusOf));
            return (
              <button key={container} type="button" aria-pressed={branch === container} className={`branch-button status-${branchStatus}`} onClick={() => onBranch(branch === container ? null : container)} data-testid={`branch-${index}`}>
                {t("canvas.branch", { n: index + 1 })} · {t(`status.${branchStatus}` as MessageKey)}
              </button>
            );
          })}
        </fieldset>
      )}
      {run === undefined ? (
        <p className="muted">{t("exec.notRunYet")}</p>
      ) : (
        <>
          <p className="muted">
            {formatOffset(Math.max((run.end ?? Date.now() / 1000) - run.start, 0))}
            {run.iteration !== null ? ` · ${t("exec.iteration", { n: run.iteration })}` : ""}
          </p>
          {(run.error !== null || run.cause !== null) && (
            <div className="node-error" data-testid="node-error">
              <h4>{t("exec.error")}</h4>
              <p className="error-text"><strong>{run.error}</strong></p>
              {run.cause && <pre className="cause">{run.cause}</pre>}
            </div>
          )}
          <JsonBlock label={t("exec.input")} value={run.input} testId="node-input" />
          {run.hasOutput && <JsonBlock label={t("exec.output")} value={run.output} testId="node-output" />}
          <details>
            <summary>{t("exec.nodeEvents", { n: run.events.length })}</summary>
            <ol className="node-events">
              {run.events.map((event) => (
                <li key={event.id}>
                  <code>#{event.id} {event.type}</code>
                  {event.details !== null && <pre>{pretty(event.details)}</pre>}
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
      {splitStatePath(node.id).container !== "" && <p className="muted">{t("exec.nested")}</p>}
    </div>
  );
}

export type { Execution };
