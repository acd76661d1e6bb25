/**
 * Find state nodes by name. Execution history events (the live monitor) name states,
 * not paths; names are unique machine-wide in a valid definition, so the list has one
 * entry — more only when validation reports DUPLICATE_STATE_NAME.
 */
import type { DesignerGraph, StatePath } from "./types.ts";

export function stateIdsByName(graph: DesignerGraph): Map<string, StatePath[]> {
  const index = new Map<string, StatePath[]>();
  for (const node of graph.states.values()) {
    const ids = index.get(node.name);
    if (ids) ids.push(node.id);
    else index.set(node.name, [node.id]);
  }
  return index;
}
