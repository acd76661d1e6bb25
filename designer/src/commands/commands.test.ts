import { describe, expect, it } from "vitest";
import { fixture } from "../../test/fixtures.ts";
import { orderedKeys } from "../json/object.ts";
import { getAt } from "../json/pointer.ts";
import { stringifyJson } from "../json/stringify.ts";
import type { JsonObject } from "../json/types.ts";
import { graphOf } from "../model/graphOf.ts";
import { parseDefinition } from "../parse/parseDefinition.ts";
import { CommandRefusedError, CommandStack, type ChangedEvent } from "./CommandStack.ts";
import type { EditorState } from "./editorState.ts";
import { COMMANDS, createDesignerCommandStack } from "./index.ts";

const print = (definition: JsonObject) => stringifyJson(definition);

/** Run one command, check that undo gives back the exact previous state and redo the new one. */
function runUndoable(stack: CommandStack<EditorState>, command: string, context: unknown): EditorState {
  const before = stack.state;
  const beforeText = print(before.definition);
  const after = stack.execute(command, context);
  const afterText = print(after.definition);
  expect(afterText).not.toBe(beforeText);
  stack.undo();
  expect(print(stack.state.definition)).toBe(beforeText);
  expect(stack.state).toBe(before);
  stack.redo();
  expect(print(stack.state.definition)).toBe(afterText);
  expect(stack.state.layout).toEqual(after.layout);
  return stack.state;
}

const newStack = () => createDesignerCommandStack(fixture("order.json"), { "/States/Fulfil": { x: 1, y: 2 }, "/States/Fulfil/Branches/0/States/Pack": { x: 3, y: 4 } });
const at = (state: EditorState, pointer: string) => getAt(state.definition, pointer);

describe("state.rename", () => {
  it("renames the key in place and updates StartAt, Next, Default, Choices[*].Next and Catch[*].Next", () => {
    const stack = newStack();
    let state = runUndoable(stack, COMMANDS.renameState, { id: "/States/Reject", name: "Refuse" });
    expect(orderedKeys(at(state, "/States") as JsonObject)).toEqual(["Validate", "Route", "Approve", "Fulfil", "Each", "Refuse", "Done"]);
    expect(at(state, "/States/Route/Default")).toBe("Refuse");
    expect(at(state, "/States/Validate/Catch/0/Next")).toBe("Refuse");
    expect(at(state, "/States/Validate/Catch/1/Next")).toBe("Refuse");

    state = runUndoable(stack, COMMANDS.renameState, { id: "/States/Validate", name: "Check order" });
    expect(at(state, "/StartAt")).toBe("Check order");
    state = runUndoable(stack, COMMANDS.renameState, { id: "/States/Approve", name: "OK" });
    expect(at(state, "/States/Route/Choices/0/Next")).toBe("OK");
    state = runUndoable(stack, COMMANDS.renameState, { id: "/States/Fulfil/Branches/0/States/Pack", name: "Box" });
    expect(at(state, "/States/Fulfil/Branches/0/StartAt")).toBe("Box");
    expect(graphOf(state.definition).edges.filter((e) => e.dangling)).toEqual([]);
    // Nothing else changed: renaming back gives the original text.
    for (const [id, name] of [
      ["/States/Fulfil/Branches/0/States/Box", "Pack"],
      ["/States/OK", "Approve"],
      ["/States/Check order", "Validate"],
      ["/States/Refuse", "Reject"],
    ]) stack.execute(COMMANDS.renameState, { id, name });
    expect(print(stack.state.definition)).toBe(print(fixture("order.json")));
  });

  it("keeps source order with integer-like state names", () => {
    const text = '{"StartAt":"b","States":{"b":{"Type":"Pass","Next":"2"},"2":{"Type":"Pass","Next":"b","End":false}}}';
    const stack = createDesignerCommandStack(parseDefinition(text));
    const state = stack.execute(COMMANDS.renameState, { id: "/States/b", name: "10" });
    expect(stringifyJson(state.definition, 0)).toBe('{"StartAt":"10","States":{"10":{"Type":"Pass","Next":"2"},"2":{"Type":"Pass","Next":"10","End":false}}}');
    stack.undo();
    expect(stringifyJson(stack.state.definition, 0)).toBe(text);
  });

  it("re-keys the layout of the state and everything nested in it", () => {
    const stack = newStack();
    const state = stack.execute(COMMANDS.renameState, { id: "/States/Fulfil", name: "Ship it" });
    expect(state.layout).toEqual({ "/States/Ship it": { x: 1, y: 2 }, "/States/Ship it/Branches/0/States/Pack": { x: 3, y: 4 } });
    expect(at(state, "/States/Approve/Next")).toBe("Ship it");
    expect(at(state, "/States/Route/Choices/1/Next")).toBe("Ship it");
  });

  it("follows a self-loop and refuses names that exist anywhere in the machine", () => {
    const stack = createDesignerCommandStack(JSON.parse('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}'));
    expect(stack.execute(COMMANDS.renameState, { id: "/States/A", name: "B" }).definition).toEqual({ StartAt: "B", States: { B: { Type: "Pass", Next: "B" } } });
    const order = newStack();
    expect(order.canExecute(COMMANDS.renameState, { id: "/States/Approve", name: "Pack" })).toMatch(/already exists/);
    expect(order.canExecute(COMMANDS.renameState, { id: "/States/Approve", name: "" })).toMatch(/non-empty/);
    expect(order.canExecute(COMMANDS.renameState, { id: "/States/Approve", name: "x".repeat(81) })).toMatch(/80/);
    expect(() => order.execute(COMMANDS.renameState, { id: "/States/Nope", name: "X" })).toThrow(CommandRefusedError);
    expect(order.canUndo()).toBe(false);
  });
});

