/**
 * Ordered, immutable helpers for JSON objects.
 *
 * JS enumerates integer-like keys ("0", "42") before all others, whatever the insertion
 * order. When a source object's key order differs from what JS would enumerate, the
 * intended order is stored under the non-enumerable `KEY_ORDER` symbol. Every helper
 * here returns a new object and never mutates its input (the command stack keeps old
 * states as undo mementos, so sharing unchanged sub-trees must be safe).
 */
import type { JsonObject, JsonValue } from "./types.ts";

export const KEY_ORDER: unique symbol = Symbol("designer.keyOrder");

type Ordered = JsonObject & { [KEY_ORDER]?: readonly string[] };

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** The object's keys in source order (KEY_ORDER first, then any keys added since). */
export function orderedKeys(obj: JsonObject): string[] {
  const order = (obj as Ordered)[KEY_ORDER];
  const natural = Object.keys(obj);
  if (order === undefined) return natural;
  const kept = order.filter((key) => hasOwn(obj, key));
  if (kept.length === natural.length) return kept;
  const seen = new Set(kept);
  return kept.concat(natural.filter((key) => !seen.has(key)));
}

export function orderedEntries(obj: JsonObject): [string, JsonValue][] {
  return orderedKeys(obj).map((key) => [key, obj[key] as JsonValue]);
}

/** Build an object from entries in order; a repeated key keeps its first position and last value (as JSON.parse does). */
export function makeObject(entries: Iterable<readonly [string, JsonValue]>): JsonObject {
  const obj: JsonObject = {};
  const keys: string[] = [];
  for (const [key, value] of entries) {
    if (!hasOwn(obj, key)) keys.push(key);
    if (key === "__proto__") {
      // A plain assignment would set the prototype instead of creating a member.
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      obj[key] = value;
    }
  }
  const natural = Object.keys(obj);
  if (natural.some((key, i) => key !== keys[i])) {
    Object.defineProperty(obj, KEY_ORDER, { value: Object.freeze(keys), enumerable: false });
  }
  return obj;
}

/** Set `key` to `value`: in place of the old value when present, else appended (or inserted after `after`). */
export function withEntry(obj: JsonObject, key: string, value: JsonValue, after?: string): JsonObject {
  const entries = orderedEntries(obj);
  const at = entries.findIndex(([k]) => k === key);
  if (at >= 0) {
    entries[at] = [key, value];
  } else {
    const afterIndex = after === undefined ? -1 : entries.findIndex(([k]) => k === after);
    if (afterIndex >= 0) entries.splice(afterIndex + 1, 0, [key, value]);
    else entries.push([key, value]);
  }
  return makeObject(entries);
}

export function withoutEntry(obj: JsonObject, key: string): JsonObject {
  if (!hasOwn(obj, key)) return obj;
  return makeObject(orderedEntries(obj).filter(([k]) => k !== key));
}

/** Rename a key in place (same position, same value). An existing `to` key is dropped. */
export function renameEntry(obj: JsonObject, from: string, to: string): JsonObject {
  if (!hasOwn(obj, from) || from === to) return obj;
  return makeObject(
    orderedEntries(obj)
      .filter(([k]) => k !== to)
      .map(([k, v]) => [k === from ? to : k, v] as [string, JsonValue]),
  );
}

/** Replace key `from` by `to` with a new value, at `from`'s position (e.g. End -> Next). */
export function replaceEntry(obj: JsonObject, from: string, to: string, value: JsonValue): JsonObject {
  if (!hasOwn(obj, from)) return withEntry(obj, to, value);
  return makeObject(
    orderedEntries(obj)
      .filter(([k]) => k !== to || k === from)
      .map(([k, v]) => (k === from ? [to, value] : [k, v]) as [string, JsonValue]),
  );
}

export { hasOwn };
