/**
 * Print a JSON value exactly as `JSON.stringify(value, null, indent)` would, except
 * that key order comes from `orderedKeys` and `LosslessNumber`s print their source
 * text. For values without those two features the output is byte-identical to the
 * built-in (tested).
 */
import { orderedKeys } from "./object.ts";
import { LosslessNumber, type JsonValue } from "./types.ts";

export function stringifyJson(value: JsonValue, indent = 2): string {
  const unit = " ".repeat(indent);
  // Performance: one output array for the whole document instead of nested joins.
  const out: string[] = [];

  const write = (node: JsonValue | undefined, pad: string): void => {
    if (node === null || node === undefined) {
      out.push("null");
    } else if (typeof node === "string") {
      out.push(JSON.stringify(node));
    } else if (typeof node === "number") {
      out.push(Number.isFinite(node) ? String(node) : "null");
    } else if (typeof node === "boolean") {
      out.push(node ? "true" : "false");
    } else if (node instanceof LosslessNumber) {
      out.push(node.text);
    } else if (Array.isArray(node)) {
      if (node.length === 0) {
        out.push("[]");
        return;
      }
      const inner = pad + unit;
      const open = indent ? `[\n${inner}` : "[";
      const separator = indent ? `,\n${inner}` : ",";
      out.push(open);
      node.forEach((item, i) => {
        if (i > 0) out.push(separator);
        write(item, inner);
      });
      out.push(indent ? `\n${pad}]` : "]");
    } else {
      const keys = orderedKeys(node).filter((key) => node[key] !== undefined);
      if (keys.length === 0) {
        out.push("{}");
        return;
      }
      const inner = pad + unit;
      out.push(indent ? `{\n${inner}` : "{");
      keys.forEach((key, i) => {
        if (i > 0) out.push(indent ? `,\n${inner}` : ",");
        out.push(JSON.stringify(key), indent ? ": " : ":");
        write(node[key], inner);
      });
      out.push(indent ? `\n${pad}}` : "}");
    }
  };

  write(value, "");
  return out.join("");
}
