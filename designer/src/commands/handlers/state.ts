/** state.add, state.remove, state.rename, state.move. */
import { renameEntry, withEntry } from "../../json/object.ts";
import { getAt, joinPointer, removeAt, setAt, updateAt } from "../../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../../json/types.ts";
import { dropLayout, rebaseLayout, withBox } from "../../layout/layoutMap.ts";
import type { NodeBox } from "../../layout/types.ts";
import { graphOf } from "../../model/graphOf.ts";
import { isInside, splitStatePath, statePath } from "../../model/paths.ts";
import type { ContainerPath, StatePath } from "../../model/types.ts";
import type { CommandHandler } from "../CommandStack.ts";
import { checkNewName, findState, type EditorState } from "../editorState.ts";

function statesPointer(container: ContainerPath): string {
  return joinPointer(container, "States");
}

function hasStatesObject(state: EditorState, container: ContainerPath): boolean {
  return graphOf(state.definition).containers.has(container) && isJsonObject(getAt(state.definition, statesPointer(container)));
}

// ---------------------------------------------------------------------------------------

export interface AddStateContext {
  container: ContainerPath;
  name: string;
  /** The new state's object, e.g. `{ "Type": "Pass", "End": true }`. */
  state: JsonObject;
  position?: NodeBox;
}

export const addState: CommandHandler<EditorState, AddStateContext> = {
  canExecute(state, { container, name, state: value }) {
    if (!hasStatesObject(state, container)) return `no States object in container ${JSON.stringify(container)}`;
    if (!isJsonObject(value)) return "a state must be a JSON object";
    return checkNewName(state, name);
  },
  execute(state, { container, name, state: value, position }) {
    const id = statePath(container, name);
    const definition = setAt(state.definition, id, value) as JsonObject;
    return { definition, layout: position ? withBox(state.layout, id, position) : state.layout };
  },
};

// ---------------------------------------------------------------------------------------

export interface RemoveStateContext {
  id: StatePath;
  /**
   * Re-wire transitions into the removed state to its `Next` (when it has one).
   * Without it (or without a `Next`) they are left dangling, which the graph flags
   * (`edge.dangling`) and validation reports (MISSING_TRANSITION_TARGET).
   */
  rewire?: boolean;
}

export const removeState: CommandHandler<EditorState, RemoveStateContext> = {
  canExecute: (state, { id }) => findState(state, id) !== undefined || `no state ${JSON.stringify(id)}`,
  preExecute({ id, rewire }, stack) {
    if (!rewire) return;
    const node = findState(stack.state, id);
    const successor = node?.fields.Next;
    if (typeof successor !== "string" || successor === node?.name) return;
    const incoming = graphOf(stack.state.definition).edges.filter((edge) => edge.target === id && edge.source !== id && edge.kind !== "end");
    for (const edge of incoming) stack.execute("field.update", { pointer: edge.id, value: successor });
  },
  execute(state, { id }) {
    return { definition: removeAt(state.definition, id) as JsonObject, layout: dropLayout(state.layout, id) };
  },
};

// ---------------------------------------------------------------------------------------

export interface RenameStateContext {
  id: StatePath;
  name: string;
}

/** Pointers of every field in `container` that names `oldName` as a transition target. */
function referencesTo(state: EditorState, container: ContainerPath, oldName: string): string[] {
  return graphOf(state.definition)
    .edges.filter((edge) => edge.parent === container && edge.targetName === oldName)
    .map((edge) => edge.id);
}

export const renameState: CommandHandler<EditorState, RenameStateContext> = {
  canExecute(state, { id, name }) {
    if (findState(state, id) === undefined) return `no state ${JSON.stringify(id)}`;
    return checkNewName(state, name);
  },
  execute(state, { id, name }) {
    const { container, name: oldName } = splitStatePath(id);
    // References first (their pointers are computed on the current definition); a
    // renamed state's own Next to itself is one of them and still lives at the old path.
    let definition: JsonValue = state.definition;
    for (const pointer of referencesTo(state, container, oldName)) definition = setAt(definition, pointer, name);
    definition = updateAt(definition, statesPointer(container), (states) => renameEntry(states as JsonObject, oldName, name));
    const newId = statePath(container, name);
    return { definition: definition as JsonObject, layout: rebaseLayout(state.layout, id, newId) };
  },
};

// ---------------------------------------------------------------------------------------

export interface MoveStateContext {
  id: StatePath;
  /** The container to move into (`""` for the top level). */
  to: ContainerPath;
  /** Its box in the new container. */
  position?: NodeBox;
}

/**
 * Move a state into or out of a Parallel branch / Map processor. Transitions only work
 * inside one `States` object, so the moved state's own transitions and those pointing
 * at it stay as written and become dangling: the graph flags them, validation reports
 * them, the user reconnects them.
 */
export const moveState: CommandHandler<EditorState, MoveStateContext> = {
  canExecute(state, { id, to }) {
    if (findState(state, id) === undefined) return `no state ${JSON.stringify(id)}`;
    if (!hasStatesObject(state, to)) return `no States object in container ${JSON.stringify(to)}`;
    if (splitStatePath(id).container === to) return "the state is already in that container";
    if (isInside(to, id)) return "a state cannot move into its own branches or processor";
    return true;
  },
  execute(state, { id, to, position }) {
    const { name } = splitStatePath(id);
    const value = getAt(state.definition, id) as JsonValue;
    const newId = statePath(to, name);
    // Remove first: `to` may be after `id`'s container in the document, never inside it.
    let definition = removeAt(state.definition, id);
    definition = updateAt(definition, statesPointer(to), (states) => withEntry(states as JsonObject, name, value));
    let layout = rebaseLayout(state.layout, id, newId);
    if (position) layout = withBox(layout, newId, position);
    return { definition: definition as JsonObject, layout };
  },
};
