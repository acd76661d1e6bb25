import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ExecutionsPage } from "../../src/pages/ExecutionsPage.tsx";
import { FakeSocket, WORKFLOWS, mockApi, page, renderPage } from "./mockApi.tsx";

const execution = (id: number, status: string, extra: Record<string, unknown> = {}) => ({
  id, name: `run-${id}`, workflow_id: 1, workflow_name: "sum", version: 2, type: "STANDARD", status, input: "{}",
  output: null, error: null, cause: null, started_at: "2026-11-22T10:00:00Z", stopped_at: status === "RUNNING" ? null : "2026-11-22T10:00:02Z",
  redrive_count: 0, ...extra,
});

beforeEach(() => {
  FakeSocket.instances = [];
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe("executions list", () => {
  it("lists executions with status, workflow and duration, each linking to its live view", async () => {
    mockApi({
      "GET /api/executions/": { count: 2, next: null, previous: null, results: [execution(7, "SUCCEEDED"), execution(6, "FAILED")] },
      "GET /api/templates/": WORKFLOWS,
    });
    renderPage(<ExecutionsPage />);
    const row = await screen.findByTestId("execution-row-7");
    expect(within(row).getByRole("link", { name: "run-7" }).getAttribute("href")).toBe("#/executions/7");
    expect(row.textContent).toContain("Succeeded");
    expect(row.textContent).toContain("sum");
    expect(row.textContent).toContain("2.0 s");
    expect(screen.getByTestId("execution-row-6").getAttribute("data-status")).toBe("FAILED");
    expect(screen.getByText("1–2 of 2")).toBeTruthy();
  });

  it("filters by status, workflow and time range, orders, and pages (back to page 1 on a new filter)", async () => {
    const { calls } = mockApi({
      "GET /api/executions/": (call: { query: Record<string, string> }) => ({
        count: 60, next: null, previous: null, results: [execution(Number(call.query.offset ?? 0) + 1, "RUNNING")],
      }),
      "GET /api/templates/": WORKFLOWS,
    });
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-1");
    const last = () => calls.filter((c) => c.path === "/api/executions/").at(-1)!.query;
    expect(last()).toMatchObject({ ordering: "-started_at", limit: "25", offset: "0" });

    await userEvent.click(screen.getByTestId("pager-next"));
    await screen.findByTestId("execution-row-26");
    expect(last().offset).toBe("25");

    await userEvent.selectOptions(screen.getByTestId("executions-filter-status"), "FAILED");
    await waitFor(() => expect(last()).toMatchObject({ status: "FAILED", offset: "0" }));
    await screen.findByRole("option", { name: "orders" });
    await userEvent.selectOptions(screen.getByTestId("executions-filter-workflow"), "2");
    await waitFor(() => expect(last().workflow).toBe("2"));
    await userEvent.selectOptions(screen.getByTestId("executions-ordering"), "name");
    await waitFor(() => expect(last().ordering).toBe("name"));
    await userEvent.type(screen.getByTestId("executions-filter-from"), "2026-11-01T08:30");
    await waitFor(() => expect(last().started_after).toBe(new Date("2026-11-01T08:30").toISOString()));
  });

  it("refreshes when the executions socket reports a change", async () => {
    let answer = [execution(1, "RUNNING")];
    mockApi({ "GET /api/executions/": () => page(answer), "GET /api/templates/": WORKFLOWS });
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-1");
    const socket = FakeSocket.instances[0]!;
    expect(socket.url).toMatch(/^ws:\/\/[^/]+\/ws\/executions\/$/);
    socket.open();
    await waitFor(() => expect(screen.getByTestId("executions-live-mode").getAttribute("data-mode")).toBe("socket"));
    answer = [execution(1, "SUCCEEDED")];
    socket.send({ type: "execution", execution: answer[0] });
    await waitFor(() => expect(screen.getByTestId("execution-row-1").getAttribute("data-status")).toBe("SUCCEEDED"));
  });

  it("polls when the server has no socket, and stops when live is switched off", async () => {
    let answer = [execution(1, "RUNNING")];
    const { calls } = mockApi({ "GET /api/executions/": () => page(answer), "GET /api/templates/": WORKFLOWS });
    renderPage(<ExecutionsPage pollMs={40} />);
    await screen.findByTestId("execution-row-1");
    FakeSocket.instances[0]!.drop();
    await waitFor(() => expect(screen.getByTestId("executions-live-mode").getAttribute("data-mode")).toBe("polling"));
    answer = [execution(1, "FAILED")];
    await waitFor(() => expect(screen.getByTestId("execution-row-1").getAttribute("data-status")).toBe("FAILED"));

    await userEvent.click(screen.getByTestId("executions-live"));
    expect(screen.getByTestId("executions-live-mode").getAttribute("data-mode")).toBe("off");
    const count = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls.length).toBe(count);
  });

  it("says when this server has no executions API", async () => {
    mockApi({});
    renderPage(<ExecutionsPage />);
    expect((await screen.findByTestId("not-available")).textContent).toContain("Not available on this server");
    expect(screen.queryByRole("table")).toBeNull();
  });
});
