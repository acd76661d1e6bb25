import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { conformanceCaseFiles } from "../../test/shared.ts";
import { parseJson } from "../json/parse.ts";
import { isJsonObject, type JsonValue } from "../json/types.ts";
import { flatNodes } from "../model/flatNodes.ts";
import type { DesignerGraph } from "../model/types.ts";
import { toGraph } from "../parse/toGraph.ts";
import { layout, toElkGraph } from "./elk.ts";
import type { LayoutMap } from "./types.ts";

function expectNestedInsideParents(graph: DesignerGraph, boxes: LayoutMap): void {
  for (const node of flatNodes(graph)) {
    const box = boxes[node.id];
    expect(box, node.id).toBeDefined();
    expect(box?.width).toBeGreaterThan(0);
    if (node.parentId === undefined) continue;
    const parent = boxes[node.parentId];
    // Positions are relative to the parent: the child lies within [0, parent size].
    expect(box!.x, node.id).toBeGreaterThanOrEqual(0);
    expect(box!.y, node.id).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width!, node.id).toBeLessThanOrEqual(parent!.width!);
    expect(box!.y + box!.height!, node.id).toBeLessThanOrEqual(parent!.height!);
  }
}

// elkjs is CPU-heavy and the machine is shared: generous timeouts, no timing assertions.
describe("layout (elkjs)", { timeout: 60_000 }, () => {
  it("places every node, nested children inside their container's bounds", async () => {
    const graph = toGraph(fixture("order.json"));
    const boxes = await layout(graph);
    expect(Object.keys(boxes).sort()).toEqual(["", ...flatNodes(graph).map((n) => n.id)].sort());
    expectNestedInsideParents(graph, boxes);
    // Top-down flow: the start marker is above the state it points at.
    expect(boxes["#start"]!.y).toBeLessThan(boxes["/States/Validate"]!.y);
    expect(boxes["/States/Validate"]!.y).toBeLessThan(boxes["/States/Route"]!.y);
    // The Parallel's two branches sit side by side.
    const [left, right] = [boxes["/States/Fulfil/Branches/0"]!, boxes["/States/Fulfil/Branches/1"]!];
    expect(Math.max(left.x, right.x)).toBeGreaterThanOrEqual(Math.min(left.x + left.width!, right.x + right.width!));
  });

  it("uses the given state sizes and ignores dangling transitions", async () => {
    const graph = toGraph(parseJson('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Gone"},"B":{"Type":"Succeed"}}}'));
    expect(toElkGraph(graph).edges?.map((e) => e.id)).toEqual(["/StartAt", "/States/B#end"]);
    const boxes = await layout(graph, { stateSize: (node) => ({ width: node.name.length * 100, height: 10 }) });
    expect(boxes["/States/A"]).toMatchObject({ width: 100, height: 10 });
  });

  it("lays out the nested conformance definitions", async () => {
    const nested = conformanceCaseFiles()
      .map((file) => (parseJson(readFileSync(file, "utf8")) as { definition: JsonValue }).definition)
      .filter((definition) => isJsonObject(definition) && /"(Parallel|Map)"/.test(JSON.stringify(definition)))
      .slice(0, 20);
    expect(nested.length).toBe(20);
    for (const definition of nested) {
      const graph = toGraph(definition);
      expectNestedInsideParents(graph, await layout(graph));
    }
  });
});
