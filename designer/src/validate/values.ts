/** Small value checks shared by the rules, worded as the Python validator words them. */
import { LosslessNumber, type JsonValue } from "../json/types.ts";
import { Code, type Diagnostic } from "./codes.ts";

export class Collector {
  readonly diagnostics: Diagnostic[] = [];

  error(code: Code, location: string, message: string): void {
    this.diagnostics.push({ severity: "ERROR", code, message, location });
  }

  warning(code: Code, location: string, message: string): void {
    this.diagnostics.push({ severity: "WARNING", code, message, location });
  }
}

export function lastToken(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
}

export function isInteger(value: JsonValue | undefined): boolean {
  if (typeof value === "number") return Number.isInteger(value);
  return value instanceof LosslessNumber && /^-?[0-9]+$/.test(value.text);
}

/** The JSON type of a value as a user reads it in a message (same words as the server). */
export function jsonTypeName(value: JsonValue | undefined): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "number" || value instanceof LosslessNumber) return isInteger(value) ? "an integer" : "a number";
  if (typeof value === "string") return "a string";
  if (Array.isArray(value)) return "an array";
  return "an object";
}

export function expectString(value: JsonValue | undefined, pointer: string, out: Collector): boolean {
  if (typeof value === "string") return true;
  out.error(Code.WRONG_FIELD_TYPE, pointer, `'${lastToken(pointer)}' must be a string, got ${jsonTypeName(value)}.`);
  return false;
}

export function expectBool(value: JsonValue | undefined, pointer: string, out: Collector): boolean {
  if (typeof value === "boolean") return true;
  out.error(Code.WRONG_FIELD_TYPE, pointer, `'${lastToken(pointer)}' must be true or false, got ${jsonTypeName(value)}.`);
  return false;
}

export function expectInt(value: JsonValue | undefined, pointer: string, out: Collector, minimum: number, maximum: number): boolean {
  const field = lastToken(pointer);
  if (!isInteger(value)) {
    out.error(Code.WRONG_FIELD_TYPE, pointer, `'${field}' must be an integer, got ${jsonTypeName(value)}.`);
    return false;
  }
  const number = Number(value);
  if (number < minimum || number > maximum) {
    out.error(Code.INVALID_FIELD_VALUE, pointer, `'${field}' must be between ${minimum} and ${maximum}, got ${String(value)}.`);
    return false;
  }
  return true;
}

export function expectEnum(value: JsonValue | undefined, allowed: readonly string[], pointer: string, out: Collector): boolean {
  if (typeof value === "string" && allowed.includes(value)) return true;
  const choices = allowed.map((a) => `'${a}'`).join(", ");
  const shown = typeof value === "string" ? `'${value}'` : jsonTypeName(value);
  out.error(Code.INVALID_FIELD_VALUE, pointer, `'${lastToken(pointer)}' must be one of ${choices}, got ${shown}.${didYouMean(value, allowed)}`);
  return false;
}

/** " Did you mean 'X'?" for a case-insensitive match or a near miss, else "". */
export function didYouMean(word: JsonValue | undefined, candidates: Iterable<string>): string {
  if (typeof word !== "string") return "";
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === word.toLowerCase()) return ` Did you mean '${candidate}'?`;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(word.length / 4)) ? ` Did you mean '${best}'?` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
