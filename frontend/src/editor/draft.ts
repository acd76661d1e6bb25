/**
 * The workflow being edited survives a reload: until saving to the server exists, the
 * code text is kept in localStorage and reopened by the editor route.
 */
const DRAFT_KEY = "orchestrator.draft";

export function readDraft(): string | null {
  return globalThis.localStorage?.getItem(DRAFT_KEY) ?? null;
}

export function writeDraft(text: string): void {
  try {
    globalThis.localStorage?.setItem(DRAFT_KEY, text);
  } catch {
    // Storage full or disabled: the draft is a convenience, editing goes on.
  }
}
