/** field.update: set or remove any member of the definition by JSON pointer. */
import { getAt, setAt, removeAt, splitPointer } from "../../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../../json/types.ts";
import type { CommandHandler } from "../CommandStack.ts";
import type { EditorState } from "../editorState.ts";

export interface UpdateFieldContext {
  /** JSON pointer of the member, e.g. `/States/Pay/TimeoutSeconds`. */
  pointer: string;
  /** The new value (kept at the member's position; a new member is appended). */
  value?: JsonValue;
  /** Remove the member instead. */
  remove?: boolean;
}

function parentOf(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf("/"));
}

export const updateField: CommandHandler<EditorState, UpdateFieldContext> = {
  canExecute(state, { pointer, value, remove }) {
    let tokens: string[];
    try {
      tokens = splitPointer(pointer);
    } catch (error) {
      return (error as Error).message;
    }
    if (tokens.length === 0) return "use definition.replace to replace the whole definition";
    if ((value === undefined) === (remove !== true)) return "give either a value or remove: true";
    const parent = getAt(state.definition, parentOf(pointer));
    if (parent === undefined) return `nothing at ${parentOf(pointer)}`;
    if (Array.isArray(parent)) {
      const index = Number(tokens[tokens.length - 1]);
      const limit = remove ? parent.length - 1 : parent.length;
      if (!Number.isInteger(index) || index < 0 || index > limit) return `no array item at ${pointer}`;
    } else if (!isJsonObject(parent)) {
      return `${parentOf(pointer)} is not an object or array`;
    }
    if (remove && getAt(state.definition, pointer) === undefined) return `nothing to remove at ${pointer}`;
    return true;
  },
  execute(state, { pointer, value, remove }) {
    const definition = remove ? removeAt(state.definition, pointer) : setAt(state.definition, pointer, value as JsonValue);
    return { ...state, definition: definition as JsonObject };
  },
};

export interface ReplaceDefinitionContext {
  /** E.g. the code pane's parsed text. */
  definition: JsonObject;
}

/** definition.replace: swap the whole definition (undoable, layout kept). */
export const replaceDefinition: CommandHandler<EditorState, ReplaceDefinitionContext> = {
  canExecute: (_state, { definition }) => isJsonObject(definition) || "a definition must be a JSON object",
  execute: (state, { definition }) => ({ ...state, definition }),
};
