/**
 * npm run -s roundtrip -- FILE.json
 *
 * Prints the definition in FILE after definition -> graph -> definition, as 2-space JSON
 * on stdout and nothing else. FILE holds a definition; a conformance case file (an
 * object with a `definition` member and no `States`) is accepted too, its definition
 * being an object or a JSON string. Errors go to stderr with exit code 1.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseJson } from "../src/json/parse.ts";
import { isJsonObject, type JsonValue } from "../src/json/types.ts";
import { toGraph } from "../src/parse/toGraph.ts";
import { stringifyDefinition, toDefinition } from "../src/serialize/toDefinition.ts";

function definitionOf(document: JsonValue): JsonValue {
  if (isJsonObject(document) && !("States" in document) && "definition" in document) {
    const inner = document.definition as JsonValue;
    return typeof inner === "string" ? parseJson(inner) : inner;
  }
  return document;
}

function main(argv: string[]): number {
  const file = argv[0];
  if (file === undefined || argv.length > 1) {
    process.stderr.write("usage: npm run -s roundtrip -- FILE.json\n");
    return 2;
  }
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    // A UTF-8 byte order mark is not JSON, but editors write one; it carries no data.
    const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    const definition = definitionOf(parseJson(text));
    process.stdout.write(stringifyDefinition(toDefinition(toGraph(definition))) + "\n");
    return 0;
  } catch (error) {
    process.stderr.write(`roundtrip: ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
