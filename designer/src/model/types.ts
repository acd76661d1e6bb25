/**
 * The graph model of a TCSL/ASL definition.
 *
 * Ids are JSON pointers into the definition, so a diagnostic location, a layout key and
 * a node id are the same kind of string:
 * - a state node's id is the pointer of its state object: `/States/Pay`,
 *   `/States/Fan/Branches/0/States/Left`, `/States/Each/ItemProcessor/States/Work`;
 * - a container (a `States` scope: the machine, a Parallel branch, a Map's
 *   `ItemProcessor` or legacy `Iterator`) is the pointer of the object holding `StartAt`
 *   and `States`: `""`, `/States/Fan/Branches/0`, `/States/Each/ItemProcessor`;
 * - start/end markers are `<container>#start` / `<container>#end`;
 * - an edge's id is the pointer of the field that holds the transition
 *   (`/States/Pay/Next`, `/States/Check/Choices/1/Next`, `/States/Pay/Catch/0/Next`,
 *   `<container>/StartAt`), or `<state>#end` for the edge into the end marker.
 */
import type { JsonObject, JsonValue } from "../json/types.ts";

export type StatePath = string;
export type ContainerPath = string;
export type MarkerId = string;
export type NodeId = StatePath | ContainerPath | MarkerId;

export type ContainerKind = "machine" | "branch" | "itemProcessor" | "iterator";

export const STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] as const;
export type StateType = (typeof STATE_TYPES)[number];

export interface StateNode {
  kind: "state";
  id: StatePath;
  name: string;
  /** `Type` when it is a string (may be an unknown type; validation reports it). */
  type: string | null;
  /** The container (States scope) holding this state. */
  parent: ContainerPath;
  /**
   * The state object in source order. A nested container's object (a branch, the
   * ItemProcessor/Iterator) appears here as that container's `fields`, whose `States`
   * is an empty placeholder: its states are the container's child nodes.
   */
  fields: JsonObject;
  /** The member's value when it is not a JSON object (malformed; kept verbatim, `fields` is empty). */
  raw?: JsonValue;
  /** Containers owned by this Parallel/Map state, in source order. */
  containers: ContainerPath[];
  /** Number of enclosing Parallel/Map states (0 at the top level). */
  depth: number;
  /** True for End:true, Succeed and Fail states. */
  terminal: boolean;
}

export interface ContainerNode {
  kind: "container";
  id: ContainerPath;
  containerKind: ContainerKind;
  /** The Parallel/Map state owning this container; null for the machine. */
  owner: StatePath | null;
  /**
   * The container object (`StartAt`, `Comment`, `ProcessorConfig`, unknown fields ...)
   * in source order with an empty `States` placeholder at the position of `States`.
   */
  fields: JsonObject;
  /** Child state ids in the order of the `States` object. */
  children: StatePath[];
  /** `StartAt` when it is a string. */
  startAt: string | null;
}

export interface MarkerNode {
  kind: "start" | "end";
  id: MarkerId;
  parent: ContainerPath;
}

export type EdgeKind = "start" | "next" | "choice" | "default" | "catch" | "end";

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  source: StatePath | MarkerId;
  /** Target node id; for a dangling transition, the pointer the target would have. */
  target: StatePath | MarkerId;
  /** The state name the transition names (null for edges into the end marker). */
  targetName: string | null;
  /** Rule summary for choice edges, "Default", error names for catch edges. */
  label?: string;
  /** The container both ends live in. */
  parent: ContainerPath;
  /** The transition names a state that does not exist in its container. */
  dangling: boolean;
}

export interface DesignerGraph {
  /** The machine container's id (always ""). */
  root: ContainerPath;
  states: Map<StatePath, StateNode>;
  containers: Map<ContainerPath, ContainerNode>;
  markers: Map<MarkerId, MarkerNode>;
  edges: GraphEdge[];
}

export const ROOT: ContainerPath = "";

export const startMarkerId = (container: ContainerPath): MarkerId => `${container}#start`;
export const endMarkerId = (container: ContainerPath): MarkerId => `${container}#end`;
