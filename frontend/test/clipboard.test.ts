import { describe, expect, it } from "vitest";
import { parseDefinition, stringifyDefinition, type JsonObject } from "@orchestrator/designer";
import { prepareCopies } from "../src/editor/clipboard.ts";

const obj = (value: unknown): JsonObject => parseDefinition(JSON.stringify(value));
const plain = (value: unknown): unknown => JSON.parse(stringifyDefinition(value as never));

describe("prepareCopies", () => {
  it("renames copies to free names and follows transitions between them", () => {
    const copies = prepareCopies(
      [
        { name: "A", state: obj({ Type: "Pass", Next: "B" }) },
        { name: "B", state: obj({ Type: "Pass", Next: "Outside" }) },
      ],
      new Set(["A", "B", "Outside"]),
    );
    expect(copies.map((c) => c.name)).toEqual(["A2", "B2"]);
    expect(plain(copies[0]?.state)).toEqual({ Type: "Pass", Next: "B2" });
    expect(plain(copies[1]?.state)).toEqual({ Type: "Pass", Next: "Outside" });
  });

  it("numbers a copy of a numbered name from its stem", () => {
    const [copy] = prepareCopies([{ name: "Task2", state: obj({ Type: "Succeed" }) }], new Set(["Task", "Task2"]));
    expect(copy?.name).toBe("Task3");
  });

  it("renames the states nested in a Parallel's branches (names are unique machine-wide)", () => {
    const [copy] = prepareCopies(
      [{ name: "P", state: obj({ Type: "Parallel", Branches: [{ StartAt: "L", States: { L: { Type: "Pass", Next: "M" }, M: { Type: "Pass", End: true } } }], End: true }) }],
      new Set(["P", "L", "M"]),
    );
    expect(copy?.name).toBe("P2");
    expect(plain(copy?.state)).toEqual({
      Type: "Parallel",
      Branches: [{ StartAt: "L2", States: { L2: { Type: "Pass", Next: "M2" }, M2: { Type: "Pass", End: true } } }],
      End: true,
    });
  });
});
