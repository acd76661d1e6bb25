/** Helpers over state paths (JSON pointers ending in `/States/<name>`). */
import { escapeToken, joinPointer, splitPointer } from "../json/pointer.ts";
import type { ContainerPath, StatePath } from "./types.ts";

export function statePath(container: ContainerPath, name: string): StatePath {
  return joinPointer(container, "States", name);
}

/** The container of a state path and the state's name. */
export function splitStatePath(id: StatePath): { container: ContainerPath; name: string } {
  const tokens = splitPointer(id);
  if (tokens.length < 2 || tokens[tokens.length - 2] !== "States") {
    throw new Error(`Not a state path: ${JSON.stringify(id)}`);
  }
  const container = tokens.slice(0, -2).map((token) => "/" + escapeToken(token)).join("");
  return { container, name: tokens[tokens.length - 1] as string };
}

/** Re-root `id` from state `fromPrefix` to `toPrefix` (ids inside a renamed or moved state). */
export function rebase(id: string, fromPrefix: string, toPrefix: string): string {
  if (id === fromPrefix) return toPrefix;
  if (id.startsWith(fromPrefix + "/")) return toPrefix + id.slice(fromPrefix.length);
  return id;
}

/**
 * True when `id` is the state `prefix` or any node inside it (its containers, their
 * markers and states all start with `<prefix>/`).
 */
export function isInside(id: string, prefix: string): boolean {
  return id === prefix || id.startsWith(prefix + "/");
}
