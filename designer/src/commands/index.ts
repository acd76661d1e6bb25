/** The designer's command stack with every editing command registered. */
import type { JsonObject } from "../json/types.ts";
import type { LayoutMap } from "../layout/types.ts";
import { CommandStack } from "./CommandStack.ts";
import { editorState, type EditorState } from "./editorState.ts";
import { replaceDefinition, updateField } from "./handlers/field.ts";
import { applyLayout, moveNode } from "./handlers/layout.ts";
import { addState, moveState, removeState, renameState } from "./handlers/state.ts";
import { connect, disconnect } from "./handlers/transition.ts";

/** Command names, for `stack.execute(COMMANDS.renameState, { id, name })`. */
export const COMMANDS = {
  addState: "state.add",
  removeState: "state.remove",
  renameState: "state.rename",
  moveState: "state.move",
  connect: "transition.connect",
  disconnect: "transition.disconnect",
  updateField: "field.update",
  replaceDefinition: "definition.replace",
  moveNode: "layout.move",
  applyLayout: "layout.apply",
} as const;

export function createDesignerCommandStack(definition: JsonObject, layout: LayoutMap = {}): CommandStack<EditorState> {
  return new CommandStack(editorState(definition, layout))
    .register(COMMANDS.addState, addState)
    .register(COMMANDS.removeState, removeState)
    .register(COMMANDS.renameState, renameState)
    .register(COMMANDS.moveState, moveState)
    .register(COMMANDS.connect, connect)
    .register(COMMANDS.disconnect, disconnect)
    .register(COMMANDS.updateField, updateField)
    .register(COMMANDS.replaceDefinition, replaceDefinition)
    .register(COMMANDS.moveNode, moveNode)
    .register(COMMANDS.applyLayout, applyLayout);
}

export * from "./CommandStack.ts";
export * from "./editorState.ts";
export type { UpdateFieldContext, ReplaceDefinitionContext } from "./handlers/field.ts";
export type { MoveNodeContext, ApplyLayoutContext } from "./handlers/layout.ts";
export type { AddStateContext, RemoveStateContext, RenameStateContext, MoveStateContext } from "./handlers/state.ts";
export type { ConnectContext, ConnectKind, DisconnectContext } from "./handlers/transition.ts";
