/** layout.move and layout.apply: positions are edits too, so dragging is undoable. */
import { withBox } from "../../layout/layoutMap.ts";
import type { LayoutMap, NodeBox } from "../../layout/types.ts";
import type { NodeId } from "../../model/types.ts";
import type { CommandHandler } from "../CommandStack.ts";
import type { EditorState } from "../editorState.ts";

export interface MoveNodeContext {
  id: NodeId;
  box: NodeBox;
}

export const moveNode: CommandHandler<EditorState, MoveNodeContext> = {
  execute: (state, { id, box }) => ({ ...state, layout: withBox(state.layout, id, box) }),
};

export interface ApplyLayoutContext {
  /** E.g. the result of `layout(graph)`. */
  layout: LayoutMap;
}

export const applyLayout: CommandHandler<EditorState, ApplyLayoutContext> = {
  execute: (state, { layout }) => ({ ...state, layout }),
};
