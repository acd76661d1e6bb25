import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { parseJson } from "../json/parse.ts";
import { stringifyJson } from "../json/stringify.ts";
import { flatNodes } from "../model/flatNodes.ts";
import { stateIdsByName } from "../model/lookup.ts";
import { toDefinition } from "../serialize/toDefinition.ts";
import { NotADefinitionError, toGraph } from "./toGraph.ts";

const graph = toGraph(fixture("order.json"));
const edge = (id: string) => graph.edges.find((e) => e.id === id);

describe("toGraph", () => {
  it("makes one node per state, ids being state paths", () => {
    expect([...graph.states.keys()]).toEqual([
      "/States/Validate",
      "/States/Route",
      "/States/Approve",
      "/States/Fulfil",
      "/States/Fulfil/Branches/0/States/Pack",
      "/States/Fulfil/Branches/0/States/Ship",
      "/States/Fulfil/Branches/1/States/Bill",
      "/States/Each",
      "/States/Each/ItemProcessor/States/Check",
      "/States/Each/ItemProcessor/States/Legacy",
      "/States/Each/ItemProcessor/States/Legacy/Iterator/States/Inner",
      "/States/Reject",
      "/States/Done",
    ]);
    expect(graph.states.get("/States/Route")).toMatchObject({ name: "Route", type: "Choice", parent: "", depth: 0, terminal: false });
    expect(graph.states.get("/States/Reject")?.terminal).toBe(true);
  });

  it("nests Parallel branches and Map processors (ItemProcessor and legacy Iterator) as containers", () => {
    expect(graph.states.get("/States/Fulfil")?.containers).toEqual(["/States/Fulfil/Branches/0", "/States/Fulfil/Branches/1"]);
    expect(graph.containers.get("/States/Fulfil/Branches/0")).toMatchObject({
      containerKind: "branch",
      owner: "/States/Fulfil",
      startAt: "Pack",
      children: ["/States/Fulfil/Branches/0/States/Pack", "/States/Fulfil/Branches/0/States/Ship"],
    });
    expect(graph.containers.get("/States/Each/ItemProcessor")).toMatchObject({ containerKind: "itemProcessor", owner: "/States/Each" });
    const legacy = graph.containers.get("/States/Each/ItemProcessor/States/Legacy/Iterator");
    expect(legacy).toMatchObject({ containerKind: "iterator", children: ["/States/Each/ItemProcessor/States/Legacy/Iterator/States/Inner"] });
    expect(graph.states.get("/States/Each/ItemProcessor/States/Legacy/Iterator/States/Inner")).toMatchObject({
      parent: "/States/Each/ItemProcessor/States/Legacy/Iterator",
      depth: 2,
    });
    expect([...graph.containers.keys()]).toHaveLength(5);
    expect(graph.containers.get("")?.children).toHaveLength(7);
  });

  it("keeps container fields in the owner with an empty States placeholder", () => {
    const fulfil = graph.states.get("/States/Fulfil")?.fields;
    expect(stringifyJson(fulfil?.Branches ?? null, 0)).toBe('[{"Comment":"ship","StartAt":"Pack","States":{}},{"StartAt":"Bill","States":{}}]');
    expect(stringifyJson(graph.containers.get("")?.fields ?? null, 0)).toBe(
      '{"Comment":"Order flow used by the designer tests","x-owner":"team-a","StartAt":"Validate","States":{}}',
    );
  });

  it("labels Choice rules, Default and Catch edges", () => {
    expect(edge("/States/Route/Choices/0/Next")).toMatchObject({ kind: "choice", source: "/States/Route", target: "/States/Approve", label: "$.total > 100" });
    expect(edge("/States/Route/Choices/1/Next")?.label).toBe("($.vip == true) && ($.note is not present)");
    expect(edge("/States/Route/Choices/2/Next")?.label).toBe("$.kind == $.expected");
    expect(edge("/States/Route/Default")).toMatchObject({ kind: "default", label: "Default", target: "/States/Reject" });
    expect(edge("/States/Validate/Catch/0/Next")).toMatchObject({ kind: "catch", label: "Invalid, States.TaskFailed", target: "/States/Reject" });
    expect(edge("/States/Validate/Catch/1/Next")?.label).toBe("States.ALL");
    expect(edge("/States/Validate/Next")).toMatchObject({ kind: "next", target: "/States/Route" });
    expect(edge("/States/Validate/Next")?.label).toBeUndefined();
  });

  it("adds start and end markers per container", () => {
    expect(graph.markers.get("#start")).toEqual({ kind: "start", id: "#start", parent: "" });
    expect(edge("/StartAt")).toMatchObject({ kind: "start", source: "#start", target: "/States/Validate" });
    expect(edge("/States/Fulfil/Branches/1/StartAt")).toMatchObject({ source: "/States/Fulfil/Branches/1#start", target: "/States/Fulfil/Branches/1/States/Bill" });
    const ends = graph.edges.filter((e) => e.kind === "end").map((e) => [e.source, e.target]);
    expect(ends).toEqual([
      ["/States/Fulfil/Branches/0/States/Ship", "/States/Fulfil/Branches/0#end"],
      ["/States/Fulfil/Branches/1/States/Bill", "/States/Fulfil/Branches/1#end"],
      ["/States/Each/ItemProcessor/States/Legacy/Iterator/States/Inner", "/States/Each/ItemProcessor/States/Legacy/Iterator#end"],
      ["/States/Each/ItemProcessor/States/Legacy", "/States/Each/ItemProcessor#end"],
      ["/States/Reject", "#end"],
      ["/States/Done", "#end"],
    ]);
    expect(graph.markers.size).toBe(10);
  });

  it("flags dangling transitions and keeps malformed parts verbatim", () => {
    const text = '{"StartAt":"Nope","States":{"A":{"Type":"Pass","Next":"Gone"},"B":7,"C":{"Type":"Parallel","Branches":[3,{"StartAt":"D","States":[]}],"End":true}},"Extra":[1.0]}';
    const broken = toGraph(parseJson(text));
    expect(broken.edges.filter((e) => e.dangling).map((e) => e.id)).toEqual(["/StartAt", "/States/A/Next"]);
    expect(broken.edges.find((e) => e.id === "/States/A/Next")?.target).toBe("/States/Gone");
    expect(broken.states.get("/States/B")).toMatchObject({ raw: 7, type: null });
    expect(broken.containers.get("/States/C/Branches/1")?.children).toEqual([]);
    expect(stringifyJson(toDefinition(broken), 0)).toBe(text);
  });

  it("lists nodes flat and parent-first for xyflow", () => {
    const flat = flatNodes(graph);
    const index = new Map(flat.map((node, i) => [node.id, i]));
    expect(flat).toHaveLength(graph.states.size + graph.containers.size - 1 + graph.markers.size);
    for (const node of flat) {
      if (node.parentId !== undefined) expect(index.get(node.parentId)).toBeLessThan(index.get(node.id) as number);
    }
    expect(flat.find((n) => n.id === "/States/Each/ItemProcessor")).toEqual({ id: "/States/Each/ItemProcessor", kind: "container", parentId: "/States/Each" });
    expect(flat.find((n) => n.id === "/States/Validate")).toEqual({ id: "/States/Validate", kind: "state" });
    expect(flat[0]).toEqual({ id: "#start", kind: "start" });
  });

  it("finds states by name for the live monitor (events name states, not paths)", () => {
    const byName = stateIdsByName(graph);
    expect(byName.get("Inner")).toEqual(["/States/Each/ItemProcessor/States/Legacy/Iterator/States/Inner"]);
    expect(byName.size).toBe(graph.states.size);
    const duplicated = stateIdsByName(toGraph(parseJson('{"StartAt":"A","States":{"A":{"Type":"Map","Iterator":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}},"End":true}}}')));
    expect(duplicated.get("A")).toEqual(["/States/A", "/States/A/Iterator/States/A"]);
  });

  it("refuses a definition that is not an object", () => {
    expect(() => toGraph(parseJson("[]"))).toThrow(NotADefinitionError);
  });
});
