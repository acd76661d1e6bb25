import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, fixtureText } from "../../test/fixtures.ts";
import { REPO_ROOT } from "../../test/shared.ts";
import { parseJson } from "../json/parse.ts";
import type { JsonValue } from "../json/types.ts";
import { toGraph } from "../parse/toGraph.ts";
import { Code, type Diagnostic } from "./codes.ts";
import { locate, mapDiagnostics } from "./locate.ts";
import { validateDefinition, validateText } from "./validate.ts";

interface ValidationCase {
  name: string;
  definition: JsonValue;
  expected: [string, string, string][];
}

const triples = (diagnostics: Diagnostic[]) => diagnostics.map((d) => [d.severity, d.code, d.location]).sort();

describe("validateDefinition", () => {
  // The same fixtures were checked against the Python validator (backend/engine/validation):
  // both report exactly these (severity, code, location) triples.
  const cases = parseJson(fixtureText("validation-cases.json")) as unknown as ValidationCase[];

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, { definition, expected }) => {
    expect(triples(validateDefinition(definition))).toEqual([...expected].sort());
  });

  it("finds nothing structural in the designer's order fixture but its unknown top-level field", () => {
    expect(triples(validateDefinition(fixture("order.json")))).toEqual([["ERROR", "UNKNOWN_FIELD", "/x-owner"]]);
  });

  it("words messages as the server does", () => {
    const [startAt] = validateDefinition(parseJson('{"StartAt":"a","States":{"A":{"Type":"Succeed"}}}'));
    expect(startAt?.message).toBe("'StartAt' names the state 'a', which is not in this 'States' object. Did you mean 'A'?");
  });

  it("makes unreachable states errors in strict mode", () => {
    const definition = parseJson('{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}');
    expect(triples(validateDefinition(definition, { strict: true }))).toEqual([["ERROR", "UNREACHABLE_STATE", "/States/B"]]);
  });

  it("reports nesting deeper than 20 levels", () => {
    let inner: JsonValue = { StartAt: "Leaf", States: { Leaf: { Type: "Succeed" } } };
    for (let level = 21; level >= 0; level--) {
      inner = { StartAt: `P${level}`, States: { [`P${level}`]: { Type: "Parallel", Branches: [inner], End: true } } };
    }
    const deep = validateDefinition(inner).filter((d) => d.code === Code.TOO_DEEPLY_NESTED);
    expect(deep).toHaveLength(1);
    expect((deep[0]?.location ?? "").split("/Branches/0").length - 1).toBe(21);
  });

  it("refuses a definition that is not an object", () => {
    expect(triples(validateDefinition([]))).toEqual([["ERROR", "SCHEMA_VALIDATION_FAILED", "/"]]);
  });
});

describe("validateText", () => {
  it("reports JSON syntax errors as INVALID_JSON_DESCRIPTION with the position", () => {
    const [diagnostic] = validateText('{"StartAt": "A",\n  "States": }');
    expect(diagnostic).toMatchObject({ code: "INVALID_JSON_DESCRIPTION", location: "/" });
    expect(diagnostic?.message).toMatch(/line 2 column 13/);
    expect(triples(validateText("  "))).toEqual([["ERROR", "SCHEMA_VALIDATION_FAILED", "/"]]);
  });

  it("reports repeated keys: state names as DUPLICATE_STATE_NAME, other fields as DUPLICATE_FIELD", () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":true},"A":{"Type":"Succeed"}}}';
    expect(triples(validateText(text))).toEqual([
      ["ERROR", "DUPLICATE_FIELD", "/States/A/End"],
      ["ERROR", "DUPLICATE_STATE_NAME", "/States/A"],
    ]);
  });
});

describe("codes mirror the Python validator", () => {
  it("has exactly the codes of backend/engine/validation/codes.py", () => {
    const python = readFileSync(join(REPO_ROOT, "backend", "engine", "validation", "codes.py"), "utf8");
    const codeClass = python.slice(python.indexOf("class Code"));
    const names = [...codeClass.matchAll(/^\s+([A-Z_]+) = "([A-Z_]+)"$/gm)].map((m) => m[2]);
    expect(names.length).toBeGreaterThan(20);
    expect(Object.values(Code).sort()).toEqual([...names].sort());
  });
});

describe("mapDiagnostics (server diagnostics onto the graph)", () => {
  const graph = toGraph(fixture("order.json"));

  it("finds the deepest state or container, the field inside it and the transition edge", () => {
    expect(locate(graph, "/States/Route/Choices/1/Next")).toEqual({
      kind: "state",
      id: "/States/Route",
      field: "/Choices/1/Next",
      edge: "/States/Route/Choices/1/Next",
    });
    expect(locate(graph, "/States/Fulfil/Branches/0/States/Ship/Resource")).toEqual({
      kind: "state",
      id: "/States/Fulfil/Branches/0/States/Ship",
      field: "/Resource",
    });
    expect(locate(graph, "/States/Fulfil/Branches/1")).toEqual({ kind: "container", id: "/States/Fulfil/Branches/1", field: "" });
    expect(locate(graph, "/States/Each/ItemProcessor/ProcessorConfig/Mode")).toMatchObject({ kind: "container", field: "/ProcessorConfig/Mode" });
    expect(locate(graph, "/")).toEqual({ kind: "definition", id: "", field: "" });
    expect(locate(graph, "/StartAt")).toEqual({ kind: "definition", id: "", field: "/StartAt", edge: "/StartAt" });
    expect(locate(graph, "not a pointer")).toEqual({ kind: "definition", id: "", field: "not a pointer" });
  });

  it("indexes diagnostics by node and by edge", () => {
    const server: Diagnostic[] = [
      { severity: "ERROR", code: "INVALID_JSONPATH", message: "bad path", location: "/States/Approve/ResultPath" },
      { severity: "ERROR", code: "MISSING_TRANSITION_TARGET", message: "gone", location: "/States/Validate/Catch/0/Next" },
      { severity: "WARNING", code: "NO_DOLLAR", message: "x", location: "/States/Approve/Result" },
    ];
    const index = mapDiagnostics(graph, server);
    expect(index.all).toHaveLength(3);
    expect(index.byNode.get("/States/Approve")?.map((d) => d.code)).toEqual(["INVALID_JSONPATH", "NO_DOLLAR"]);
    expect(index.byEdge.get("/States/Validate/Catch/0/Next")?.[0]?.target.field).toBe("/Catch/0/Next");
  });
});
