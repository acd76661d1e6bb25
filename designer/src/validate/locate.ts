/**
 * Map diagnostics (ours or the server's `{severity, code, message, location}`) onto the
 * graph: the deepest state or container holding the location, the field inside it, and
 * the edge when the location is a transition field. Works for any code, so diagnostics
 * only the server computes (JSONPath syntax, the field matrix ...) land on nodes too.
 */
import { escapeToken, splitPointer } from "../json/pointer.ts";
import type { ContainerPath, DesignerGraph, StatePath } from "../model/types.ts";
import type { Diagnostic } from "./codes.ts";

export interface DiagnosticTarget {
  /** "definition" when the location is outside every state and nested container (top-level fields). */
  kind: "state" | "container" | "definition";
  /** The state or container id ("" for the machine / definition). */
  id: StatePath | ContainerPath;
  /** The rest of the location inside that node, as a pointer ("" = the node itself). */
  field: string;
  /** The edge drawn for this field, when the location holds a transition. */
  edge?: string;
}

export interface LocatedDiagnostic extends Diagnostic {
  target: DiagnosticTarget;
}

export interface DiagnosticIndex {
  all: LocatedDiagnostic[];
  /** By state or container id. */
  byNode: Map<string, LocatedDiagnostic[]>;
  byEdge: Map<string, LocatedDiagnostic[]>;
}

/** Where a JSON pointer falls in the graph. Accepts "/" (AWS's root) as the empty pointer. */
export function locate(graph: DesignerGraph, location: string): DiagnosticTarget {
  const pointer = location === "/" ? "" : location;
  let tokens: string[];
  try {
    tokens = splitPointer(pointer);
  } catch {
    return { kind: "definition", id: graph.root, field: pointer };
  }
  let target: DiagnosticTarget = { kind: "definition", id: graph.root, field: pointer };
  let prefix = "";
  tokens.forEach((token, index) => {
    prefix += "/" + escapeToken(token);
    const kind = graph.states.has(prefix) ? "state" : graph.containers.has(prefix) ? "container" : null;
    if (kind !== null) {
      const rest = tokens.slice(index + 1).map((t) => "/" + escapeToken(t)).join("");
      target = { kind, id: prefix, field: rest };
    }
  });
  if (graph.edges.some((edge) => edge.id === pointer)) target = { ...target, edge: pointer };
  return target;
}

export function mapDiagnostics(graph: DesignerGraph, diagnostics: readonly Diagnostic[]): DiagnosticIndex {
  const edgeIds = new Set(graph.edges.map((edge) => edge.id));
  const index: DiagnosticIndex = { all: [], byNode: new Map(), byEdge: new Map() };
  const push = <K>(map: Map<K, LocatedDiagnostic[]>, key: K, item: LocatedDiagnostic): void => {
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  for (const diagnostic of diagnostics) {
    const target = locate(graph, diagnostic.location);
    const located: LocatedDiagnostic = { ...diagnostic, target };
    index.all.push(located);
    push(index.byNode, target.id, located);
    if (target.edge !== undefined && edgeIds.has(target.edge)) push(index.byEdge, target.edge, located);
  }
  return index;
}
