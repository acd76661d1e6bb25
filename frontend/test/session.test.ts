import { describe, expect, it } from "vitest";
import { COMMANDS, parseDefinition, stringifyDefinition } from "@orchestrator/designer";
import { createEditorStack, EDITOR_COMMANDS, removalRoots } from "../src/editor/session.ts";

const load = (value: unknown) => createEditorStack(parseDefinition(JSON.stringify(value)));
const print = (value: unknown) => JSON.parse(stringifyDefinition(value as never)) as unknown;

const TWO = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } };

describe("editor commands", () => {
  it("inserts a state on a Next transition, continuing to the old target, as one undo step", () => {
    const stack = load(TWO);
    const before = stack.state.definition;
    stack.execute(EDITOR_COMMANDS.insertOnEdge, { edge: "/States/A/Next", name: "W", state: { Type: "Wait", Seconds: 1, End: true } });
    expect(print(stack.state.definition)).toEqual({
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "W" }, B: { Type: "Pass", End: true }, W: { Type: "Wait", Seconds: 1, Next: "B" } },
    });
    stack.undo();
    expect(stack.state.definition).toBe(before);
  });

  it("inserts on the edge into the end: the source goes on to the new state, which ends", () => {
    const stack = load(TWO);
    stack.execute(EDITOR_COMMANDS.insertOnEdge, { edge: "/States/B#end", name: "Last", state: { Type: "Pass", End: true } });
    const states = (print(stack.state.definition) as typeof TWO).States as Record<string, unknown>;
    expect(states.B).toEqual({ Type: "Pass", Next: "Last" });
    expect(states.Last).toEqual({ Type: "Pass", End: true });
  });

  it("inserts on StartAt and on a Catch", () => {
    const stack = load({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "x", Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }], End: true }, F: { Type: "Fail" } },
    });
    stack.execute(EDITOR_COMMANDS.insertOnEdge, { edge: "/StartAt", name: "P", state: { Type: "Pass", End: true } });
    stack.execute(EDITOR_COMMANDS.insertOnEdge, { edge: "/States/T/Catch/0/Next", name: "Log", state: { Type: "Pass", End: true } });
    const out = print(stack.state.definition) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    expect(out.StartAt).toBe("P");
    expect(out.States.P).toEqual({ Type: "Pass", Next: "T" });
    expect(out.States.T?.Catch).toEqual([{ ErrorEquals: ["States.ALL"], Next: "Log" }]);
    expect(out.States.Log).toEqual({ Type: "Pass", Next: "F" });
  });

  it("removes several states in one step; a removed last state makes its predecessor end", () => {
    const stack = load({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Pass", End: true } } });
    stack.execute(EDITOR_COMMANDS.removeStates, { ids: ["/States/C"] });
    expect(print(stack.state.definition)).toEqual({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } });
    stack.execute(EDITOR_COMMANDS.removeStates, { ids: ["/States/A"] });
    expect(print(stack.state.definition)).toEqual({ StartAt: "B", States: { B: { Type: "Pass", End: true } } });
    stack.undo();
    stack.undo();
    expect(print(stack.state.definition)).toEqual({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Pass", End: true } } });
  });

  it("adds several states in one step and refuses a taken name", () => {
    const stack = load(TWO);
    stack.execute(EDITOR_COMMANDS.addStates, { container: "", states: [{ name: "X", state: { Type: "Succeed" } }, { name: "Y", state: { Type: "Succeed" } }] });
    expect(Object.keys((print(stack.state.definition) as typeof TWO).States)).toEqual(["A", "B", "X", "Y"]);
    expect(stack.history()).toHaveLength(1);
    expect(stack.canExecute(COMMANDS.addState, { container: "", name: "A", state: { Type: "Succeed" } })).toMatch(/already exists/);
  });

  it("moves several nodes as one undo step", () => {
    const stack = load(TWO);
    stack.execute(EDITOR_COMMANDS.moveNodes, { moves: [{ id: "/States/A", box: { x: 1, y: 2 } }, { id: "/States/B", box: { x: 3, y: 4 } }] });
    expect(stack.state.layout).toEqual({ "/States/A": { x: 1, y: 2 }, "/States/B": { x: 3, y: 4 } });
    stack.undo();
    expect(stack.state.layout).toEqual({});
  });

  it("keeps only the outermost of nested removals", () => {
    expect(removalRoots(["/States/P/Branches/0/States/X", "/States/P", "/States/Q"])).toEqual(["/States/P", "/States/Q"]);
  });
});
