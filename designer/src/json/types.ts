/**
 * JSON values as the designer holds them.
 *
 * Plain JS values, with two additions that make "definition -> graph -> definition"
 * lossless:
 * - `LosslessNumber` keeps the source text of a number JS cannot print back the same
 *   way (`1.0`, `1e5`, `-0`, integers beyond 2^53, over-long decimals). Everything
 *   else is an ordinary `number`.
 * - objects whose source key order JS would not keep (integer-like keys such as `"10"`
 *   are always enumerated first) carry that order under the `KEY_ORDER` symbol
 *   (see object.ts). `orderedKeys()` is the only correct way to walk an object's keys.
 */

export type JsonPrimitive = null | boolean | number | string | LosslessNumber;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/** A JSON number kept as its source text because `String(Number(text)) !== text`. */
export class LosslessNumber {
  constructor(readonly text: string) {}

  /** Lets `+n`, `n < 3` and friends work as with a plain number. */
  valueOf(): number {
    return Number(this.text);
  }

  /** Plain `JSON.stringify` falls back to the (possibly rounded) double. */
  toJSON(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof LosslessNumber);
}

export function isJsonNumber(value: unknown): value is number | LosslessNumber {
  return typeof value === "number" || value instanceof LosslessNumber;
}

/** The numeric value of a JSON number (plain or lossless). */
export function numberValue(value: number | LosslessNumber): number {
  return typeof value === "number" ? value : Number(value.text);
}
