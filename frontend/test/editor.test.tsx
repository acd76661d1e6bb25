/**
 * The editor as a user drives it: palette, canvas drops, inspector edits, the code pane
 * both ways, validation markers, undo and keyboard shortcuts.
 */
import { describe, expect, it } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { diagnosticCount } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { PALETTE_MIME } from "../src/editor/stateTemplates.ts";
import { codeText, codeView, definitionIn, renderEditor, SUM, TWO_STEPS, typeCode, waitForLayout, waitForNode } from "./helpers.tsx";

type Def = { StartAt: string; States: Record<string, Record<string, unknown>> };

/** A drag payload as the browser hands it over. */
function dataTransfer(id: string): DataTransfer {
  const data: Record<string, string> = { [PALETTE_MIME]: id };
  return {
    types: Object.keys(data),
    getData: (type: string) => data[type] ?? "",
    setData: (type: string, value: string) => void (data[type] = value),
    dropEffect: "copy",
    effectAllowed: "copy",
  } as unknown as DataTransfer;
}

async function selectNode(container: HTMLElement, name: string): Promise<void> {
  const node = await waitForNode(container, name);
  fireEvent.click(node);
  await screen.findByText(name, { selector: ".inspector-title" });
}

describe("editor", () => {
  it("opens the sum tutorial on the canvas and in the code pane", async () => {
    const { container } = renderEditor(SUM);
    await waitForNode(container, "sum");
    expect(within(container.querySelector('[data-testid="node-sum"]') as HTMLElement).getByText("Task · ƒ sum")).toBeTruthy();
    expect(definitionIn(container)).toEqual(SUM);
    expect((container.querySelector(".toolbar-status") as HTMLElement).textContent).toBe("1 states · 0 errors");
  });

  it("offers all eight state types and the five Task presets as focusable, labelled buttons", () => {
    renderEditor(SUM);
    const palette = screen.getByRole("navigation", { name: "States" });
    const items = within(palette).getAllByRole("button");
    expect(items.map((item) => item.getAttribute("aria-label"))).toEqual([
      "Add Task", "Add Pass", "Add Choice", "Add Wait", "Add Succeed", "Add Fail", "Add Parallel", "Add Map",
      "Add Function", "Add HTTP request", "Add Run a workflow", "Add Wait for callback", "Add Celery task",
    ]);
    for (const item of items) expect(item.getAttribute("draggable")).toBe("true");
  });

  it("filters the palette by search", async () => {
    renderEditor(SUM);
    await userEvent.type(screen.getByRole("searchbox", { name: "Search states" }), "celery");
    expect(within(screen.getByRole("navigation", { name: "States" })).getAllByRole("button").map((b) => b.textContent)).toEqual([
      "Celery taskSend a Celery task and wait",
    ]);
  });

  it("adds a palette item with the keyboard after the selected state, and undoes it with Ctrl+Z", async () => {
    const { container } = renderEditor(TWO_STEPS);
    await selectNode(container, "First");
    screen.getByRole("button", { name: "Add Wait" }).focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect((definitionIn(container) as Def).States.First).toEqual({ Type: "Pass", Next: "Wait" }));
    expect((definitionIn(container) as Def).States.Wait).toEqual({ Type: "Wait", Seconds: 5, Next: "Second" });
    await waitForNode(container, "Wait");

    fireEvent.keyDown(container.querySelector(".canvas") as HTMLElement, { key: "z", ctrlKey: true });
    await waitFor(() => expect(definitionIn(container)).toEqual(TWO_STEPS));
  });

  it("inserts a state dropped on a transition between its two ends", async () => {
    const { container } = renderEditor(TWO_STEPS);
    await waitForNode(container, "First");
    await waitForLayout(container);
    // The insert point is re-rendered when the layout arrives: look it up for each event.
    const drop = (): HTMLElement => {
      const target = container.querySelector('[data-testid="drop-/States/First/Next"]');
      if (!(target instanceof HTMLElement)) throw new Error("edge not rendered yet");
      return target;
    };
    // Insert points appear while a palette item is dragged.
    expect(container.querySelector('[data-testid="drop-/States/First/Next"]')).toBeNull();
    fireEvent.dragStart(screen.getByRole("button", { name: "Add Function" }), { dataTransfer: dataTransfer("task.function") });
    await waitFor(drop);
    fireEvent.dragOver(drop(), { dataTransfer: dataTransfer("task.function") });
    expect(drop().classList.contains("over")).toBe(true);
    fireEvent.drop(drop(), { dataTransfer: dataTransfer("task.function") });
    await waitFor(() => expect((definitionIn(container) as Def).States.First?.Next).toBe("Invoke"));
    expect((definitionIn(container) as Def).States.Invoke).toEqual({
      Type: "Task",
      Resource: "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/my-function",
      Next: "Second",
    });
  });

  it("adds a state dropped on the canvas", async () => {
    const { container } = renderEditor(SUM);
    await waitForNode(container, "sum");
    fireEvent.drop(container.querySelector(".canvas") as HTMLElement, { dataTransfer: dataTransfer("Parallel"), clientX: 300, clientY: 300 });
    await waitForNode(container, "Parallel");
    const parallel = (definitionIn(container) as Def).States.Parallel as { Branches: { StartAt: string }[] };
    expect(parallel.Branches.map((b) => b.StartAt)).toEqual(["Branch1", "Branch2"]);
    // Drawn as a container holding its branches.
    await waitFor(() => expect(container.querySelectorAll('[data-container^="/States/Parallel/Branches/"]')).toHaveLength(2));
  });

  it("edits a state in the inspector: each field change is one change of the definition", async () => {
    const { container } = renderEditor(SUM);
    await selectNode(container, "sum");
    const timeout = screen.getByLabelText("TimeoutSeconds");
    await userEvent.type(timeout, "30");
    fireEvent.blur(timeout);
    await waitFor(() => expect((definitionIn(container) as Def).States.sum?.TimeoutSeconds).toBe(30));
    // Field order is the author's: the new field is appended.
    expect(Object.keys((definitionIn(container) as Def).States.sum ?? {})).toEqual(["Type", "Resource", "End", "TimeoutSeconds"]);

    const resource = screen.getByLabelText("Resource");
    await userEvent.clear(resource);
    await userEvent.type(resource, "arn:aws:states:::http:invoke{Enter}");
    await waitFor(() => expect((definitionIn(container) as Def).States.sum?.Resource).toBe("arn:aws:states:::http:invoke"));

    const name = screen.getByLabelText("Name");
    await userEvent.clear(name);
    await userEvent.type(name, "add{Enter}");
    await waitFor(() => expect((definitionIn(container) as Def).StartAt).toBe("add"));
    await waitForNode(container, "add");
  });

  it("edits a JSON-valued field: valid JSON is applied, invalid JSON is marked and not applied", async () => {
    const { container } = renderEditor({ StartAt: "P", States: { P: { Type: "Pass", Result: { a: 1 }, End: true } } });
    await selectNode(container, "P");
    const field = screen.getByRole("textbox", { name: "Result" });
    const view = EditorView.findFromDOM(field.closest(".cm-editor") as HTMLElement) as EditorView;
    act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '{ "a": 2, "b": [1.0] }' } }));
    await waitFor(() => expect((definitionIn(container) as Def).States.P?.Result).toEqual({ a: 2, b: [1] }));
    // Lossless: the author's 1.0 stays 1.0 in the definition text.
    expect(codeText(container)).toContain("1.0");

    act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '{ "a": ' } }));
    expect(await screen.findByText(/Not valid JSON \(not applied\)/)).toBeTruthy();
    expect((definitionIn(container) as Def).States.P?.Result).toEqual({ a: 2, b: [1] });
  });

  it("rejects a number field that is not a number without changing the definition", async () => {
    const { container } = renderEditor(SUM);
    await selectNode(container, "sum");
    const before = codeText(container);
    const timeout = screen.getByLabelText("TimeoutSeconds");
    await userEvent.type(timeout, "soon");
    fireEvent.blur(timeout);
    expect(await screen.findByText("Not a number")).toBeTruthy();
    expect(codeText(container)).toBe(before);
  });

  it("follows a code edit on the canvas at once", async () => {
    const { container } = renderEditor(SUM);
    await waitForNode(container, "sum");
    const next = { ...SUM, States: { sum: { ...SUM.States.sum, End: undefined, Next: "Report" }, Report: { Type: "Succeed" } } };
    act(() => typeCode(container, JSON.stringify(next, null, 2)));
    await waitForNode(container, "Report");
    expect(screen.getByRole("button", { name: "Undo" })).toHaveProperty("disabled", false);
  });

  it("marks an invalid code edit in place and keeps the canvas", async () => {
    const { container } = renderEditor(SUM);
    await waitForNode(container, "sum");
    act(() => typeCode(container, '{ "StartAt": "sum", "States": { '));
    await screen.findByText("Invalid JSON: the canvas shows the last valid version");
    await waitFor(() => expect(diagnosticCount(codeView(container).state)).toBe(1));
    expect(container.querySelector('[data-testid="node-sum"]')).not.toBeNull();
    // The author's broken text stays in the pane.
    expect(codeText(container)).toBe('{ "StartAt": "sum", "States": { ');
  });

  it("shows validation problems on the node and in the code", async () => {
    const broken = { StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" } } };
    const { container } = renderEditor(broken);
    const node = await waitForNode(container, "A");
    expect(node.classList.contains("invalid")).toBe(true);
    expect(within(node).getByRole("img").getAttribute("title")).toContain("MISSING_TRANSITION_TARGET");
    await waitFor(() => expect(diagnosticCount(codeView(container).state)).toBeGreaterThan(0));
  });

  it("lists the workflow's problems; choosing one selects its state", async () => {
    const { container } = renderEditor({ StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" } } });
    await waitForNode(container, "A");
    const list = screen.getByRole("region", { name: "Problems" });
    await userEvent.click(within(list).getAllByRole("button")[0] as HTMLElement);
    await screen.findByText("A", { selector: ".inspector-title" });
    fireEvent.keyDown(container.querySelector(".canvas") as HTMLElement, { key: "Escape" });
    await screen.findByText("Workflow", { selector: ".inspector-title" });
  });

  it("moves the selected state with the arrow keys, as an undoable edit", async () => {
    const { container } = renderEditor(TWO_STEPS);
    await selectNode(container, "First");
    await waitForLayout(container);
    const wrapper = container.querySelector('.react-flow__node[data-id="/States/First"]') as HTMLElement;
    const before = wrapper.style.transform;
    wrapper.focus();
    fireEvent.keyDown(wrapper, { key: "ArrowRight" });
    await waitFor(() => expect(wrapper.style.transform).not.toBe(before));
    const undo = screen.getByRole("button", { name: "Undo" });
    await waitFor(() => expect(undo).toHaveProperty("disabled", false));
    await userEvent.click(undo);
    await waitFor(() => expect(wrapper.style.transform).toBe(before));
  });

  it("duplicates, copies, pastes and deletes with the keyboard", async () => {
    const { container } = renderEditor(TWO_STEPS);
    await selectNode(container, "Second");
    const canvas = container.querySelector(".canvas") as HTMLElement;
    fireEvent.keyDown(canvas, { key: "d", ctrlKey: true });
    await waitFor(() => expect(Object.keys((definitionIn(container) as Def).States)).toEqual(["First", "Second", "Second2"]));

    fireEvent.keyDown(canvas, { key: "c", ctrlKey: true });
    fireEvent.keyDown(canvas, { key: "v", ctrlKey: true });
    await waitFor(() => expect(Object.keys((definitionIn(container) as Def).States)).toEqual(["First", "Second", "Second2", "Second3"]));

    fireEvent.keyDown(canvas, { key: "Delete" });
    await waitFor(() => expect(Object.keys((definitionIn(container) as Def).States)).toEqual(["First", "Second", "Second2"]));
  });

  it("connects Next from the inspector and ends a state from it", async () => {
    const { container } = renderEditor({ StartAt: "A", States: { A: { Type: "Pass", End: true }, B: { Type: "Succeed" } } });
    await selectNode(container, "A");
    await userEvent.selectOptions(screen.getByLabelText("Next"), "B");
    await waitFor(() => expect((definitionIn(container) as Def).States.A).toEqual({ Type: "Pass", Next: "B" }));
    await userEvent.selectOptions(screen.getByLabelText("Next"), "End here (End: true)");
    await waitFor(() => expect((definitionIn(container) as Def).States.A).toEqual({ Type: "Pass", End: true }));
  });
});
