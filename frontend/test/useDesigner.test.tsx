/** The model hook directly: transitions drawn on the canvas, loads, and the code pane contract. */
import { describe, expect, it } from "vitest";
import { act, renderHook, waitFor } from "@testing-library/react";
import { stringifyDefinition } from "@orchestrator/designer";
import { connectionKind } from "../src/editor/canvas/Canvas.tsx";
import { useDesigner } from "../src/editor/useDesigner.ts";

const DEF = {
  StartAt: "Check",
  States: {
    Check: { Type: "Choice", Choices: [], Default: "A" },
    A: { Type: "Task", Resource: "r", End: true },
    B: { Type: "Succeed" },
    F: { Type: "Fail", Error: "E" },
  },
};

const open = () => renderHook(() => useDesigner(JSON.stringify(DEF, null, 2)));
const plain = (value: unknown) => JSON.parse(stringifyDefinition(value as never)) as typeof DEF & { States: Record<string, Record<string, unknown>> };

describe("useDesigner", () => {
  it("maps a drawn connection to the transition kind of its handle", () => {
    const { result } = open();
    expect(connectionKind(result.current, "#start", "out")).toEqual({ kind: "start", source: "" });
    expect(connectionKind(result.current, "/States/Check", "out")).toEqual({ kind: "choice", source: "/States/Check" });
    expect(connectionKind(result.current, "/States/Check", "default")).toEqual({ kind: "default", source: "/States/Check" });
    expect(connectionKind(result.current, "/States/A", "out")).toEqual({ kind: "next", source: "/States/A" });
    expect(connectionKind(result.current, "/States/A", "catch")).toEqual({ kind: "catch", source: "/States/A" });
    expect(connectionKind(result.current, "/States/Nope", "out")).toBeNull();
  });

  it("draws Choice rules, Default, Catch, Next and StartAt", () => {
    const { result } = open();
    act(() => void result.current.connect("choice", "/States/Check", "/States/B"));
    act(() => void result.current.connect("default", "/States/Check", "/States/F"));
    act(() => void result.current.connect("catch", "/States/A", "/States/F"));
    act(() => void result.current.connect("next", "/States/A", "/States/B"));
    act(() => void result.current.connect("start", "", "/States/A"));
    const out = plain(result.current.state.definition);
    expect(out.States.Check).toEqual({ Type: "Choice", Choices: [{ Variable: "$.value", StringEquals: "", Next: "B" }], Default: "F" });
    expect(out.States.A).toEqual({ Type: "Task", Resource: "r", Next: "B", Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }] });
    expect(out.StartAt).toBe("A");
  });

  it("refuses a Next out of a Fail state and says why, without changing anything", () => {
    const { result } = open();
    const before = result.current.state.definition;
    let ok = true;
    act(() => void (ok = result.current.connect("next", "/States/F", "/States/B")));
    expect(ok).toBe(false);
    expect(result.current.notice).toMatch(/Fail/);
    expect(result.current.state.definition).toBe(before);
  });

  it("keeps the author's formatting of a code edit and re-prints after a canvas edit", () => {
    const { result } = open();
    const typed = JSON.stringify({ ...DEF, Comment: "typed" });
    act(() => result.current.applyCode(typed));
    expect(result.current.code).toBe(typed);
    act(() => void result.current.updateField("/Comment", "from the form"));
    expect(result.current.code).toBe(stringifyDefinition(result.current.state.definition));
    act(() => result.current.undo());
    expect(result.current.code).toBe(stringifyDefinition(result.current.state.definition));
    expect(plain(result.current.state.definition)).toEqual({ ...DEF, Comment: "typed" });
  });

  it("loads another definition with its layout, starting a new undo history", async () => {
    const { result } = open();
    act(() => void result.current.updateField("/Comment", "x"));
    expect(result.current.canUndo).toBe(true);
    act(() => void result.current.load('{"StartAt":"Only","States":{"Only":{"Type":"Succeed"}}}'));
    await waitFor(() => expect(result.current.graph.states.has("/States/Only")).toBe(true), { timeout: 10000 });
    expect(result.current.canUndo).toBe(false);
    expect(result.current.layout["/States/Only"]).toBeDefined();
    expect(result.current.layoutPending).toBe(false);
  });

  it("reuses the layout of a structure seen before: undoing a structural edit needs no new layout", async () => {
    const { result } = open();
    await waitFor(() => expect(result.current.layoutPending).toBe(false), { timeout: 10000 });
    act(() => result.current.applyCode(JSON.stringify({ ...DEF, States: { ...DEF.States, Extra: { Type: "Succeed" } } })));
    expect(result.current.layoutPending).toBe(true);
    await waitFor(() => expect(result.current.layoutPending).toBe(false), { timeout: 10000 });
    act(() => result.current.undo());
    expect(result.current.graph.states.has("/States/Extra")).toBe(false);
    expect(result.current.layoutPending).toBe(false);
  });

  it("reports a file that is not JSON instead of loading it", () => {
    const { result } = open();
    let ok = true;
    act(() => void (ok = result.current.load("{ nope")));
    expect(ok).toBe(false);
    expect(result.current.notice).toMatch(/line 1/);
    expect(result.current.graph.states.has("/States/Check")).toBe(true);
  });
});
