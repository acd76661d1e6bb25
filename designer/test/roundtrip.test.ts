import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/json/parse.ts";
import { stringifyJson } from "../src/json/stringify.ts";
import { isJsonObject, type JsonValue } from "../src/json/types.ts";
import { toGraph } from "../src/parse/toGraph.ts";
import { stringifyDefinition, toDefinition } from "../src/serialize/toDefinition.ts";
import { REPO_ROOT, conformanceCaseFiles } from "./shared.ts";

const files = conformanceCaseFiles();

function caseDefinition(text: string): JsonValue {
  const document = parseJson(text);
  if (!isJsonObject(document)) throw new Error("a case file is an object");
  const definition = document.definition as JsonValue;
  return typeof definition === "string" ? parseJson(definition) : definition;
}

describe("definition -> graph -> definition over every conformance case", () => {
  it("finds the conformance cases", () => {
    expect(files.length).toBeGreaterThan(600);
  });

  it.each(files.map((file) => [basename(file), file]))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const definition = caseDefinition(text);
    const printed = stringifyDefinition(toDefinition(toGraph(definition)));

    // Same text as printing the untouched definition (numbers such as 1.0 kept verbatim) ...
    expect(printed).toBe(stringifyJson(definition));
    // ... and, checked with the built-in parser alone, the same value with the same key order.
    const builtIn = (JSON.parse(text) as { definition: unknown }).definition;
    const expected = typeof builtIn === "string" ? JSON.parse(builtIn) : builtIn;
    expect(JSON.stringify(JSON.parse(printed), null, 2)).toBe(JSON.stringify(expected, null, 2));
  });
});

// Child processes on a shared, busy machine: allow them time.
describe("npm run -s roundtrip", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "designer-roundtrip-"));

  it("prints exactly the 2-space JSON of the definition, nothing else", () => {
    const text = `{
  "Comment": "d\\u00e9j\\u00e0 \\"vu\\" \\ud83d\\ude00 \\n",
  "StartAt": "Fan",
  "10": 1.0,
  "big": 12345678901234567890,
  "States": {
    "Fan": {
      "Type": "Parallel",
      "Branches": [{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Result": [1e3, -0, 0.1], "End": true } } }],
      "End": true
    }
  }
}`;
    const file = join(dir, "definition.json");
    writeFileSync(file, text);
    const stdout = execFileSync("npm", ["run", "-s", "roundtrip", "--", file], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(stdout).toBe(stringifyJson(parseJson(text)) + "\n");
    expect(stdout).toContain('"10": 1.0,\n  "big": 12345678901234567890,');
    expect(stdout).toContain('"Result": [\n');
    expect(stdout).toContain("1e3,");
    expect(JSON.parse(stdout)).toEqual(JSON.parse(text));
  });

  it("accepts a conformance case file (uses its definition) and a leading byte order mark", () => {
    const caseFile = files.find((file) => file.includes("Parallel") || file.includes("map")) ?? (files[0] as string);
    const expected = stringifyJson(caseDefinition(readFileSync(caseFile, "utf8"))) + "\n";
    expect(execFileSync("npm", ["run", "-s", "roundtrip", "--", caseFile], { cwd: REPO_ROOT, encoding: "utf8" })).toBe(expected);
    const withBom = join(dir, "bom.json");
    writeFileSync(withBom, "\uFEFF" + readFileSync(caseFile, "utf8"));
    expect(execFileSync("npm", ["run", "-s", "roundtrip", "--", withBom], { cwd: REPO_ROOT, encoding: "utf8" })).toBe(expected);
  });

  it("fails with a message on stderr for input that is not a definition", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "[1, 2");
    let failure: { status: number; stderr: string; stdout: string } | undefined;
    try {
      execFileSync("npm", ["run", "-s", "roundtrip", "--", file], { cwd: REPO_ROOT, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      failure = error as { status: number; stderr: string; stdout: string };
    }
    expect(failure?.status).not.toBe(0);
    expect(failure?.stdout).toBe("");
    expect(failure?.stderr).toMatch(/line 1 column 6/);
  });
});
