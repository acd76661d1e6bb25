/**
 * Editing schedules and alert rules (only changed fields sent, server errors beside the
 * field they name, the write-only webhook secret), and the executions list kept in the
 * URL's hash query.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SchedulesPage } from "../../src/pages/SchedulesPage.tsx";
import { AlertsPage } from "../../src/pages/AlertsPage.tsx";
import { ExecutionsPage, viewFromQuery, viewToQuery } from "../../src/pages/ExecutionsPage.tsx";
import { parseHash } from "../../src/app/router.ts";
import { FakeSocket, WORKFLOWS, answer, mockApi, page, renderPage, type Call } from "./mockApi.tsx";

beforeEach(() => {
  FakeSocket.instances = [];
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "#");
});

const SCHEDULE = {
  id: 3, name: "hourly", workflow: 1, workflow_name: "sum", version: null, kind: "cron", cron_expression: "0 * * * *", rate_seconds: null,
  timezone: "UTC", input: "{}", enabled: true, start_at: null, end_at: "2027-01-01T00:00:00Z", missed_run_policy: "skip",
  next_runs: ["2026-11-22T11:00:00Z"], last_tick_at: "2026-11-22T10:00:00Z", created_at: "2026-11-22T09:00:00Z",
};

const patches = (calls: Call[], path: string): Call[] => calls.filter((c) => c.method === "PATCH" && c.path === path);

async function openScheduleEditor(): Promise<HTMLElement> {
  await userEvent.click(await screen.findByTestId("schedule-edit-hourly"));
  return screen.getByTestId("schedule-form");
}

describe("editing a schedule", () => {
  it("opens with the schedule's values and sends only what changed", async () => {
    const { calls } = mockApi({
      "GET /api/schedules/": page([SCHEDULE]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([{ number: 1, description: "", created_at: "x" }, { number: 2, description: "", created_at: "x" }]),
      "PATCH /api/schedules/3/": (call: Call) => ({ ...SCHEDULE, ...(call.body as object) }),
    });
    renderPage(<SchedulesPage />);
    const form = await openScheduleEditor();
    expect(within(form).getByRole("heading").textContent).toBe("Edit schedule hourly");
    expect((screen.getByTestId("schedule-name") as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByTestId("schedule-workflow") as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByTestId("schedule-cron") as HTMLInputElement).value).toBe("0 * * * *");
    expect((screen.getByTestId("schedule-timezone") as HTMLInputElement).value).toBe("UTC");
    expect((screen.getByTestId("schedule-end") as HTMLInputElement).value).not.toBe("");
    expect((screen.getByTestId("schedule-enabled") as HTMLInputElement).checked).toBe(true);

    await userEvent.clear(screen.getByTestId("schedule-cron"));
    await userEvent.type(screen.getByTestId("schedule-cron"), "*/5 * * * *");
    await userEvent.clear(screen.getByTestId("schedule-timezone"));
    await userEvent.type(screen.getByTestId("schedule-timezone"), "Europe/Paris");
    await screen.findByRole("option", { name: "v2" });
    await userEvent.selectOptions(screen.getByTestId("schedule-version"), "2");
    await userEvent.selectOptions(screen.getByTestId("schedule-policy"), "run_once");
    await userEvent.type(screen.getByTestId("schedule-start"), "2026-12-01T08:30");
    await userEvent.clear(screen.getByTestId("schedule-end"));
    await userEvent.click(screen.getByTestId("schedule-enabled"));
    await userEvent.click(screen.getByTestId("schedule-save"));

    await waitFor(() => expect(patches(calls, "/api/schedules/3/").length).toBe(1));
    expect(patches(calls, "/api/schedules/3/")[0]!.body).toEqual({
      version: 2, cron_expression: "*/5 * * * *", timezone: "Europe/Paris", missed_run_policy: "run_once",
      start_at: new Date("2026-12-01T08:30").toISOString(), end_at: null, enabled: false,
    });
    await waitFor(() => expect(screen.queryByTestId("schedule-form")).toBeNull());
    expect(calls.filter((c) => c.method === "GET" && c.path === "/api/schedules/").length).toBe(2);
  });

  it("switching to a fixed rate sends the kind and its rate; an unchanged form sends nothing", async () => {
    const { calls } = mockApi({
      "GET /api/schedules/": page([SCHEDULE]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([]),
      "PATCH /api/schedules/3/": (call: Call) => ({ ...SCHEDULE, ...(call.body as object) }),
    });
    renderPage(<SchedulesPage />);
    await openScheduleEditor();
    await userEvent.click(screen.getByTestId("schedule-save"));
    await waitFor(() => expect(screen.queryByTestId("schedule-form")).toBeNull());
    expect(patches(calls, "/api/schedules/3/")).toEqual([]);

    await openScheduleEditor();
    await userEvent.selectOptions(screen.getByTestId("schedule-kind"), "rate");
    await userEvent.clear(screen.getByTestId("schedule-rate"));
    await userEvent.type(screen.getByTestId("schedule-rate"), "60");
    await userEvent.click(screen.getByTestId("schedule-save"));
    await waitFor(() => expect(patches(calls, "/api/schedules/3/").length).toBe(1));
    expect(patches(calls, "/api/schedules/3/")[0]!.body).toEqual({ kind: "rate", rate_seconds: 60 });
  });

  it("shows the server's error beside the field it names, and one it cannot place under the form", async () => {
    let reply: unknown = answer(400, { error: { code: "ValidationException", message: "Invalid schedule: timezone: unknown time zone 'Mars/Base'", field: "timezone" } });
    const { calls } = mockApi({
      "GET /api/schedules/": page([SCHEDULE]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([]),
      "PATCH /api/schedules/3/": () => reply,
    });
    renderPage(<SchedulesPage />);
    await openScheduleEditor();
    await userEvent.clear(screen.getByTestId("schedule-timezone"));
    await userEvent.type(screen.getByTestId("schedule-timezone"), "Mars/Base");
    await userEvent.click(screen.getByTestId("schedule-save"));
    expect((await screen.findByTestId("field-error-sc-zone")).textContent).toBe("unknown time zone 'Mars/Base'");
    expect(screen.getByTestId("schedule-timezone").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("schedule-timezone").getAttribute("aria-describedby")).toBe("sc-zone-error");
    expect(screen.queryByTestId("form-error")).toBeNull();
    expect(screen.getByTestId("schedule-form")).toBeTruthy(); // kept open with what was typed

    reply = answer(400, { error: { code: "ValidationException", message: "end_at: must be later than start_at", field: "end_at" } });
    await userEvent.click(screen.getByTestId("schedule-save"));
    expect((await screen.findByTestId("field-error-sc-end")).textContent).toBe("must be later than start_at");
    expect(screen.queryByTestId("field-error-sc-zone")).toBeNull();
    expect(screen.getByTestId("schedule-timezone").getAttribute("aria-invalid")).toBeNull();

    reply = answer(409, { error: { code: "ResourceInUse", message: "Somebody else changed it" } });
    await userEvent.click(screen.getByTestId("schedule-save"));
    expect((await screen.findByTestId("form-error")).textContent).toContain("Somebody else changed it");
    expect(patches(calls, "/api/schedules/3/").length).toBe(3);
  });

  it("checks the input's JSON before asking the server, beside the input", async () => {
    const { calls } = mockApi({
      "GET /api/schedules/": page([SCHEDULE]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([]),
    });
    renderPage(<SchedulesPage />);
    await openScheduleEditor();
    await userEvent.clear(screen.getByTestId("schedule-input"));
    await userEvent.type(screen.getByTestId("schedule-input"), "not json");
    await userEvent.click(screen.getByTestId("schedule-save"));
    expect((await screen.findByTestId("field-error-sc-input")).textContent).toContain("Not valid JSON");
    expect(patches(calls, "/api/schedules/3/")).toEqual([]);
  });

  it("speaks Chinese", async () => {
    mockApi({ "GET /api/schedules/": page([SCHEDULE]), "GET /api/templates/": WORKFLOWS, "GET /api/templates/1/versions/": page([]) });
    renderPage(<SchedulesPage />, "zh");
    await userEvent.click(await screen.findByTestId("schedule-edit-hourly"));
    expect(within(screen.getByTestId("schedule-form")).getByRole("heading").textContent).toBe("编辑定时 hourly");
    expect(screen.getByText("启用（按计划运行）")).toBeTruthy();
  });
});

describe("editing an alert rule", () => {
  const RULE = {
    id: 2, name: "failures", workflow: 1, workflow_name: "sum", kind: "failure_count", threshold_count: 3, window_minutes: 10,
    duration_seconds: null, webhook_url: "https://hooks.example/x", webhook_secret_set: true, email_to: "", enabled: true, created_at: "x",
  };
  const routes = (rules: unknown[], patch: (call: Call) => unknown) => ({
    "GET /api/alerts/rules/": page(rules),
    "GET /api/alerts/": page([]),
    "GET /api/templates/": WORKFLOWS,
    "PATCH /api/alerts/rules/2/": patch,
  });

  it("keeps the stored secret when the field is left blank, replaces it when one is typed", async () => {
    const { calls } = mockApi(routes([RULE], (call) => ({ ...RULE, ...(call.body as object) })));
    renderPage(<AlertsPage />);
    await userEvent.click(await screen.findByTestId("alert-rule-edit-failures"));
    expect(within(screen.getByTestId("alert-rule-form")).getByRole("heading").textContent).toBe("Edit alert rule failures");
    expect(screen.getByTestId("alert-rule-secret-state").textContent).toBe("Secret stored");
    expect(screen.getByText("Leave blank to keep the stored secret; type a new one to replace it.")).toBeTruthy();
    expect((screen.getByTestId("alert-rule-count") as HTMLInputElement).value).toBe("3");
    expect((screen.getByTestId("alert-rule-secret") as HTMLInputElement).value).toBe("");

    await userEvent.clear(screen.getByTestId("alert-rule-count"));
    await userEvent.type(screen.getByTestId("alert-rule-count"), "5");
    await userEvent.type(screen.getByTestId("alert-rule-email"), "ops@example.com");
    await userEvent.click(screen.getByTestId("alert-rule-save"));
    await waitFor(() => expect(patches(calls, "/api/alerts/rules/2/").length).toBe(1));
    expect(patches(calls, "/api/alerts/rules/2/")[0]!.body).toEqual({ threshold_count: 5, email_to: "ops@example.com" });
    await waitFor(() => expect(screen.queryByTestId("alert-rule-form")).toBeNull());

    await userEvent.click(screen.getByTestId("alert-rule-edit-failures"));
    await userEvent.type(screen.getByTestId("alert-rule-secret"), "s3cret");
    await userEvent.click(screen.getByTestId("alert-rule-enabled"));
    await userEvent.click(screen.getByTestId("alert-rule-save"));
    await waitFor(() => expect(patches(calls, "/api/alerts/rules/2/").length).toBe(2));
    expect(patches(calls, "/api/alerts/rules/2/")[1]!.body).toEqual({ webhook_secret: "s3cret", enabled: false });
  });

  it("changes the condition's kind with its own numbers, and shows the server's error beside its field", async () => {
    const { calls } = mockApi(routes([{ ...RULE, webhook_secret_set: false }], () =>
      answer(400, { error: { code: "ValidationException", message: "Invalid alert rule: webhook_secret: a webhook needs a shared secret", field: "webhook_secret" } })));
    renderPage(<AlertsPage />);
    await userEvent.click(await screen.findByTestId("alert-rule-edit-failures"));
    expect(screen.getByTestId("alert-rule-secret-state").textContent).toBe("No secret stored");
    await userEvent.selectOptions(screen.getByTestId("alert-rule-kind"), "long_running");
    await userEvent.clear(screen.getByTestId("alert-rule-seconds"));
    await userEvent.type(screen.getByTestId("alert-rule-seconds"), "120");
    await userEvent.click(screen.getByTestId("alert-rule-save"));
    expect((await screen.findByTestId("field-error-ar-secret")).textContent).toBe("a webhook needs a shared secret");
    expect(screen.getByTestId("alert-rule-secret").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("form-error")).toBeNull();
    expect(patches(calls, "/api/alerts/rules/2/")[0]!.body).toEqual({ kind: "long_running", duration_seconds: 120 });
  });

  it("says in Chinese whether a secret is stored", async () => {
    mockApi(routes([RULE], () => RULE));
    renderPage(<AlertsPage />, "zh");
    await userEvent.click(await screen.findByTestId("alert-rule-edit-failures"));
    expect(screen.getByTestId("alert-rule-secret-state").textContent).toBe("已保存密钥");
    expect(within(screen.getByTestId("alert-rule-form")).getByRole("heading").textContent).toBe("编辑告警规则 failures");
  });
});

describe("the executions list in the address", () => {
  const execution = (id: number) => ({
    id, name: `run-${id}`, workflow_id: 1, workflow_name: "sum", version: 2, type: "STANDARD", status: "FAILED", input: "{}",
    output: null, error: null, cause: null, started_at: "2026-11-22T10:00:00Z", stopped_at: "2026-11-22T10:00:02Z", redrive_count: 0,
  });
  const listRoutes = () => ({
    "GET /api/executions/": (call: Call) => ({ count: 100, next: null, previous: null, results: [execution(Number(call.query.offset ?? 0) + 1)] }),
    "GET /api/templates/": WORKFLOWS,
  });
  const lastQuery = (calls: Call[]) => calls.filter((c) => c.path === "/api/executions/").at(-1)!.query;

  it("parses a hash query in the router", () => {
    expect(parseHash("#/executions?status=FAILED&workflow=3")).toEqual({ id: "executions", rest: [], query: { status: "FAILED", workflow: "3" } });
    expect(parseHash("#/executions/40")).toEqual({ id: "executions", rest: ["40"], query: {} });
    expect(parseHash("#/editor/example/sum")).toEqual({ id: "editor", rest: ["example", "sum"], query: {} });
  });

  it("reads and writes the view; values it does not know are dropped", () => {
    const view = viewFromQuery({ status: "FAILED", workflow: "3", ordering: "name", page: "3", started_after: "2026-11-01T08:30:00.000Z" });
    expect(view).toMatchObject({ status: "FAILED", workflow: "3", ordering: "name", offset: 50 });
    expect(viewToQuery(view)).toEqual({
      status: "FAILED", workflow: "3", ordering: "name", page: "3", started_after: "2026-11-01T08:30:00.000Z", started_before: "",
    });
    expect(viewFromQuery({ status: "DROP TABLE", workflow: "x", ordering: "password", page: "-2" })).toEqual({
      status: "", workflow: "", ordering: "-started_at", offset: 0, from: "", to: "",
    });
  });

  it("opens a shared link with its filters, ordering and page", async () => {
    window.history.replaceState(null, "", "#/executions?status=FAILED&workflow=2&ordering=name&page=3");
    const { calls } = mockApi(listRoutes());
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-51");
    expect(lastQuery(calls)).toMatchObject({ status: "FAILED", workflow: "2", ordering: "name", offset: "50" });
    expect((screen.getByTestId("executions-filter-status") as HTMLSelectElement).value).toBe("FAILED");
    expect((screen.getByTestId("executions-ordering") as HTMLSelectElement).value).toBe("name");
    expect(screen.getByText("51–75 of 100")).toBeTruthy();
    expect(window.location.hash).toBe("#/executions?status=FAILED&workflow=2&ordering=name&page=3");
  });

  it("writes filters, ordering and page into the address as they change (page 1 again on a new filter)", async () => {
    window.history.replaceState(null, "", "#/executions");
    const { calls } = mockApi(listRoutes());
    const historyLength = window.history.length;
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-1");
    expect(window.location.hash).toBe("#/executions");

    await userEvent.selectOptions(screen.getByTestId("executions-filter-status"), "FAILED");
    await waitFor(() => expect(window.location.hash).toBe("#/executions?status=FAILED"));
    await userEvent.click(screen.getByTestId("pager-next"));
    await waitFor(() => expect(window.location.hash).toBe("#/executions?status=FAILED&page=2"));
    await screen.findByTestId("execution-row-26");
    await userEvent.selectOptions(screen.getByTestId("executions-ordering"), "-name");
    await waitFor(() => expect(window.location.hash).toBe("#/executions?status=FAILED&ordering=-name"));
    await userEvent.type(screen.getByTestId("executions-filter-from"), "2026-11-01T08:30");
    const after = new Date("2026-11-01T08:30").toISOString();
    await waitFor(() => expect(parseHash(window.location.hash).query.started_after).toBe(after));
    await waitFor(() => expect(lastQuery(calls)).toMatchObject({ status: "FAILED", ordering: "-name", started_after: after, offset: "0" }));
    expect(window.history.length).toBe(historyLength); // filtering replaces the entry, it adds none
  });

  it("follows an address changed while the list is shown", async () => {
    window.history.replaceState(null, "", "#/executions");
    const { calls } = mockApi(listRoutes());
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-1");
    window.history.replaceState(null, "", "#/executions?status=RUNNING&page=2");
    fireEvent(window, new HashChangeEvent("hashchange"));
    await waitFor(() => expect(lastQuery(calls)).toMatchObject({ status: "RUNNING", offset: "25" }));
    expect((screen.getByTestId("executions-filter-status") as HTMLSelectElement).value).toBe("RUNNING");
  });

  it("leaves an address that is not the list alone", async () => {
    window.history.replaceState(null, "", "#/dashboard");
    mockApi(listRoutes());
    renderPage(<ExecutionsPage />);
    await screen.findByTestId("execution-row-1");
    await userEvent.selectOptions(screen.getByTestId("executions-filter-status"), "FAILED");
    await screen.findByTestId("execution-row-1");
    expect(window.location.hash).toBe("#/dashboard");
  });
});
