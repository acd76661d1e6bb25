import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { EditorView } from "@codemirror/view";
import { FunctionsPage, DEFAULT_SOURCE } from "../../src/pages/FunctionsPage.tsx";
import { RolesPage } from "../../src/pages/RolesPage.tsx";
import { answer, mockApi, page, renderPage, type Call } from "./mockApi.tsx";

const SUM = {
  id: 4, name: "sum", description: "", source: "def handler(event, context):\n    return sum(event['values'])\n", handler: "handler",
  timeout_s: 3, memory_mb: 128, environment: { MODE: "test" }, content_hash: "x", created_at: "2026-11-22T10:00:00Z", updated_at: "2026-11-22T10:00:00Z",
};

afterEach(() => vi.unstubAllGlobals());

function sourceView(): EditorView {
  const element = document.querySelector(".code-box .cm-editor");
  const view = element instanceof HTMLElement ? EditorView.findFromDOM(element) : null;
  if (view === null) throw new Error("no source editor");
  return view;
}

describe("functions page", () => {
  it("edits a function's timeout, environment and source and saves them with PATCH", async () => {
    const { calls } = mockApi({
      "GET /api/functions/": page([SUM]),
      "PATCH /api/functions/4/": (call: Call) => ({ ...SUM, ...(call.body as object), updated_at: "2026-11-22T11:00:00Z" }),
    });
    renderPage(<FunctionsPage />);
    await userEvent.click(await screen.findByTestId("function-item-sum"));
    expect(sourceView().state.doc.toString()).toBe(SUM.source);
    expect((screen.getByTestId("function-name") as HTMLInputElement).readOnly).toBe(true);

    await userEvent.clear(screen.getByTestId("function-timeout"));
    await userEvent.type(screen.getByTestId("function-timeout"), "10");
    await userEvent.click(screen.getByTestId("function-env-add"));
    await userEvent.type(screen.getByLabelText("Variable 2 name"), "LEVEL");
    await userEvent.type(screen.getByLabelText("Variable 2 value"), "debug");
    const view = sourceView();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: "def handler(event, context):\n    return 1\n" } });
    await userEvent.click(screen.getByTestId("function-save"));

    await screen.findByText(/Saved at/);
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(patch.body).toEqual({
      description: "", handler: "handler", source: "def handler(event, context):\n    return 1\n", timeout_s: 10, memory_mb: 128,
      environment: { MODE: "test", LEVEL: "debug" },
    });
  });

  it("creates a function from the starter source", async () => {
    const { calls } = mockApi({
      "GET /api/functions/": page([]),
      "POST /api/functions/": (call: Call) => answer(201, { ...SUM, id: 9, ...(call.body as object) }),
    });
    renderPage(<FunctionsPage />);
    await screen.findByText(/No functions yet/);
    await userEvent.click(screen.getByTestId("function-new"));
    await userEvent.click(screen.getByTestId("function-save"));
    expect((await screen.findByTestId("form-error")).textContent).toContain("Name is required");
    await userEvent.type(screen.getByTestId("function-name"), "echo");
    await userEvent.click(screen.getByTestId("function-save"));
    await screen.findByTestId("function-item-echo");
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toMatchObject({ name: "echo", source: DEFAULT_SOURCE, handler: "handler", timeout_s: 3, memory_mb: 128, environment: {} });
  });

  it("test-invokes with a JSON event and shows the result, or the error and cause", async () => {
    let ok = true;
    const { calls } = mockApi({
      "GET /api/functions/": page([SUM]),
      "POST /api/functions/4/invoke/": () => (ok
        ? { ok: true, payload: 15, error: null, cause: null, logs: "adding\n", duration_ms: 12 }
        : { ok: false, payload: null, error: "KeyError", cause: "'values'", logs: null, duration_ms: 3 }),
    });
    renderPage(<FunctionsPage />);
    await userEvent.click(await screen.findByTestId("function-item-sum"));
    const event = screen.getByTestId("function-event");
    await userEvent.clear(event);
    await userEvent.click(event);
    await userEvent.paste('{"values": [1, 2, 3, 4, 5]}');
    await userEvent.click(screen.getByTestId("function-invoke"));
    const result = await screen.findByTestId("function-result");
    expect(result.getAttribute("data-ok")).toBe("true");
    expect(result.textContent).toContain("15");
    expect(result.textContent).toContain("adding");
    expect(calls.find((c) => c.path.endsWith("/invoke/"))!.body).toEqual({ event: '{"values": [1, 2, 3, 4, 5]}' });

    ok = false;
    await userEvent.click(screen.getByTestId("function-invoke"));
    await waitFor(() => expect(screen.getByTestId("function-result").getAttribute("data-ok")).toBe("false"));
    expect(screen.getByTestId("function-result").textContent).toContain("KeyError");
    expect(screen.getByTestId("function-result").textContent).toContain("'values'");

    await userEvent.clear(event);
    await userEvent.type(event, "{{oops");
    await userEvent.click(screen.getByTestId("function-invoke"));
    expect((await screen.findByTestId("form-error")).textContent).toContain("Not valid JSON");
  });

  it("shows the API's error when saving is refused", async () => {
    mockApi({
      "GET /api/functions/": page([SUM]),
      "PATCH /api/functions/4/": answer(403, { error: { code: "AccessDenied", message: "Writing function code needs the permission 'workflows.change_function'." } }),
    });
    renderPage(<FunctionsPage />);
    await userEvent.click(await screen.findByTestId("function-item-sum"));
    await userEvent.click(screen.getByTestId("function-save"));
    expect((await screen.findByTestId("form-error")).textContent).toContain("workflows.change_function");
  });
});

