/**
 * RFC 6901 JSON pointers and immutable get/set/remove by pointer.
 * Node ids, container ids, edge ids and diagnostic locations are all pointers.
 */
import { hasOwn, withEntry, withoutEntry } from "./object.ts";
import { isJsonObject, type JsonValue } from "./types.ts";

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const token of tokens) out += "/" + escapeToken(token);
  return out;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`Not a JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split("/").map(unescapeToken);
}

/** True when `pointer` is `ancestor` or inside it. */
export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + "/");
}

function childOf(node: JsonValue | undefined, token: string): JsonValue | undefined {
  if (Array.isArray(node)) {
    if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
    return node[Number(token)];
  }
  if (isJsonObject(node) && hasOwn(node, token)) return node[token];
  return undefined;
}

export function getAt(root: JsonValue, pointer: string): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const token of splitPointer(pointer)) {
    node = childOf(node, token);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * A copy of `root` with the value at `pointer` replaced by `update(old)`; `undefined`
 * from `update` removes the member (or array item). Unchanged sub-trees are shared.
 * Missing intermediate members are an error: callers address existing structures.
 */
export function updateAt(
  root: JsonValue,
  pointer: string,
  update: (old: JsonValue | undefined) => JsonValue | undefined,
): JsonValue {
  const tokens = splitPointer(pointer);
  const walk = (node: JsonValue | undefined, depth: number): JsonValue | undefined => {
    if (depth === tokens.length) return update(node);
    const token = tokens[depth] as string;
    const here = "/" + tokens.slice(0, depth).map(escapeToken).join("/");
    if (Array.isArray(node)) {
      const index = token === "-" ? node.length : Number(token);
      if (!Number.isInteger(index) || index < 0 || index > node.length) {
        throw new Error(`No array item ${token} at ${here}`);
      }
      const next = walk(node[index], depth + 1);
      const copy = node.slice();
      if (next === undefined) copy.splice(index, 1);
      else copy[index] = next;
      return copy;
    }
    if (isJsonObject(node)) {
      const next = walk(hasOwn(node, token) ? node[token] : undefined, depth + 1);
      return next === undefined ? withoutEntry(node, token) : withEntry(node, token, next);
    }
    throw new Error(`Cannot address ${JSON.stringify(token)} inside a non-container at ${here}`);
  };
  const result = walk(root, 0);
  if (result === undefined) throw new Error("Cannot remove the document root");
  return result;
}

export function setAt(root: JsonValue, pointer: string, value: JsonValue): JsonValue {
  return updateAt(root, pointer, () => value);
}

export function removeAt(root: JsonValue, pointer: string): JsonValue {
  return updateAt(root, pointer, () => undefined);
}

