/**
 * definition -> graph. Pure: the result shares the definition's (immutable) sub-trees.
 * Nothing is dropped: fields the model does not interpret stay in `fields`, malformed
 * parts (a `States` that is not an object, a state that is not an object) are kept
 * verbatim so `toDefinition` can print them back.
 */
import { withEntry, orderedKeys, makeObject } from "../json/object.ts";
import { joinPointer, setAt } from "../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json/types.ts";
import { catchLabel, choiceRuleLabel } from "../model/labels.ts";
import {
  ROOT,
  endMarkerId,
  startMarkerId,
  type ContainerKind,
  type ContainerNode,
  type ContainerPath,
  type DesignerGraph,
  type GraphEdge,
  type MarkerNode,
  type StateNode,
  type StatePath,
} from "../model/types.ts";

export class NotADefinitionError extends Error {
  constructor() {
    super("A definition must be a JSON object");
    this.name = "NotADefinitionError";
  }
}

/** The empty object that stands in for a container's `States` (its states are child nodes). */
export const STATES_PLACEHOLDER: JsonObject = Object.freeze(makeObject([])) as JsonObject;

interface Builder {
  states: Map<StatePath, StateNode>;
  containers: Map<ContainerPath, ContainerNode>;
  markers: Map<string, MarkerNode>;
  edges: GraphEdge[];
}

export function toGraph(definition: JsonValue): DesignerGraph {
  if (!isJsonObject(definition)) throw new NotADefinitionError();
  const builder: Builder = { states: new Map(), containers: new Map(), markers: new Map(), edges: [] };
  buildContainer(builder, definition, ROOT, "machine", null, 0);
  return { root: ROOT, ...builder };
}

function buildContainer(
  builder: Builder,
  obj: JsonObject,
  id: ContainerPath,
  containerKind: ContainerKind,
  owner: StatePath | null,
  depth: number,
): ContainerNode {
  const states = obj.States;
  const children: StatePath[] = [];
  const container: ContainerNode = {
    kind: "container",
    id,
    containerKind,
    owner,
    fields: isJsonObject(states) ? withEntry(obj, "States", STATES_PLACEHOLDER) : obj,
    children,
    startAt: typeof obj.StartAt === "string" ? obj.StartAt : null,
  };
  builder.containers.set(id, container);
  builder.markers.set(startMarkerId(id), { kind: "start", id: startMarkerId(id), parent: id });
  builder.markers.set(endMarkerId(id), { kind: "end", id: endMarkerId(id), parent: id });
  if (!isJsonObject(states)) return container;

  for (const name of orderedKeys(states)) {
    const stateId = joinPointer(id, "States", name);
    children.push(stateId);
    buildState(builder, states[name] as JsonValue, stateId, name, id, depth);
  }
  addEdges(builder, container, states);
  return container;
}

function buildState(builder: Builder, value: JsonValue, id: StatePath, name: string, parent: ContainerPath, depth: number): void {
  if (!isJsonObject(value)) {
    builder.states.set(id, { kind: "state", id, name, type: null, parent, fields: {}, raw: value, containers: [], depth, terminal: false });
    return;
  }
  const type = typeof value.Type === "string" ? value.Type : null;
  const terminal = value.End === true || type === "Succeed" || type === "Fail";
  // Registered before its nested states: the node order is parent-first, as xyflow wants.
  const node: StateNode = { kind: "state", id, name, type, parent, fields: value, containers: [], depth, terminal };
  builder.states.set(id, node);
  const nest = (relative: string, obj: JsonObject, kind: ContainerKind): void => {
    const container = buildContainer(builder, obj, id + relative, kind, id, depth + 1);
    node.containers.push(container.id);
    node.fields = setAt(node.fields, relative, container.fields) as JsonObject;
  };
  if (type === "Parallel" && Array.isArray(value.Branches)) {
    value.Branches.forEach((branch, index) => {
      if (isJsonObject(branch)) nest(joinPointer("", "Branches", index), branch, "branch");
    });
  }
  if (type === "Map") {
    if (isJsonObject(value.ItemProcessor)) nest("/ItemProcessor", value.ItemProcessor, "itemProcessor");
    if (isJsonObject(value.Iterator)) nest("/Iterator", value.Iterator, "iterator");
  }
}

function addEdges(builder: Builder, container: ContainerNode, states: JsonObject): void {
  const { id: parent } = container;
  const target = (name: string) => ({
    target: joinPointer(parent, "States", name),
    targetName: name,
    dangling: !Object.prototype.hasOwnProperty.call(states, name) || !isJsonObject(states[name]),
  });
  if (container.startAt !== null) {
    builder.edges.push({ id: `${parent}/StartAt`, kind: "start", source: startMarkerId(parent), parent, ...target(container.startAt) });
  }
  for (const source of container.children) {
    const node = builder.states.get(source) as StateNode;
    const fields = node.fields;
    if (typeof fields.Next === "string") {
      builder.edges.push({ id: `${source}/Next`, kind: "next", source, parent, ...target(fields.Next) });
    }
    if (Array.isArray(fields.Choices)) {
      fields.Choices.forEach((rule, index) => {
        if (isJsonObject(rule) && typeof rule.Next === "string") {
          const id = joinPointer(source, "Choices", index, "Next");
          builder.edges.push({ id, kind: "choice", source, parent, label: choiceRuleLabel(rule, index), ...target(rule.Next) });
        }
      });
    }
    if (typeof fields.Default === "string") {
      builder.edges.push({ id: `${source}/Default`, kind: "default", source, parent, label: "Default", ...target(fields.Default) });
    }
    if (Array.isArray(fields.Catch)) {
      fields.Catch.forEach((catcher, index) => {
        if (isJsonObject(catcher) && typeof catcher.Next === "string") {
          const id = joinPointer(source, "Catch", index, "Next");
          builder.edges.push({ id, kind: "catch", source, parent, label: catchLabel(catcher), ...target(catcher.Next) });
        }
      });
    }
    if (node.terminal) {
      builder.edges.push({ id: `${source}#end`, kind: "end", source, target: endMarkerId(parent), targetName: null, parent, dangling: false });
    }
  }
}
