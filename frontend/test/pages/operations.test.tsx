import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SchedulesPage } from "../../src/pages/SchedulesPage.tsx";
import { ConnectionsPage } from "../../src/pages/ConnectionsPage.tsx";
import { AlertsPage } from "../../src/pages/AlertsPage.tsx";
import { AuditPage } from "../../src/pages/AuditPage.tsx";
import { WORKFLOWS, answer, mockApi, page, renderPage, type Call } from "./mockApi.tsx";

afterEach(() => vi.unstubAllGlobals());

const SCHEDULE = {
  id: 3, name: "hourly", workflow_id: 1, workflow_name: "sum", version: null, kind: "cron", cron_expression: "0 * * * *", rate_seconds: null,
  timezone: "UTC", input: "{}", enabled: true, start_at: null, end_at: null, missed_run_policy: "skip",
  next_runs: ["2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z"], last_tick_at: "2026-11-22T10:00:00Z", created_at: "2026-11-22T09:00:00Z",
};

describe("schedules page", () => {
  it("lists schedules with their next run times, pauses one and shows its past runs", async () => {
    const { calls } = mockApi({
      "GET /api/schedules/": page([SCHEDULE]),
      "GET /api/templates/": WORKFLOWS,
      "POST /api/schedules/3/pause/": { ...SCHEDULE, enabled: false, next_runs: [] },
      "GET /api/schedules/3/runs/": page([{ id: 40, name: "sched-3-x", status: "SUCCEEDED", started_at: "2026-11-22T10:00:00Z" }]),
    });
    renderPage(<SchedulesPage />);
    const row = await screen.findByTestId("schedule-row-hourly");
    expect(within(row).getByTestId("schedule-next-runs").querySelectorAll("li").length).toBe(2);
    expect(row.textContent).toContain("0 * * * *");
    await userEvent.click(within(row).getByTestId("schedule-toggle-hourly"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.path === "/api/schedules/3/pause/")).toBe(true));
    await userEvent.click(within(row).getByTestId("schedule-runs-hourly"));
    const runs = await screen.findByTestId("schedule-runs");
    await waitFor(() => expect(within(runs).getByRole("link").getAttribute("href")).toBe("#/executions/40"));
    expect(runs.textContent).toContain("Succeeded");
  });

  it("creates a fixed-rate schedule with input", async () => {
    const { calls } = mockApi({
      "GET /api/schedules/": page([]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([]),
      "POST /api/schedules/": (call: Call) => answer(201, { ...SCHEDULE, ...(call.body as object) }),
    });
    renderPage(<SchedulesPage />);
    await screen.findByText("No schedules yet.");
    await userEvent.click(screen.getByTestId("schedule-new"));
    await userEvent.type(screen.getByTestId("schedule-name"), "every-minute");
    await screen.findByRole("option", { name: "sum" });
    await userEvent.selectOptions(screen.getByTestId("schedule-workflow"), "1");
    await userEvent.selectOptions(screen.getByTestId("schedule-kind"), "rate");
    await userEvent.clear(screen.getByTestId("schedule-rate"));
    await userEvent.type(screen.getByTestId("schedule-rate"), "60");
    await userEvent.clear(screen.getByTestId("schedule-input"));
    await userEvent.click(screen.getByTestId("schedule-input"));
    await userEvent.paste('{"values": [1]}');
    await userEvent.click(screen.getByTestId("schedule-create"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      name: "every-minute", workflow: 1, version: null, kind: "rate", rate_seconds: 60, input: '{"values": [1]}', missed_run_policy: "skip",
    });
  });

  it("shows the server's message for a bad cron expression", async () => {
    mockApi({
      "GET /api/schedules/": page([]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([]),
      "POST /api/schedules/": answer(400, { error: { code: "ValidationException", message: "Invalid schedule: cron_expression: bad field", field: "cron_expression" } }),
    });
    renderPage(<SchedulesPage />);
    await userEvent.click(await screen.findByTestId("schedule-new"));
    await userEvent.type(screen.getByTestId("schedule-name"), "bad");
    await screen.findByRole("option", { name: "sum" });
    await userEvent.selectOptions(screen.getByTestId("schedule-workflow"), "1");
    await userEvent.click(screen.getByTestId("schedule-create"));
    expect((await screen.findByTestId("field-error-sc-cron")).textContent).toBe("bad field");
    expect(screen.queryByTestId("form-error")).toBeNull();
  });
});

describe("connections page", () => {
  const CONNECTION = {
    id: 8, name: "github", kind: "bearer", description: "", parameters: {}, secret_set: true, resource: "connection:github",
    owner: "ada", updated_at: "2026-11-22T10:00:00Z",
  };

  it("creates a connection: the secret is a password field, sent once, and never shown", async () => {
    const { calls } = mockApi({
      "GET /api/connections/": () => page(calls.some((c) => c.method === "POST") ? [{ ...CONNECTION, name: "basic-api", kind: "basic", parameters: { username: "ada" } }] : []),
      "POST /api/connections/": (call: Call) => answer(201, { ...CONNECTION, ...(call.body as object), secret: undefined }),
    });
    renderPage(<ConnectionsPage />);
    await screen.findByText("No connections yet.");
    await userEvent.click(screen.getByTestId("connection-new"));
    await userEvent.type(screen.getByTestId("connection-name"), "basic-api");
    await userEvent.selectOptions(screen.getByTestId("connection-kind"), "basic");
    await userEvent.type(screen.getByTestId("connection-param-username"), "ada");
    const secret = screen.getByTestId("connection-secret") as HTMLInputElement;
    expect(secret.type).toBe("password");
    await userEvent.type(secret, "s3cr3t-value");
    await userEvent.click(screen.getByTestId("connection-save"));
    const row = await screen.findByTestId("connection-row-basic-api");
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "basic-api", kind: "basic", description: "", parameters: { username: "ada" }, secret: "s3cr3t-value" });
    expect(row.textContent).toContain("Stored (hidden)");
    expect(document.body.innerHTML).not.toContain("s3cr3t-value");
  });

  it("edits without resending the secret unless a new one is typed", async () => {
    const { calls } = mockApi({
      "GET /api/connections/": page([CONNECTION]),
      "PATCH /api/connections/8/": (call: Call) => ({ ...CONNECTION, ...(call.body as object) }),
    });
    renderPage(<ConnectionsPage />);
    await userEvent.click(await screen.findByTestId("connection-edit-github"));
    expect((screen.getByTestId("connection-secret") as HTMLInputElement).value).toBe("");
    await userEvent.click(screen.getByTestId("connection-save"));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ description: "", parameters: {} });
  });
});

