/** Memoised definition -> graph, so commands and the UI share one graph per definition object. */
import type { JsonObject } from "../json/types.ts";
import { toGraph } from "../parse/toGraph.ts";
import type { DesignerGraph } from "./types.ts";

const cache = new WeakMap<JsonObject, DesignerGraph>();

export function graphOf(definition: JsonObject): DesignerGraph {
  let graph = cache.get(definition);
  if (graph === undefined) {
    graph = toGraph(definition);
    cache.set(definition, graph);
  }
  return graph;
}
