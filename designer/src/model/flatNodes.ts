/**
 * The graph's nodes as one flat, parent-first list — the shape xyflow wants (`parentId`
 * set, parents before children). The machine container is the canvas itself, so its
 * children have no parent and it is not listed.
 */
import { endMarkerId, startMarkerId, type DesignerGraph, type NodeId } from "./types.ts";

export interface FlatNode {
  id: NodeId;
  kind: "state" | "container" | "start" | "end";
  parentId?: NodeId;
}

export function flatNodes(graph: DesignerGraph): FlatNode[] {
  const out: FlatNode[] = [];
  const parentOf = (container: string) => (container === graph.root ? {} : { parentId: container });
  const visitContainer = (id: string): void => {
    const container = graph.containers.get(id);
    if (container === undefined) return;
    out.push({ id: startMarkerId(id), kind: "start", ...parentOf(id) });
    for (const child of container.children) {
      out.push({ id: child, kind: "state", ...parentOf(id) });
      for (const nested of graph.states.get(child)?.containers ?? []) {
        out.push({ id: nested, kind: "container", parentId: child });
        visitContainer(nested);
      }
    }
    out.push({ id: endMarkerId(id), kind: "end", ...parentOf(id) });
  };
  visitContainer(graph.root);
  return out;
}
