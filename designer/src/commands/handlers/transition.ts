/** transition.connect and transition.disconnect: Next, Choice rules, Default, Catch, StartAt, End. */
import { makeObject, replaceEntry, withEntry, withoutEntry } from "../../json/object.ts";
import { joinPointer, removeAt, updateAt } from "../../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../../json/types.ts";
import { graphOf } from "../../model/graphOf.ts";
import { splitStatePath, statePath } from "../../model/paths.ts";
import type { ContainerPath, GraphEdge, StatePath } from "../../model/types.ts";
import type { CommandHandler } from "../CommandStack.ts";
import { findState, type EditorState } from "../editorState.ts";

export type ConnectKind = "start" | "next" | "default" | "choice" | "catch";

export interface ConnectContext {
  kind: ConnectKind;
  /** The state the transition leaves; for `start`, the container whose StartAt is set. */
  source: StatePath | ContainerPath;
  /** Name of the target state, a sibling of the source. */
  target: string;
  /** choice/catch: retarget rule/catcher `index`; omitted = append a new one. */
  index?: number;
  /** choice: the new rule (without `Next`), e.g. `{ "Variable": "$.ok", "BooleanEquals": true }`. */
  rule?: JsonObject;
  /** catch: error names of the new catcher (default `["States.ALL"]`). */
  errorEquals?: string[];
}

function checkSource(state: EditorState, { kind, source, index, rule }: ConnectContext): true | string {
  if (kind === "start") {
    return graphOf(state.definition).containers.has(source) || `no container ${JSON.stringify(source)}`;
  }
  const node = findState(state, source);
  if (node === undefined || node.raw !== undefined) return `no state ${JSON.stringify(source)}`;
  const isChoice = node.type === "Choice";
  if ((kind === "next" && isChoice) || ((kind === "default" || kind === "choice") && !isChoice)) {
    return `a ${node.type ?? "state without Type"} state cannot have a ${kind} transition`;
  }
  if (kind === "next" && (node.type === "Succeed" || node.type === "Fail")) return `a ${node.type} state has no Next`;
  const list = kind === "choice" ? node.fields.Choices : kind === "catch" ? node.fields.Catch : undefined;
  if (index !== undefined && !(Array.isArray(list) && isJsonObject(list[index]))) return `no ${kind} entry ${index}`;
  if (kind === "choice" && index === undefined && !isJsonObject(rule)) return "a new choice rule needs `rule`";
  return true;
}

export const connect: CommandHandler<EditorState, ConnectContext> = {
  canExecute(state, context) {
    const verdict = checkSource(state, context);
    if (verdict !== true) return verdict;
    const container = context.kind === "start" ? context.source : splitStatePath(context.source).container;
    const exists = graphOf(state.definition).states.has(statePath(container, context.target));
    return exists || `no state ${JSON.stringify(context.target)} beside the source (transitions stay inside one States object)`;
  },
  execute(state, { kind, source, target, index, rule, errorEquals }) {
    const update = (pointer: string, change: (old: JsonObject) => JsonValue): EditorState => ({
      ...state,
      definition: updateAt(state.definition, pointer, (old) => change(old as JsonObject)) as JsonObject,
    });
    switch (kind) {
      case "start":
        return update(source, (container) => withEntry(container, "StartAt", target));
      case "next":
        // Next takes End's place, so the fields stay in the order the author wrote them.
        return update(source, (node) => replaceEntry(node, "End", "Next", target));
      case "default":
        return update(source, (node) => withEntry(node, "Default", target));
      case "choice":
      case "catch": {
        const field = kind === "choice" ? "Choices" : "Catch";
        if (index !== undefined) return update(joinPointer(source, field, index), (entry) => withEntry(entry, "Next", target));
        const entry =
          kind === "choice"
            ? withEntry(rule as JsonObject, "Next", target)
            : makeObject([
                ["ErrorEquals", errorEquals ?? ["States.ALL"]],
                ["Next", target],
              ]);
        return update(source, (node) => {
          const list = node[field];
          return withEntry(node, field, [...(Array.isArray(list) ? list : []), entry]);
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------

export interface DisconnectContext {
  /** The edge id: the pointer of the field holding the transition, or `<state>#end`. */
  edge: string;
  /** next: write `"End": true` where `Next` was, instead of leaving no transition. */
  end?: boolean;
}

function findEdge(state: EditorState, id: string): GraphEdge | undefined {
  return graphOf(state.definition).edges.find((edge) => edge.id === id);
}

/**
 * Remove a transition. A Choice rule or catcher goes as a whole (one without `Next` is
 * invalid); Next, Default, StartAt and End lose their field.
 */
export const disconnect: CommandHandler<EditorState, DisconnectContext> = {
  canExecute(state, { edge: id }) {
    const edge = findEdge(state, id);
    if (edge === undefined) return `no edge ${JSON.stringify(id)}`;
    const type = findState(state, edge.source)?.type;
    if (edge.kind === "end" && (type === "Succeed" || type === "Fail")) return `a ${type} state always ends`;
    return true;
  },
  execute(state, { edge: id, end }) {
    const edge = findEdge(state, id) as GraphEdge;
    const inSource = (change: (node: JsonObject) => JsonObject): JsonValue =>
      updateAt(state.definition, edge.source, (node) => change(node as JsonObject));
    let definition: JsonValue;
    switch (edge.kind) {
      case "choice":
      case "catch":
        definition = removeAt(state.definition, id.slice(0, id.lastIndexOf("/")));
        break;
      case "end":
        definition = inSource((node) => withoutEntry(node, "End"));
        break;
      case "next":
        definition = inSource((node) => (end ? replaceEntry(node, "Next", "End", true) : withoutEntry(node, "Next")));
        break;
      default: // start, default: the field itself
        definition = removeAt(state.definition, id);
    }
    return { ...state, definition: definition as JsonObject };
  },
};