describe("state.add / state.remove", () => {
  it("adds a state at the end of a container's States, with an optional position", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.addState, {
      container: "/States/Fulfil/Branches/1",
      name: "Audit",
      state: { Type: "Pass", End: true },
      position: { x: 10, y: 20 },
    });
    expect(orderedKeys(at(state, "/States/Fulfil/Branches/1/States") as JsonObject)).toEqual(["Bill", "Audit"]);
    expect(state.layout["/States/Fulfil/Branches/1/States/Audit"]).toEqual({ x: 10, y: 20 });
    expect(stack.canExecute(COMMANDS.addState, { container: "", name: "Bill", state: { Type: "Pass" } })).toMatch(/already exists/);
    expect(stack.canExecute(COMMANDS.addState, { container: "/States/Nope", name: "X", state: { Type: "Pass" } })).toMatch(/no States object/);
  });

  it("removes a state leaving its incoming transitions dangling (flagged)", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.removeState, { id: "/States/Approve" });
    expect(at(state, "/States/Approve")).toBeUndefined();
    const dangling = graphOf(state.definition).edges.filter((e) => e.dangling).map((e) => e.id);
    expect(dangling).toEqual(["/States/Route/Choices/0/Next"]);
  });

  it("re-wires incoming transitions to the removed state's Next as one undoable step", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.removeState, { id: "/States/Approve", rewire: true });
    expect(at(state, "/States/Route/Choices/0/Next")).toBe("Fulfil");
    expect(graphOf(state.definition).edges.filter((e) => e.dangling)).toEqual([]);
    const [step] = stack.history();
    expect(step?.command).toBe(COMMANDS.removeState);
    expect(step?.operations.map((op) => op.command)).toEqual([COMMANDS.updateField, COMMANDS.removeState]);
  });

  it("re-wires StartAt too and drops the layout of a removed container's content", () => {
    const stack = newStack();
    const state = stack.execute(COMMANDS.removeState, { id: "/States/Fulfil/Branches/0/States/Pack", rewire: true });
    expect(at(state, "/States/Fulfil/Branches/0/StartAt")).toBe("Ship");
    const removed = stack.execute(COMMANDS.removeState, { id: "/States/Fulfil" });
    expect(removed.layout).toEqual({});
  });
});