describe("alerts page", () => {
  const RULE = {
    id: 2, name: "failures", workflow_id: 1, workflow_name: "sum", kind: "failure_count", threshold_count: 3, window_minutes: 10,
    duration_seconds: null, webhook_url: "https://hooks.example/x", webhook_secret_set: true, email_to: "", enabled: true, created_at: "x",
  };
  const ALERT = {
    id: 11, rule_id: 2, rule_name: "failures", kind: "failure_count", workflow_id: 1, workflow_name: "sum", execution_id: 40,
    message: "3 failures in 10 minutes", created_at: "2026-11-22T10:00:00Z", webhook_status: "delivered", attempts: 1, last_error: "",
    delivered_at: "2026-11-22T10:00:01Z", emailed_at: null,
  };

  it("lists rules and fired alerts, filters alerts by workflow, and creates a rule", async () => {
    const { calls } = mockApi({
      "GET /api/alerts/rules/": page([RULE]),
      "GET /api/alerts/": page([ALERT]),
      "GET /api/templates/": WORKFLOWS,
      "POST /api/alerts/rules/": (call: Call) => answer(201, { ...RULE, id: 3, ...(call.body as object) }),
    });
    renderPage(<AlertsPage />);
    expect((await screen.findByTestId("alert-rule-row-failures")).textContent).toContain("3 failures within 10 min");
    const alert = await screen.findByTestId("alert-row-11");
    expect(alert.textContent).toContain("3 failures in 10 minutes");
    expect(within(alert).getByRole("link").getAttribute("href")).toBe("#/executions/40");
    await screen.findAllByRole("option", { name: "sum" });
    await userEvent.selectOptions(screen.getByTestId("alerts-filter-workflow"), "1");
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/alerts/").at(-1)!.query).toMatchObject({ workflow: "1" }));

    await userEvent.click(screen.getByTestId("alert-rule-new"));
    await userEvent.type(screen.getByTestId("alert-rule-name"), "slow");
    await userEvent.selectOptions(screen.getByTestId("alert-rule-workflow"), "1");
    await userEvent.selectOptions(screen.getByTestId("alert-rule-kind"), "long_running");
    await userEvent.click(screen.getByTestId("alert-rule-create"));
    expect((await screen.findByTestId("field-error-ar-webhook")).textContent).toContain("webhook URL or an e-mail");
    await userEvent.type(screen.getByTestId("alert-rule-email"), "ops@example.com");
    await userEvent.click(screen.getByTestId("alert-rule-create"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "slow", workflow: 1, kind: "long_running", duration_seconds: 300, webhook_url: "", email_to: "ops@example.com" });
  });

  it("shows 'not available' for the part the server lacks only", async () => {
    mockApi({ "GET /api/alerts/rules/": page([RULE]), "GET /api/templates/": WORKFLOWS });
    renderPage(<AlertsPage />);
    await screen.findByTestId("alert-rule-row-failures");
    expect((await screen.findByTestId("not-available")).textContent).toContain("/api/alerts/");
  });
});

