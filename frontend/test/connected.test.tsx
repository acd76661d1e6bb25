/** Pure pieces of the connected pages, and the sign-in gate with a fake server. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { HistoryEvent } from "../src/api/executions.ts";
import type { ExecutionItem } from "../src/api/executionsList.ts";
import { taskResources } from "../src/api/workflows.ts";
import { AuthGate, AuthProvider, UserMenu } from "../src/auth/AuthProvider.tsx";
import { stagesOf } from "../src/editor/DataFlowPanel.tsx";
import { diagnosticsOf } from "../src/editor/useWorkflowSync.ts";
import { ApiError } from "../src/api/client.ts";
import { filterEvents } from "../src/execution/EventTable.tsx";
import { timelineBars } from "../src/execution/Timeline.tsx";
import { ExecutionModel } from "../src/execution/derive.ts";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";
import { lastExecutions } from "../src/pages/WorkflowsPage.tsx";
import histories from "./fixtures/histories.json";

afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("connected pieces", () => {
  it("filters events by type, state and text", () => {
    const model = new ExecutionModel();
    model.apply(histories.taskCatch.events as HistoryEvent[]);
    const all = model.events;
    expect(filterEvents(all, model.eventState, { type: "LambdaFunctionFailed", state: "", text: "" }).map((e) => e.id)).toEqual([5, 8]);
    expect(filterEvents(all, model.eventState, { type: "", state: "Ok", text: "" }).map((e) => e.id)).toEqual([10, 11, 12, 13, 14]);
    expect(filterEvents(all, model.eventState, { type: "", state: "", text: "boom" }).length).toBeGreaterThan(0);
    expect(filterEvents(all, model.eventState, { type: "", state: "", text: "", states: new Set(["T"]) }).every((e) => model.eventState.get(e.id) === "T")).toBe(true);
  });

  it("places timeline bars by start and duration", () => {
    const model = new ExecutionModel();
    model.apply([
      { id: 1, previous_event_id: 0, type: "ExecutionStarted", timestamp: 100, details: {} },
      { id: 2, previous_event_id: 1, type: "PassStateEntered", timestamp: 100, details: { name: "A" } },
      { id: 3, previous_event_id: 2, type: "PassStateExited", timestamp: 105, details: { name: "A" } },
      { id: 4, previous_event_id: 3, type: "WaitStateEntered", timestamp: 105, details: { name: "W" } },
    ]);
    const [a, w] = timelineBars(model.activities, 100, 110);
    expect(a).toMatchObject({ left: 0, width: 50 });
    expect(w).toMatchObject({ left: 50, width: 50 }); // still running: up to now
  });

  it("picks the newest execution per workflow", () => {
    const items = [
      { id: 1, workflow_id: 5, started_at: "2026-01-01T00:00:00Z", status: "FAILED" },
      { id: 2, workflow_id: 5, started_at: "2026-01-02T00:00:00Z", status: "SUCCEEDED" },
      { id: 3, workflow_id: 6, started_at: "2026-01-01T00:00:00Z", status: "RUNNING" },
    ] as ExecutionItem[];
    const last = lastExecutions(items);
    expect(last.get(5)?.id).toBe(2);
    expect(last.get(6)?.id).toBe(3);
  });

  it("lists Task resources, data-flow stages in order and a refused save's diagnostics", () => {
    expect(taskResources({ States: { A: { Type: "Task", Resource: "r1" }, P: { Type: "Parallel", Branches: [{ States: { B: { Type: "Task", Resource: "r2" } } }] } } })).toEqual(["r1", "r2"]);
    expect(stagesOf({ status: "SUCCEEDED", nextState: null, inspectionData: { output: 3, input: 1, result: 2 } }).map((s) => s.stage)).toEqual(["input", "result", "output"]);
    const refused = new ApiError(400, { code: "InvalidDefinition", message: "bad", details: [{ severity: "ERROR", code: "X", message: "m", location: "/States/A" }] });
    expect(diagnosticsOf(refused)).toEqual([{ severity: "ERROR", code: "X", message: "m", location: "/States/A" }]);
    expect(diagnosticsOf(new Error("x"))).toEqual([]);
  });
});

/** The user menu and a page behind the sign-in gate. */
const renderGatedPage = (): void => {
  render(
    <I18nProvider locale="en">
      <AuthProvider>
        <UserMenu />
        <AuthGate>
          <p>the page</p>
        </AuthGate>
      </AuthProvider>
    </I18nProvider>,
  );
};

describe("sign-in", () => {
  it("shows the form when anonymous, signs in, shows the user and signs out", async () => {
    let signedIn = false;
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.startsWith("/api/auth/csrf/")) return json(200, { csrf_token: "t" });
      if (url.startsWith("/api/auth/me/")) return signedIn ? json(200, { id: 1, username: "ada", is_staff: false }) : json(401, { error: { code: "NotAuthenticated", message: "no" } });
      if (url.startsWith("/api/auth/login/")) {
        const body = JSON.parse(String(init?.body)) as { password: string };
        if (body.password !== "pw") return json(401, { error: { code: "NotAuthenticated", message: "Wrong" } });
        signedIn = true;
        return json(200, { id: 1, username: "ada", is_staff: false });
      }
      if (url.startsWith("/api/auth/logout/")) {
        signedIn = false;
        return new Response(null, { status: 204 });
      }
      return json(404, {});
    });
    vi.stubGlobal("fetch", fetchMock);
    renderGatedPage();
    await screen.findByTestId("login-form", {}, { timeout: 10000 });
    expect(screen.queryByText("the page")).toBeNull();
    fireEvent.change(screen.getByTestId("login-username"), { target: { value: "ada" } });
    fireEvent.change(screen.getByTestId("login-password"), { target: { value: "nope" } });
    fireEvent.submit(screen.getByTestId("login-form"));
    await screen.findByText("Wrong username or password.", {}, { timeout: 10000 });
    fireEvent.change(screen.getByTestId("login-password"), { target: { value: "pw" } });
    fireEvent.submit(screen.getByTestId("login-form"));
    await screen.findByText("the page", {}, { timeout: 10000 });
    expect(screen.getByTestId("current-user").textContent).toBe("ada");
    fireEvent.click(screen.getByTestId("logout"));
    await waitFor(() => expect(screen.queryByTestId("login-form")).not.toBeNull(), { timeout: 10000 });
  });

  it("renders the page offline when there is no server", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("network"); }));
    renderGatedPage();
    await screen.findByText("Offline", {}, { timeout: 10000 });
    expect(screen.getByText("the page")).toBeTruthy();
  });
});
