/**
 * The designer graph as xyflow nodes and edges. Node ids and edge ids are the graph's
 * (JSON pointers), positions come from the effective layout (relative to the parent
 * node, xyflow's `parentId` convention), Parallel/Map states are group nodes holding
 * their branch/processor containers.
 */
import type { Edge, Node } from "@xyflow/react";
import {
  flatNodes,
  type ContainerNode,
  type DesignerGraph,
  type DiagnosticIndex,
  type EdgeKind,
  type LayoutMap,
  type LocatedDiagnostic,
  type StateNode,
} from "@orchestrator/designer";
import { MARKER_SIZE, STATE_HEIGHT, STATE_WIDTH } from "../layoutEngine.ts";

export interface StateNodeData extends Record<string, unknown> {
  node: StateNode;
  problems: LocatedDiagnostic[];
  /** True when this state is where its container starts. */
  isStart: boolean;
  /** In the execution view: how this state ran (not run, running, succeeded, failed, caught, aborted). */
  status?: string;
}

export interface ContainerNodeData extends Record<string, unknown> {
  container: ContainerNode;
  /** 0-based branch number for Parallel branches. */
  index: number;
  problems: LocatedDiagnostic[];
}

export interface MarkerNodeData extends Record<string, unknown> {
  marker: "start" | "end";
  container: string;
}

export interface TransitionEdgeData extends Record<string, unknown> {
  kind: EdgeKind;
  label?: string;
  problems: LocatedDiagnostic[];
}

export type FlowNode = Node<StateNodeData, "state" | "compound"> | Node<ContainerNodeData, "container"> | Node<MarkerNodeData, "marker">;
export type FlowEdge = Edge<TransitionEdgeData, "transition">;

const SOURCE_HANDLE: Record<EdgeKind, string> = {
  start: "out",
  next: "out",
  choice: "out",
  default: "default",
  catch: "catch",
  end: "out",
};

/** One shared empty list: a node without problems keeps equal data across rebuilds. */
const NO_PROBLEMS: LocatedDiagnostic[] = [];

export function toFlowNodes(graph: DesignerGraph, layout: LayoutMap, diagnostics: DiagnosticIndex, selected: ReadonlySet<string>): FlowNode[] {
  let fallbackY = 0;
  const position = (id: string): { x: number; y: number } => {
    const box = layout[id];
    if (box && Number.isFinite(box.x) && Number.isFinite(box.y)) return { x: box.x, y: box.y };
    fallbackY += STATE_HEIGHT + 24; // not laid out yet: stack below until ELK answers
    return { x: 0, y: fallbackY };
  };
  const size = (id: string, width: number, height: number) => ({
    width: layout[id]?.width || width,
    height: layout[id]?.height || height,
  });

  return flatNodes(graph).map((flat): FlowNode => {
    const parent = flat.parentId === undefined ? {} : { parentId: flat.parentId, extent: "parent" as const };
    if (flat.kind === "state") {
      const node = graph.states.get(flat.id) as StateNode;
      const container = graph.containers.get(node.parent);
      const compound = node.containers.length > 0;
      return {
        id: flat.id,
        type: compound ? "compound" : "state",
        position: position(flat.id),
        ...parent,
        ...(compound ? size(flat.id, STATE_WIDTH, STATE_HEIGHT * 2) : { width: STATE_WIDTH, height: STATE_HEIGHT }),
        selected: selected.has(flat.id),
        ariaLabel: `${node.type ?? "State"} ${node.name}`,
        data: { node, problems: diagnostics.byNode.get(flat.id) ?? NO_PROBLEMS, isStart: container?.startAt === node.name },
      };
    }
    if (flat.kind === "container") {
      const container = graph.containers.get(flat.id) as ContainerNode;
      const owner = container.owner === null ? undefined : graph.states.get(container.owner);
      return {
        id: flat.id,
        type: "container",
        position: position(flat.id),
        ...parent,
        ...size(flat.id, STATE_WIDTH, STATE_HEIGHT),
        draggable: false,
        selectable: false,
        data: { container, index: owner?.containers.indexOf(flat.id) ?? 0, problems: diagnostics.byNode.get(flat.id) ?? NO_PROBLEMS },
      };
    }
    const container = flat.parentId ?? graph.root;
    return {
      id: flat.id,
      type: "marker",
      position: position(flat.id),
      ...parent,
      width: MARKER_SIZE,
      height: MARKER_SIZE,
      draggable: false,
      selectable: false,
      data: { marker: flat.kind, container },
    };
  });
}

const sameData = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/** The same node to xyflow: same kind, place, size, parent, flags and data (by reference). */
function sameNode(a: FlowNode, b: FlowNode): boolean {
  return (
    a.type === b.type &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.parentId === b.parentId &&
    a.extent === b.extent &&
    (a.selected ?? false) === (b.selected ?? false) &&
    a.draggable === b.draggable &&
    a.selectable === b.selectable &&
    a.ariaLabel === b.ariaLabel &&
    sameData(a.data, b.data)
  );
}

/**
 * `next`, with each node that is the same as the one of its id in `current` replaced by
 * that one (and `current` itself when nothing changed): xyflow re-renders a node only
 * when its object changes, so a committed drag re-renders the moved node, not all.
 */
export function keepUnchanged(current: readonly FlowNode[], next: FlowNode[]): FlowNode[] {
  if (current.length === 0) return next;
  const byId = new Map(current.map((node) => [node.id, node]));
  let reused = 0;
  const out = next.map((node) => {
    const before = byId.get(node.id);
    if (before === undefined || !sameNode(before, node)) return node;
    reused += 1;
    return before;
  });
  if (reused === 0) return next;
  return reused === current.length && out.length === current.length && out.every((node, i) => node === current[i]) ? (current as FlowNode[]) : out;
}

export function toFlowEdges(graph: DesignerGraph, diagnostics: DiagnosticIndex, selected: ReadonlySet<string>): FlowEdge[] {
  return graph.edges
    .filter((edge) => !edge.dangling)
    .map((edge) => ({
      id: edge.id,
      type: "transition" as const,
      source: edge.source,
      target: edge.target,
      sourceHandle: SOURCE_HANDLE[edge.kind],
      targetHandle: edge.kind === "catch" || edge.kind === "default" ? "in-side" : "in",
      selected: selected.has(edge.id),
      deletable: edge.kind !== "end" || !isAlwaysTerminal(graph, edge.source),
      data: { kind: edge.kind, ...(edge.label === undefined ? {} : { label: edge.label }), problems: diagnostics.byEdge.get(edge.id) ?? [] },
    }));
}

const isAlwaysTerminal = (graph: DesignerGraph, id: string): boolean => {
  const type = graph.states.get(id)?.type;
  return type === "Succeed" || type === "Fail";
};