describe("roles page", () => {
  const ROLE = { id: 2, name: "demo", description: "", allowed_resources: ["qrn:*:Invoke/sum"], created_at: "2026-11-22T10:00:00Z", updated_at: "2026-11-22T10:00:00Z" };

  it("lists roles with their patterns and creates one with a pattern a line", async () => {
    const { calls } = mockApi({
      "GET /api/roles/": page([ROLE]),
      "POST /api/roles/": (call: Call) => answer(201, { ...ROLE, id: 3, ...(call.body as object) }),
    });
    renderPage(<RolesPage />);
    expect((await screen.findByTestId("role-row-demo")).textContent).toContain("qrn:*:Invoke/sum");
    await userEvent.click(screen.getByTestId("role-new"));
    await userEvent.type(screen.getByTestId("role-name"), "ops");
    await userEvent.type(screen.getByTestId("role-patterns"), "connection:github\n\n  qrn:*:Invoke/* \n");
    await userEvent.click(screen.getByTestId("role-save"));
    await waitFor(() => expect(screen.queryByTestId("role-form")).toBeNull());
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "ops", description: "", allowed_resources: ["connection:github", "qrn:*:Invoke/*"] });
  });

  it("edits a role's patterns with PATCH and deletes after confirmation", async () => {
    vi.stubGlobal("confirm", () => true);
    const { calls } = mockApi({
      "GET /api/roles/": page([ROLE]),
      "PATCH /api/roles/2/": (call: Call) => ({ ...ROLE, ...(call.body as object) }),
      "DELETE /api/roles/2/": answer(204),
    });
    renderPage(<RolesPage />);
    await userEvent.click(await screen.findByTestId("role-edit-demo"));
    expect((screen.getByTestId("role-patterns") as HTMLTextAreaElement).value).toBe("qrn:*:Invoke/sum");
    await userEvent.type(screen.getByTestId("role-patterns"), "\nconnection:*");
    await userEvent.click(screen.getByTestId("role-save"));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ description: "", allowed_resources: ["qrn:*:Invoke/sum", "connection:*"] });
    await userEvent.click(screen.getByTestId("role-delete-demo"));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/roles/2/")).toBe(true));
  });
});
