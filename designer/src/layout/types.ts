import type { NodeId } from "../model/types.ts";

/** A node's box, relative to its parent node (the xyflow `parentId` convention). */
export interface NodeBox {
  x: number;
  y: number;
  width?: number;
  height?: number;
}

/** Positions live beside the definition, keyed by node id (state path, container path, marker id). */
export type LayoutMap = Readonly<Record<NodeId, NodeBox>>;