describe("transition.connect / transition.disconnect", () => {
  it("connect next puts Next where End was", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.connect, { kind: "next", source: "/States/Fulfil/Branches/0/States/Ship", target: "Pack" });
    expect(stringifyJson(at(state, "/States/Fulfil/Branches/0/States/Ship") ?? null, 0)).toBe('{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Next":"Pack"}');
  });

  it("retargets and appends Choice rules, Default and catchers", () => {
    const stack = newStack();
    let state = runUndoable(stack, COMMANDS.connect, { kind: "choice", source: "/States/Route", target: "Done", index: 2 });
    expect(at(state, "/States/Route/Choices/2/Next")).toBe("Done");
    state = runUndoable(stack, COMMANDS.connect, { kind: "choice", source: "/States/Route", target: "Each", rule: { Variable: "$.bulk", BooleanEquals: true } });
    expect(stringifyJson(at(state, "/States/Route/Choices/3") ?? null, 0)).toBe('{"Variable":"$.bulk","BooleanEquals":true,"Next":"Each"}');
    expect(graphOf(state.definition).edges.find((e) => e.id === "/States/Route/Choices/3/Next")?.label).toBe("$.bulk == true");
    state = runUndoable(stack, COMMANDS.connect, { kind: "default", source: "/States/Route", target: "Done" });
    expect(at(state, "/States/Route/Default")).toBe("Done");
    state = runUndoable(stack, COMMANDS.connect, { kind: "catch", source: "/States/Fulfil", target: "Reject", errorEquals: ["States.BranchFailed"] });
    expect(stringifyJson(at(state, "/States/Fulfil/Catch") ?? null, 0)).toBe('[{"ErrorEquals":["States.BranchFailed"],"Next":"Reject"}]');
    state = runUndoable(stack, COMMANDS.connect, { kind: "start", source: "", target: "Route" });
    expect(at(state, "/StartAt")).toBe("Route");
  });

  it("refuses transitions that would leave their States object or do not fit the state type", () => {
    const stack = newStack();
    expect(stack.canExecute(COMMANDS.connect, { kind: "next", source: "/States/Approve", target: "Pack" })).toMatch(/inside one States object/);
    expect(stack.canExecute(COMMANDS.connect, { kind: "next", source: "/States/Route", target: "Done" })).toMatch(/Choice/);
    expect(stack.canExecute(COMMANDS.connect, { kind: "default", source: "/States/Approve", target: "Done" })).toMatch(/cannot have a default/);
    expect(stack.canExecute(COMMANDS.connect, { kind: "next", source: "/States/Done", target: "Approve" })).toMatch(/Succeed/);
    expect(stack.canExecute(COMMANDS.connect, { kind: "choice", source: "/States/Route", target: "Done", index: 9 })).toMatch(/no choice entry 9/);
  });

  it("disconnect removes the field, or the whole Choice rule / catcher", () => {
    const stack = newStack();
    let state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Route/Choices/1/Next" });
    expect((at(state, "/States/Route/Choices") as unknown[]).length).toBe(2);
    state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Validate/Catch/0/Next" });
    expect(stringifyJson(at(state, "/States/Validate/Catch") ?? null, 0)).toBe('[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Reject"}]');
    state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Route/Default" });
    expect(at(state, "/States/Route/Default")).toBeUndefined();
    state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Approve/Next", end: true });
    expect(stringifyJson(at(state, "/States/Approve") ?? null, 0)).toBe('{"Type":"Pass","Result":{"approved":true},"ResultPath":"$.approval","End":true}');
    state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Approve#end" });
    expect(orderedKeys(at(state, "/States/Approve") as JsonObject)).toEqual(["Type", "Result", "ResultPath"]);
    state = runUndoable(stack, COMMANDS.disconnect, { edge: "/States/Each/Next" });
    expect(at(state, "/States/Each/Next")).toBeUndefined();
    expect(stack.canExecute(COMMANDS.disconnect, { edge: "/States/Done#end" })).toMatch(/always ends/);
  });
});

describe("state.move", () => {
  it("moves a state into a branch; its transitions dangle until reconnected", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.moveState, { id: "/States/Approve", to: "/States/Fulfil/Branches/1", position: { x: 5, y: 5 } });
    expect(at(state, "/States/Approve")).toBeUndefined();
    expect(orderedKeys(at(state, "/States/Fulfil/Branches/1/States") as JsonObject)).toEqual(["Bill", "Approve"]);
    const dangling = graphOf(state.definition).edges.filter((e) => e.dangling).map((e) => e.id);
    expect(dangling.sort()).toEqual(["/States/Fulfil/Branches/1/States/Approve/Next", "/States/Route/Choices/0/Next"]);
    expect(state.layout["/States/Fulfil/Branches/1/States/Approve"]).toEqual({ x: 5, y: 5 });
  });

  it("moves a container state out to the top level, re-keying nested layout", () => {
    const stack = newStack();
    const state = runUndoable(stack, COMMANDS.moveState, { id: "/States/Each/ItemProcessor/States/Legacy", to: "" });
    expect(orderedKeys(at(state, "/States") as JsonObject).at(-1)).toBe("Legacy");
    expect(graphOf(state.definition).containers.has("/States/Legacy/Iterator")).toBe(true);
  });

  it("refuses moving a state into itself or where it already is", () => {
    const stack = newStack();
    expect(stack.canExecute(COMMANDS.moveState, { id: "/States/Fulfil", to: "/States/Fulfil/Branches/0" })).toMatch(/own branches/);
    expect(stack.canExecute(COMMANDS.moveState, { id: "/States/Fulfil", to: "" })).toMatch(/already/);
  });
});

