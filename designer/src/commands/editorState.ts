/** What the designer's command stack edits: the definition and, beside it, the layout. */
import type { JsonObject } from "../json/types.ts";
import type { LayoutMap } from "../layout/types.ts";
import { graphOf } from "../model/graphOf.ts";
import type { StateNode, StatePath } from "../model/types.ts";

export interface EditorState {
  definition: JsonObject;
  layout: LayoutMap;
}

export function editorState(definition: JsonObject, layout: LayoutMap = {}): EditorState {
  return { definition, layout };
}

export function findState(state: EditorState, id: StatePath): StateNode | undefined {
  return graphOf(state.definition).states.get(id);
}

/** Every state name in the machine (names must be unique across all nesting levels). */
export function allStateNames(state: EditorState): Set<string> {
  return new Set([...graphOf(state.definition).states.values()].map((node) => node.name));
}

const MAX_NAME_LENGTH = 80;

/** `true` when `name` can be given to a state, else the reason. */
export function checkNewName(state: EditorState, name: unknown): true | string {
  if (typeof name !== "string" || name.length === 0) return "a state name must be a non-empty string";
  if ([...name].length > MAX_NAME_LENGTH) return `a state name has at most ${MAX_NAME_LENGTH} characters`;
  if (allStateNames(state).has(name)) return `a state named ${JSON.stringify(name)} already exists`;
  return true;
}
