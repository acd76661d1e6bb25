/**
 * Automatic layout with elkjs (layered, top-down). Containers are nested ELK compound
 * nodes: a Parallel/Map state node holds its branch/processor containers, which hold
 * their states and start/end markers. Each container's edges are declared on that
 * container, so ELK lays out every level inside its parent (SEPARATE_CHILDREN).
 *
 * The result is a LayoutMap with a box for every node, relative to its parent (the
 * xyflow `parentId` convention); the machine container `""` gets the overall size.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode, ElkExtendedEdge, LayoutOptions } from "elkjs/lib/elk-api.js";
import { endMarkerId, startMarkerId, type ContainerNode, type DesignerGraph, type StateNode } from "../model/types.ts";
import type { LayoutMap, NodeBox } from "./types.ts";

export interface Size {
  width: number;
  height: number;
}

export interface LayoutOptionsInput {
  /** Size of a (non-compound) state node; default 180×44. */
  stateSize?: (node: StateNode) => Size;
  /** Size of a start/end marker; default 24×24. */
  markerSize?: Size;
  /** Extra ELK options for every level (override the defaults below). */
  elkOptions?: LayoutOptions;
  /** An ELK instance to reuse, e.g. one backed by a web worker in the browser. */
  elk?: { layout(graph: ElkNode): Promise<ElkNode> };
}

const DEFAULT_STATE_SIZE: Size = { width: 180, height: 44 };
const DEFAULT_MARKER_SIZE: Size = { width: 24, height: 24 };

const LEVEL_OPTIONS: LayoutOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.layered.spacing.nodeNodeBetweenLayers": "40",
  "elk.spacing.nodeNode": "30",
  "elk.edgeRouting": "ORTHOGONAL",
};

/** Room for a compound node's title (state name, branch label) above its children. */
const COMPOUND_PADDING = "[top=32,left=12,bottom=12,right=12]";

let sharedElk: { layout(graph: ElkNode): Promise<ElkNode> } | undefined;

/** Build the ELK input graph (exported for inspection and tests; no DOM involved). */
export function toElkGraph(graph: DesignerGraph, options: LayoutOptionsInput = {}): ElkNode {
  const stateSize = options.stateSize ?? (() => DEFAULT_STATE_SIZE);
  const marker = options.markerSize ?? DEFAULT_MARKER_SIZE;
  const levelOptions = { ...LEVEL_OPTIONS, ...options.elkOptions };
  const compoundOptions = { ...levelOptions, "elk.padding": COMPOUND_PADDING };

  const stateNode = (node: StateNode): ElkNode => {
    if (node.containers.length === 0) return { id: node.id, ...stateSize(node) };
    // Branches side by side: they are not connected, ELK packs them in a row.
    const children = node.containers.map((id) => containerNode(graph.containers.get(id) as ContainerNode));
    return { id: node.id, layoutOptions: { ...compoundOptions, "elk.direction": "RIGHT" }, children };
  };

  const containerContent = (container: ContainerNode): { children: ElkNode[]; edges: ElkExtendedEdge[] } => {
    const children: ElkNode[] = [
      { id: startMarkerId(container.id), ...marker },
      ...container.children.map((id) => stateNode(graph.states.get(id) as StateNode)),
      { id: endMarkerId(container.id), ...marker },
    ];
    const edges = graph.edges
      .filter((edge) => edge.parent === container.id && !edge.dangling)
      .map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] }));
    return { children, edges };
  };

  const containerNode = (container: ContainerNode): ElkNode => ({
    id: container.id,
    layoutOptions: compoundOptions,
    ...containerContent(container),
  });

  const machine = graph.containers.get(graph.root) as ContainerNode;
  return { id: graph.root, layoutOptions: levelOptions, ...containerContent(machine) };
}

export async function layout(graph: DesignerGraph, options: LayoutOptionsInput = {}): Promise<LayoutMap> {
  const elk = options.elk ?? (sharedElk ??= new ELK());
  const result = await elk.layout(toElkGraph(graph, options));
  const boxes: Record<string, NodeBox> = {};
  const collect = (node: ElkNode): void => {
    boxes[node.id] = { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
    node.children?.forEach(collect);
  };
  collect(result);
  return boxes;
}
