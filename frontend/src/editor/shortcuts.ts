/**
 * Keyboard shortcuts of the editor. Editing keys (copy, paste, delete ...) act on the
 * canvas selection and are left alone while typing in a field or the code pane; undo
 * and redo act everywhere except in plain form inputs (which have their own).
 */
export type ShortcutAction = "undo" | "redo" | "copy" | "paste" | "duplicate" | "delete" | "selectAll" | "deselect" | "layout" | "fit";

/** Shown in the shortcuts help, in this order. */
export const SHORTCUTS: { action: ShortcutAction; keys: string }[] = [
  { action: "undo", keys: "Ctrl+Z" },
  { action: "redo", keys: "Ctrl+Shift+Z / Ctrl+Y" },
  { action: "copy", keys: "Ctrl+C" },
  { action: "paste", keys: "Ctrl+V" },
  { action: "duplicate", keys: "Ctrl+D" },
  { action: "delete", keys: "Delete / Backspace" },
  { action: "selectAll", keys: "Ctrl+A" },
  { action: "deselect", keys: "Escape" },
  { action: "layout", keys: "Shift+Alt+L" },
  { action: "fit", keys: "Shift+1" },
];

function isTyping(target: EventTarget | null): { field: boolean; code: boolean } {
  const element = target instanceof HTMLElement ? target : null;
  if (element === null) return { field: false, code: false };
  const code = element.closest(".cm-editor") !== null;
  const field = !code && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
  return { field, code };
}

export function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const typing = isTyping(event.target);
  if (typing.field) return null;
  if (mod && key === "z") return event.shiftKey ? "redo" : "undo";
  if (mod && key === "y") return "redo";
  if (typing.code) return null;
  if (mod && key === "c") return "copy";
  if (mod && key === "v") return "paste";
  if (mod && key === "d") return "duplicate";
  if (mod && key === "a") return "selectAll";
  if (!mod && (event.key === "Delete" || event.key === "Backspace")) return "delete";
  if (event.key === "Escape") return "deselect";
  if (event.shiftKey && event.altKey && event.code === "KeyL") return "layout";
  if (event.shiftKey && !mod && event.code === "Digit1") return "fit";
  return null;
}
