/**
 * graph -> definition: reassemble the JSON tree from the graph's nodes. Each container's
 * `States` placeholder is filled with its child states (in `children` order, named by
 * each node's `name`), and each Parallel/Map state's container slots with the
 * reassembled containers. Everything else is the nodes' `fields`, untouched.
 */
import { makeObject } from "../json/object.ts";
import { setAt } from "../json/pointer.ts";
import { stringifyJson } from "../json/stringify.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json/types.ts";
import type { ContainerPath, DesignerGraph, StatePath } from "../model/types.ts";

export function toDefinition(graph: DesignerGraph): JsonObject {
  const assembleContainer = (id: ContainerPath): JsonObject => {
    const container = graph.containers.get(id);
    if (container === undefined) throw new Error(`Unknown container ${JSON.stringify(id)}`);
    if (!isJsonObject(container.fields.States)) return container.fields;
    const states = makeObject(
      container.children.map((child) => {
        const node = graph.states.get(child);
        if (node === undefined) throw new Error(`Unknown state ${JSON.stringify(child)}`);
        return [node.name, assembleState(child)] as [string, JsonValue];
      }),
    );
    return setAt(container.fields, "/States", states) as JsonObject;
  };

  const assembleState = (id: StatePath): JsonValue => {
    const node = graph.states.get(id);
    if (node === undefined) throw new Error(`Unknown state ${JSON.stringify(id)}`);
    if (node.raw !== undefined) return node.raw;
    let fields: JsonObject = node.fields;
    for (const containerId of node.containers) {
      fields = setAt(fields, containerId.slice(id.length), assembleContainer(containerId)) as JsonObject;
    }
    return fields;
  };

  return assembleContainer(graph.root);
}

/** Print a definition as the designer's code pane and the roundtrip CLI do: 2-space JSON. */
export function stringifyDefinition(definition: JsonValue, indent = 2): string {
  return stringifyJson(definition, indent);
}