describe("field.update / definition.replace / layout", () => {
  it("sets a field in place, appends a new one, removes one", () => {
    const stack = newStack();
    let state = runUndoable(stack, COMMANDS.updateField, { pointer: "/States/Validate/Resource", value: "arn:x" });
    expect(orderedKeys(at(state, "/States/Validate") as JsonObject)).toEqual(["Type", "Resource", "Next", "Retry", "Catch"]);
    state = runUndoable(stack, COMMANDS.updateField, { pointer: "/States/Validate/TimeoutSeconds", value: 30 });
    expect(orderedKeys(at(state, "/States/Validate") as JsonObject).at(-1)).toBe("TimeoutSeconds");
    state = runUndoable(stack, COMMANDS.updateField, { pointer: "/x-owner", remove: true });
    expect(orderedKeys(state.definition)).toEqual(["Comment", "StartAt", "States"]);
    // Untouched numbers keep their text (BackoffRate 2.0).
    expect(print(state.definition)).toContain('"BackoffRate": 2.0');
  });

  it("refuses pointers into nothing", () => {
    const stack = newStack();
    expect(stack.canExecute(COMMANDS.updateField, { pointer: "/States/Nope/Next", value: "A" })).toMatch(/nothing at/);
    expect(stack.canExecute(COMMANDS.updateField, { pointer: "", value: {} })).toMatch(/definition.replace/);
    expect(stack.canExecute(COMMANDS.updateField, { pointer: "/States/Validate/Retry/5", value: {} })).toMatch(/no array item/);
    expect(stack.canExecute(COMMANDS.updateField, { pointer: "/Comment" })).toMatch(/either/);
  });

  it("replaces the definition and moves nodes undoably", () => {
    const stack = newStack();
    runUndoable(stack, COMMANDS.replaceDefinition, { definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } });
    const before = stack.state.layout;
    stack.execute(COMMANDS.moveNode, { id: "/States/A", box: { x: 9, y: 9 } });
    expect(stack.state.layout["/States/A"]).toEqual({ x: 9, y: 9 });
    stack.undo();
    expect(stack.state.layout).toBe(before);
    stack.execute(COMMANDS.applyLayout, { layout: { "/States/A": { x: 0, y: 0 } } });
    expect(stack.state.layout).toEqual({ "/States/A": { x: 0, y: 0 } });
  });
});

describe("CommandStack", () => {
  const counter = () =>
    new CommandStack({ n: 0 })
      .register<{ by: number }>("add", { execute: (s, { by }) => ({ n: s.n + by }), canExecute: (_s, { by }) => by !== 0 || "zero" })
      .register<{ by: number }>("addTwice", {
        preExecute: (ctx, stack) => stack.execute("add", ctx),
        execute: (s) => s,
        postExecute: (ctx, stack) => stack.execute("add", ctx),
      })
      .register<{ by: number }>("addThenFail", {
        preExecute: (ctx, stack) => stack.execute("add", ctx),
        execute: (s) => s,
        postExecute: () => {
          throw new Error("boom");
        },
      })
      .register("nested", { execute: (s) => ((stack as CommandStack<{ n: number }>).execute("add", { by: 1 }), s) });
  let stack: CommandStack<{ n: number }>;

  it("groups nested commands into one undo step and clears redo on a new command", () => {
    stack = counter();
    const events: ChangedEvent<{ n: number }>[] = [];
    stack.on((event) => events.push(event));
    stack.execute("addTwice", { by: 2 });
    expect(stack.state.n).toBe(4);
    expect(stack.history()).toHaveLength(1);
    stack.undo();
    expect(stack.state.n).toBe(0);
    stack.redo();
    expect(stack.state.n).toBe(4);
    stack.undo();
    stack.execute("add", { by: 1 });
    expect(stack.canRedo()).toBe(false);
    expect(events.map((e) => [e.trigger, e.command, e.state.n])).toEqual([
      ["execute", "addTwice", 4],
      ["undo", "addTwice", 0],
      ["redo", "addTwice", 4],
      ["undo", "addTwice", 0],
      ["execute", "add", 1],
    ]);
  });

  it("rolls a failed step back completely", () => {
    stack = counter();
    expect(() => stack.execute("addThenFail", { by: 5 })).toThrow("boom");
    expect(stack.state.n).toBe(0);
    expect(stack.canUndo()).toBe(false);
    expect(() => stack.execute("add", { by: 0 })).toThrow(/zero/);
  });

  it("refuses to execute from inside a handler's execute (atomic guard)", () => {
    stack = counter();
    expect(() => stack.execute("nested", {})).toThrow(/inside another command/);
    expect(stack.state.n).toBe(0);
    stack.execute("add", { by: 1 });
    expect(stack.state.n).toBe(1);
  });

  it("refuses unknown commands and double registration", () => {
    stack = counter();
    expect(() => stack.execute("nope", {})).toThrow(/No handler/);
    expect(() => stack.register("add", { execute: (s) => s })).toThrow(/already registered/);
  });
});
