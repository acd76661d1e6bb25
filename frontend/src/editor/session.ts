/**
 * The editor's command stack: the designer's commands plus three composites the UI
 * needs as single undo steps (insert on an edge, add several states, remove several).
 * A composite runs the designer's own commands from `preExecute`, so they join its step.
 */
import {
  COMMANDS,
  createDesignerCommandStack,
  graphOf,
  isInside,
  replaceEntry,
  withEntry,
  withoutEntry,
  type CommandHandler,
  type CommandStack,
  type EditorState,
  type GraphEdge,
  type JsonObject,
  type LayoutMap,
  type NodeBox,
} from "@orchestrator/designer";

export const EDITOR_COMMANDS = {
  insertOnEdge: "editor.insertOnEdge",
  addStates: "editor.addStates",
  removeStates: "editor.removeStates",
  moveNodes: "editor.moveNodes",
} as const;

export interface MoveNodesContext {
  moves: { id: string; box: NodeBox }[];
}

export type EditorStack = CommandStack<EditorState>;

export interface InsertOnEdgeContext {
  edge: string;
  name: string;
  state: JsonObject;
}

export interface NewState {
  name: string;
  state: JsonObject;
  position?: NodeBox;
}

export interface AddStatesContext {
  container: string;
  states: NewState[];
}

export interface RemoveStatesContext {
  ids: string[];
}

const identity = (state: EditorState): EditorState => state;

function edgeOf(state: EditorState, id: string): GraphEdge | undefined {
  return graphOf(state.definition).edges.find((edge) => edge.id === id);
}

/** The new state continues where the edge went: to its target, or to the end. */
function continueTo(state: JsonObject, edge: GraphEdge): JsonObject {
  const type = state.Type;
  if (type === "Succeed" || type === "Fail") return state;
  if (type === "Choice") return edge.targetName === null ? state : withEntry(state, "Default", edge.targetName);
  if (edge.kind === "end") return "Next" in state ? replaceEntry(state, "Next", "End", true) : withEntry(state, "End", true);
  return "End" in state
    ? replaceEntry(state, "End", "Next", edge.targetName as string)
    : withoutEntry(withEntry(state, "Next", edge.targetName as string), "End");
}

function insertOnEdge(stack: EditorStack): CommandHandler<EditorState, InsertOnEdgeContext> {
  return {
    canExecute: (state, { edge }) => {
      const found = edgeOf(state, edge);
      if (found === undefined) return `no edge ${JSON.stringify(edge)}`;
      return found.dangling ? "cannot insert on a transition to a missing state" : true;
    },
    preExecute: ({ edge: id, name, state: value }) => {
      const edge = edgeOf(stack.state, id) as GraphEdge;
      stack.execute(COMMANDS.addState, { container: edge.parent, name, state: continueTo(value, edge) });
      if (edge.kind === "end") stack.execute(COMMANDS.connect, { kind: "next", source: edge.source, target: name });
      else stack.execute(COMMANDS.updateField, { pointer: edge.id, value: name });
    },
    execute: identity,
  };
}

function addStates(stack: EditorStack): CommandHandler<EditorState, AddStatesContext> {
  return {
    canExecute: (_state, { states }) => states.length > 0 || "nothing to add",
    preExecute: ({ container, states }) => {
      for (const { name, state, position } of states) {
        stack.execute(COMMANDS.addState, { container, name, state, ...(position ? { position } : {}) });
      }
    },
    execute: identity,
  };
}

/** Outermost first, and nothing inside another removed state (it goes with its owner). */
export function removalRoots(ids: readonly string[]): string[] {
  const sorted = [...new Set(ids)].sort((a, b) => a.length - b.length);
  return sorted.filter((id, index) => !sorted.slice(0, index).some((outer) => isInside(id, outer) && id !== outer));
}

/** Removing the last state of a path: the states that led to it end instead of dangling. */
function endIncomingIfLast(stack: EditorStack, id: string): void {
  const graph = graphOf(stack.state.definition);
  if (graph.states.get(id)?.fields.End !== true) return;
  for (const edge of graph.edges) {
    if (edge.target === id && edge.kind === "next" && edge.source !== id) {
      stack.execute(COMMANDS.disconnect, { edge: edge.id, end: true });
    }
  }
}

function removeStates(stack: EditorStack): CommandHandler<EditorState, RemoveStatesContext> {
  return {
    canExecute: (state, { ids }) => {
      const states = graphOf(state.definition).states;
      return (ids.length > 0 && ids.every((id) => states.has(id))) || "nothing to remove";
    },
    preExecute: ({ ids }) => {
      // Remove the last-listed first, so the pointers of earlier siblings stay valid.
      for (const id of removalRoots(ids).reverse()) {
        endIncomingIfLast(stack, id);
        stack.execute(COMMANDS.removeState, { id, rewire: true });
      }
    },
    execute: identity,
  };
}

/** Several nodes dragged (or moved with the arrow keys) together: one undo step. */
function moveNodes(stack: EditorStack): CommandHandler<EditorState, MoveNodesContext> {
  return {
    canExecute: (_state, { moves }) => moves.length > 0 || "nothing to move",
    preExecute: ({ moves }) => {
      for (const { id, box } of moves) stack.execute(COMMANDS.moveNode, { id, box });
    },
    execute: identity,
  };
}

export function createEditorStack(definition: JsonObject, layout: LayoutMap = {}): EditorStack {
  const stack = createDesignerCommandStack(definition, layout);
  return stack
    .register(EDITOR_COMMANDS.insertOnEdge, insertOnEdge(stack))
    .register(EDITOR_COMMANDS.addStates, addStates(stack))
    .register(EDITOR_COMMANDS.removeStates, removeStates(stack))
    .register(EDITOR_COMMANDS.moveNodes, moveNodes(stack));
}
