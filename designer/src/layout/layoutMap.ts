/** Pure updates of a layout map when ids change (rename, move) or nodes disappear. */
import { isInside, rebase } from "../model/paths.ts";
import type { LayoutMap, NodeBox } from "./types.ts";

/** Re-key every entry at or inside `from` to the same place under `to`. */
export function rebaseLayout(layout: LayoutMap, from: string, to: string): LayoutMap {
  const out: Record<string, NodeBox> = {};
  for (const [id, box] of Object.entries(layout)) out[rebase(id, from, to)] = box;
  return out;
}

/** Drop every entry at or inside `prefix`. */
export function dropLayout(layout: LayoutMap, prefix: string): LayoutMap {
  const out: Record<string, NodeBox> = {};
  for (const [id, box] of Object.entries(layout)) if (!isInside(id, prefix)) out[id] = box;
  return out;
}

export function withBox(layout: LayoutMap, id: string, box: NodeBox): LayoutMap {
  return { ...layout, [id]: box };
}
