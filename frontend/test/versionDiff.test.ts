import { describe, expect, it } from "vitest";
import { canonical, diffLines, diffSummary, withContext } from "../src/editor/versionDiff.ts";

describe("version diff", () => {
  it("finds added and removed lines with their line numbers", () => {
    const lines = diffLines("a\nb\nc\nd", "a\nc\nx\nd");
    expect(lines.map((l) => `${l.kind[0]}${l.text}`)).toEqual(["sa", "rb", "sc", "ax", "sd"]);
    expect(lines.find((l) => l.text === "x")).toMatchObject({ oldLine: null, newLine: 3 });
    expect(diffSummary(lines)).toEqual({ added: 1, removed: 1 });
  });

  it("compares definitions, not formatting", () => {
    const a = canonical('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
    const b = canonical('{\n  "StartAt": "A",\n  "States": { "A": { "Type": "Pass", "End": true } }\n}');
    expect(diffSummary(diffLines(a, b))).toEqual({ added: 0, removed: 0 });
    const c = canonical('{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}}');
    expect(diffSummary(diffLines(a, c))).toEqual({ added: 1, removed: 0 });
  });

  it("folds long unchanged runs", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n");
    const after = before.replace("l10", "changed");
    const folded = withContext(diffLines(before, after), 2);
    expect(folded.filter((l) => l === null)).toHaveLength(2);
    expect(folded.filter((l) => l !== null)).toHaveLength(6);
  });
});
