/**
 * A JSON parser that loses nothing a definition author wrote: key order (including
 * integer-like keys), number text that JS would print differently, and `__proto__`
 * members. Strings are decoded by `JSON.parse` on their exact slice, so escapes and
 * lone surrogates behave exactly as with the built-in parser.
 */
import { makeObject } from "./object.ts";
import { joinPointer } from "./pointer.ts";
import { LosslessNumber, type JsonValue } from "./types.ts";

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line} column ${column}`);
    this.name = "JsonSyntaxError";
  }
}

/** A member name that appears twice in one object (the last value wins, as in JSON.parse). */
export interface DuplicateKey {
  /** JSON pointer of the member. */
  pointer: string;
  key: string;
}

export interface ParseJsonOptions {
  /** Receives every repeated member name; the validator reports them. */
  onDuplicateKey?: (duplicate: DuplicateKey) => void;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  let pos = 0;
  const onDuplicateKey = options.onDuplicateKey;

  const fail = (message: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    throw new JsonSyntaxError(message, at, line, column);
  };

  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };

  const expect = (char: string): void => {
    if (text[pos] !== char) fail(text[pos] === undefined ? `Expected '${char}' but the text ended` : `Expected '${char}'`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let escaped = false;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (Number.isNaN(code)) fail("Unterminated string", start);
      if (code === 0x22) break; // closing quote
      if (code < 0x20) fail("Control character in string");
      if (code === 0x5c) {
        escaped = true;
        pos++;
      }
      pos++;
    }
    pos++;
    if (!escaped) return text.slice(start + 1, pos - 1);
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail("Invalid escape in string", start);
    }
  };

  const parseNumber = (): number | LosslessNumber => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) return fail("Unexpected character");
    pos = NUMBER.lastIndex;
    const raw = match[0];
    const value = Number(raw);
    return String(value) === raw ? value : new LosslessNumber(raw);
  };

  const parseLiteral = <T extends JsonValue>(word: string, value: T): T => {
    if (!text.startsWith(word, pos)) fail("Unexpected token");
    pos += word.length;
    return value;
  };

  const parseValue = (pointer: string): JsonValue => {
    skipWhitespace();
    switch (text[pos]) {
      case "{":
        return parseObject(pointer);
      case "[":
        return parseArray(pointer);
      case '"':
        return parseString();
      case "t":
        return parseLiteral("true", true);
      case "f":
        return parseLiteral("false", false);
      case "n":
        return parseLiteral("null", null);
      case undefined:
        return fail("Unexpected end of JSON input");
      default:
        return parseNumber();
    }
  };

  const parseArray = (pointer: string): JsonValue[] => {
    pos++;
    const items: JsonValue[] = [];
    skipWhitespace();
    if (text[pos] === "]") {
      pos++;
      return items;
    }
    for (;;) {
      items.push(parseValue(onDuplicateKey ? joinPointer(pointer, items.length) : pointer));
      skipWhitespace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      expect("]");
      return items;
    }
  };

  const parseObject = (pointer: string): JsonValue => {
    pos++;
    const entries: [string, JsonValue][] = [];
    const seen = onDuplicateKey ? new Set<string>() : undefined;
    skipWhitespace();
    if (text[pos] === "}") {
      pos++;
      return makeObject(entries);
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail("Expected a double-quoted member name");
      const key = parseString();
      skipWhitespace();
      expect(":");
      const memberPointer = onDuplicateKey ? joinPointer(pointer, key) : pointer;
      if (seen) {
        if (seen.has(key)) onDuplicateKey?.({ pointer: memberPointer, key });
        seen.add(key);
      }
      entries.push([key, parseValue(memberPointer)]);
      skipWhitespace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      expect("}");
      return makeObject(entries);
    }
  };

  const value = parseValue("");
  skipWhitespace();
  if (pos < text.length) fail("Unexpected text after the JSON value");
  return value;
}
