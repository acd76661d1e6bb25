/** Node components of the canvas: a state, a Parallel/Map group, a branch/processor container, start/end markers. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { LocatedDiagnostic } from "@orchestrator/designer";
import { useT } from "../../i18n/I18nProvider.tsx";
import type { MessageKey } from "../../i18n/messages.ts";
import { TypeIcon } from "../TypeIcon.tsx";
import { resourceLabel } from "../resourceLabel.ts";
import type { ContainerNodeData, MarkerNodeData, StateNodeData, FlowNode } from "./toFlow.ts";

const KNOWN_TYPES = new Set(["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);

function Problems({ problems }: { problems: LocatedDiagnostic[] }) {
  const t = useT();
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === "ERROR").length;
  const title = problems.map((p) => `${p.code}: ${p.message}`).join("\n");
  return (
    <span
      className={errors > 0 ? "problem-badge error" : "problem-badge warning"}
      title={title}
      role="img"
      aria-label={t("canvas.problems", { count: problems.length })}
    >
      {errors > 0 ? "!" : "?"}
      {problems.length > 1 ? problems.length : ""}
    </span>
  );
}

const STATUS_SYMBOL: Record<string, string> = { notRun: "", running: "●", succeeded: "✓", failed: "✕", caught: "↷", aborted: "■" };

/** How the state ran (execution view): a symbol, and the status in words for screen readers. */
function StatusMark({ status }: { status: string }) {
  const t = useT();
  const label = t(`status.${status}` as MessageKey);
  return (
    <span className={`status-mark status-${status}`} title={label} role="img" aria-label={label}>
      {STATUS_SYMBOL[status] ?? ""}
    </span>
  );
}

function subtitle(data: StateNodeData, t: ReturnType<typeof useT>): string {
  const { node } = data;
  const type = node.type !== null && KNOWN_TYPES.has(node.type) ? t(`type.${node.type}` as MessageKey) : (node.type ?? "?");
  const detail =
    node.type === "Task" ? resourceLabel(node.fields.Resource)
    : node.type === "Wait" ? waitLabel(node.fields)
    : node.type === "Fail" && typeof node.fields.Error === "string" ? node.fields.Error
    : null;
  return detail ? `${type} · ${detail}` : type;
}

function waitLabel(fields: Record<string, unknown>): string | null {
  if (fields.Seconds !== undefined) return `${String(fields.Seconds)} s`;
  for (const key of ["Timestamp", "SecondsPath", "TimestampPath"]) if (typeof fields[key] === "string") return fields[key] as string;
  return null;
}

function StateHandles({ type }: { type: string | null }) {
  const t = useT();
  const ends = type === "Succeed" || type === "Fail";
  return (
    <>
      <Handle type="target" position={Position.Top} id="in" aria-label={t("canvas.handle.in")} />
      {/* Catch and Default arrive from the side, so they pass beside the states in between. */}
      <Handle type="target" position={Position.Right} id="in-side" className="handle-side-in" isConnectable={false} />
      <Handle
        type="source"
        position={Position.Bottom}
        id="out"
        isConnectable={!ends}
        className={ends ? "handle-hidden" : undefined}
        aria-label={type === "Choice" ? t("canvas.handle.rule") : t("canvas.handle.next")}
        title={type === "Choice" ? t("canvas.handle.rule") : t("canvas.handle.next")}
      />
      {type === "Choice" && (
        <Handle type="source" position={Position.Right} id="default" className="handle-default" aria-label={t("canvas.handle.default")} title={t("canvas.handle.default")} />
      )}
      {(type === "Task" || type === "Parallel" || type === "Map") && (
        <Handle type="source" position={Position.Right} id="catch" className="handle-catch" aria-label={t("canvas.handle.catch")} title={t("canvas.handle.catch")} />
      )}
    </>
  );
}

export function StateNodeView({ data, selected }: NodeProps<FlowNode & { data: StateNodeData }>) {
  const t = useT();
  const { node, problems, isStart } = data;
  const typeClass = node.type !== null && KNOWN_TYPES.has(node.type) ? node.type : "Unknown";
  return (
    <div
      className={`state-node type-${typeClass}${selected ? " selected" : ""}${problems.some((p) => p.severity === "ERROR") ? " invalid" : ""}${data.status ? ` status-${data.status}` : ""}`}
      data-testid={`node-${node.name}`}
      data-status={data.status}
    >
      <StateHandles type={node.type} />
      <TypeIcon type={node.type} size={18} />
      <div className="state-text">
        <div className="state-name" title={node.name}>{node.name}</div>
        <div className="state-sub">{subtitle(data, t)}</div>
      </div>
      {isStart && <span className="sr-only">{t("canvas.startsHere")}</span>}
      {data.status && <StatusMark status={data.status} />}
      <Problems problems={problems} />
    </div>
  );
}

export function GroupNodeView({ data, selected }: NodeProps<FlowNode & { data: StateNodeData }>) {
  const t = useT();
  const { node, problems } = data;
  const typeClass = node.type === "Map" || node.type === "Parallel" ? node.type : "Unknown";
  return (
    <div
      className={`group-node type-${typeClass}${selected ? " selected" : ""}${problems.some((p) => p.severity === "ERROR") ? " invalid" : ""}${data.status ? ` status-${data.status}` : ""}`}
      data-testid={`node-${node.name}`}
      data-status={data.status}
    >
      <StateHandles type={node.type} />
      <div className="group-header">
        <TypeIcon type={node.type} size={16} />
        <span className="state-name" title={node.name}>{node.name}</span>
        <span className="state-sub">{subtitle(data, t)}</span>
        <Problems problems={problems} />
        {data.status && <StatusMark status={data.status} />}
      </div>
    </div>
  );
}

const CONTAINER_LABEL: Record<string, MessageKey> = {
  branch: "canvas.branch",
  itemProcessor: "canvas.itemProcessor",
  iterator: "canvas.iterator",
  machine: "canvas.branch",
};

export function ContainerNodeView({ data }: NodeProps<FlowNode & { data: ContainerNodeData }>) {
  const t = useT();
  return (
    <div className="container-node" data-container={data.container.id}>
      <span className="container-label">{t(CONTAINER_LABEL[data.container.containerKind] as MessageKey, { n: data.index + 1 })}</span>
      <Problems problems={data.problems} />
    </div>
  );
}

export function MarkerNodeView({ data }: NodeProps<FlowNode & { data: MarkerNodeData }>) {
  const t = useT();
  const start = data.marker === "start";
  return (
    <div className={start ? "marker-node start" : "marker-node end"} title={start ? t("canvas.start") : t("canvas.end")} aria-label={start ? t("canvas.start") : t("canvas.end")}>
      {start ? <Handle type="source" position={Position.Bottom} id="out" /> : <Handle type="target" position={Position.Top} id="in" isConnectable={false} />}
    </div>
  );
}

export const NODE_TYPES = {
  state: StateNodeView,
  compound: GroupNodeView,
  container: ContainerNodeView,
  marker: MarkerNodeView,
};
