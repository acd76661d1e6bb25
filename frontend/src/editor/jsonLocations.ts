/**
 * Where each JSON pointer sits in a JSON text, so validation messages (located by
 * pointer) can be underlined in the code pane and a selected state revealed there.
 * A small scanner over valid JSON: for a member, the range of its key; for an array
 * item, the range of its value. Only called on text that parsed.
 */
import { escapeToken } from "@orchestrator/designer";

export interface TextRange {
  from: number;
  to: number;
}

export function pointerRanges(text: string): Map<string, TextRange> {
  const ranges = new Map<string, TextRange>();
  let pos = 0;

  const skipSpace = (): void => {
    while (pos < text.length && " \t\n\r".includes(text[pos] as string)) pos += 1;
  };
  const readString = (): string => {
    const start = pos;
    pos += 1;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
    pos += 1;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const skipScalar = (): void => {
    while (pos < text.length && !",]} \t\n\r".includes(text[pos] as string)) pos += 1;
  };
  const value = (pointer: string): TextRange => {
    skipSpace();
    const from = pos;
    const ch = text[pos];
    if (ch === "{") {
      pos += 1;
      skipSpace();
      while (text[pos] !== "}" && pos < text.length) {
        skipSpace();
        const keyFrom = pos;
        const key = readString();
        const keyRange = { from: keyFrom, to: pos };
        skipSpace();
        pos += 1; // ':'
        const member = `${pointer}/${escapeToken(key)}`;
        value(member);
        ranges.set(member, keyRange);
        skipSpace();
        if (text[pos] === ",") pos += 1;
        skipSpace();
      }
      pos += 1;
    } else if (ch === "[") {
      pos += 1;
      skipSpace();
      let index = 0;
      while (text[pos] !== "]" && pos < text.length) {
        const item = `${pointer}/${index}`;
        ranges.set(item, value(item));
        index += 1;
        skipSpace();
        if (text[pos] === ",") pos += 1;
        skipSpace();
      }
      pos += 1;
    } else if (ch === '"') {
      readString();
    } else {
      skipScalar();
    }
    return { from, to: pos };
  };

  const root = value("");
  ranges.set("", { from: root.from, to: Math.min(root.from + 1, root.to) });
  return ranges;
}

/** The range of `pointer`, or of its nearest ancestor found in the text. */
export function rangeOf(ranges: Map<string, TextRange>, pointer: string): TextRange {
  let current = pointer === "/" ? "" : pointer;
  for (;;) {
    const range = ranges.get(current);
    if (range !== undefined) return range;
    if (current === "") return { from: 0, to: 0 };
    current = current.slice(0, current.lastIndexOf("/"));
  }
}