describe("audit log page", () => {
  const EVENT = {
    id: 90, timestamp: "2026-11-22T10:00:00Z", actor_name: "ada", actor_id: 1, action: "published", object_type: "workflow", object_id: "1",
    object_name: "sum", workflow_id: 1, version: 2, client: "browser", details: {},
  };

  it("searches with the filters given and pages", async () => {
    const { calls } = mockApi({
      "GET /api/audit/": { count: 120, next: null, previous: null, results: [EVENT] },
      "GET /api/templates/": WORKFLOWS,
    });
    renderPage(<AuditPage />);
    const row = await screen.findByTestId("audit-row-90");
    expect(row.textContent).toContain("Published");
    expect(row.textContent).toContain("sum");
    expect(row.textContent).toContain("v2");
    expect(row.textContent).toContain("Browser");
    expect(row.textContent).toContain("ada"); // the REST field is actor_name

    await userEvent.type(screen.getByTestId("audit-filter-actor"), "ada");
    await userEvent.selectOptions(screen.getByTestId("audit-filter-action"), "started");
    await userEvent.selectOptions(screen.getByTestId("audit-filter-type"), "execution");
    await userEvent.selectOptions(screen.getByTestId("audit-filter-client"), "rest");
    await screen.findByRole("option", { name: "orders" });
    await userEvent.selectOptions(screen.getByTestId("audit-filter-workflow"), "2");
    await userEvent.type(screen.getByTestId("audit-filter-since"), "2026-11-01T00:00");
    await userEvent.click(screen.getByTestId("audit-search"));
    const last = () => calls.filter((c) => c.path === "/api/audit/").at(-1)!.query;
    await waitFor(() => expect(last()).toEqual({
      actor: "ada", action: "started", object_type: "execution", workflow: "2", client: "rest",
      since: new Date("2026-11-01T00:00").toISOString(), limit: "50", offset: "0",
    }));
    await userEvent.click(screen.getByTestId("pager-next"));
    await waitFor(() => expect(last().offset).toBe("50"));
  });

  it("shows a value newer than this app as it is instead of a message key", async () => {
    mockApi({
      "GET /api/audit/": page([{ ...EVENT, object_type: "gizmo", action: "frobbed", client: "cli" }]),
      "GET /api/templates/": WORKFLOWS,
    });
    renderPage(<AuditPage />);
    const row = await screen.findByTestId("audit-row-90");
    expect(row.textContent).toContain("gizmo");
    expect(row.textContent).toContain("frobbed");
    expect(row.textContent).not.toContain("audit.");
  });
});
