import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { EndpointsPage } from "../../src/pages/EndpointsPage.tsx";
import { DashboardPage } from "../../src/pages/DashboardPage.tsx";
import { WORKFLOWS, answer, mockApi, page, renderPage, type Call } from "./mockApi.tsx";

const ENDPOINT = {
  id: 5, name: "Sum service", slug: "sum", workflow: 1, workflow_name: "sum", version: null, enabled: true, auth: "api_key",
  rate_limit_per_second: 5, max_body_bytes: 262144, url: "http://testserver/run/sum", created_at: "2026-11-22T10:00:00Z",
};

afterEach(() => vi.unstubAllGlobals());

describe("published endpoints page", () => {
  it("shows the URL with a copy button and a ready curl example", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    mockApi({ "GET /api/endpoints/": page([ENDPOINT]), "GET /api/templates/": WORKFLOWS, "GET /api/endpoints/5/keys/": [] });
    renderPage(<EndpointsPage />);
    const card = await screen.findByTestId("endpoint-sum");
    expect(within(card).getByTestId("endpoint-url").textContent).toBe("http://testserver/run/sum");
    await userEvent.click(within(card).getByTestId("endpoint-copy-url"));
    expect(writeText).toHaveBeenCalledWith("http://testserver/run/sum");
    const curl = within(card).getByTestId("endpoint-curl").textContent!;
    expect(curl).toContain("curl -X POST 'http://testserver/run/sum'");
    expect(curl).toContain("-H 'X-Api-Key: <API_KEY>'");
    expect(card.textContent).toContain("5 requests/s");
  });

  it("shows a path answered by the server as an absolute URL", async () => {
    mockApi({ "GET /api/endpoints/": page([{ ...ENDPOINT, url: "/run/sum" }]), "GET /api/templates/": WORKFLOWS, "GET /api/endpoints/5/keys/": page([]) });
    renderPage(<EndpointsPage />);
    const card = await screen.findByTestId("endpoint-sum");
    expect(within(card).getByTestId("endpoint-url").textContent).toBe(`${window.location.origin}/run/sum`);
    expect(within(card).getByTestId("endpoint-curl").textContent).toContain(`curl -X POST '${window.location.origin}/run/sum'`);
  });

  it("creates an API key and shows it once, in the curl example too", async () => {
    const { calls } = mockApi({
      "GET /api/endpoints/": page([ENDPOINT]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/endpoints/5/keys/": () => (calls.some((c) => c.method === "POST") ? [{ id: 1, prefix: "ak_7f3" }] : []),
      "POST /api/endpoints/5/keys/": answer(201, { id: 1, prefix: "ak_7f3", key: "ak_7f3.secretpart" }),
    });
    renderPage(<EndpointsPage />);
    const card = await screen.findByTestId("endpoint-sum");
    expect(within(card).getByText(/No keys yet/)).toBeTruthy();
    await userEvent.click(within(card).getByTestId("endpoint-key-create"));
    expect((await within(card).findByTestId("endpoint-key-once")).textContent).toContain("ak_7f3.secretpart");
    expect(within(card).getByTestId("endpoint-curl").textContent).toContain("X-Api-Key: ak_7f3.secretpart");
    await within(card).findByTestId("endpoint-key-1");
    expect(within(card).getByTestId("endpoint-key-1").textContent).not.toContain("secretpart");
  });

  it("creates an endpoint for a workflow version with auth, rate limit and body size", async () => {
    const { calls } = mockApi({
      "GET /api/endpoints/": page([]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/templates/1/versions/": page([{ number: 2, description: "", created_at: "x" }, { number: 1, description: "first", created_at: "x" }]),
      "POST /api/endpoints/": (call: Call) => answer(201, { ...ENDPOINT, ...(call.body as object) }),
    });
    renderPage(<EndpointsPage />);
    await screen.findByText(/No published endpoints/);
    await userEvent.click(screen.getByTestId("endpoint-new"));
    await userEvent.type(screen.getByTestId("endpoint-name"), "Sum service");
    await screen.findByRole("option", { name: "sum" });
    await userEvent.selectOptions(screen.getByTestId("endpoint-workflow"), "1");
    await screen.findByRole("option", { name: "v1 · first" });
    await userEvent.selectOptions(screen.getByTestId("endpoint-version"), "1");
    await userEvent.selectOptions(screen.getByTestId("endpoint-auth"), "none");
    await userEvent.type(screen.getByTestId("endpoint-rate"), "2.5");
    await userEvent.clear(screen.getByTestId("endpoint-max-body"));
    await userEvent.type(screen.getByTestId("endpoint-max-body"), "1024");
    await userEvent.click(screen.getByTestId("endpoint-create"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      name: "Sum service", workflow: 1, version: 1, auth: "none", rate_limit_per_second: 2.5, max_body_bytes: 1024,
    });
  });

  it("disables and deletes an endpoint", async () => {
    vi.stubGlobal("confirm", () => true);
    const { calls } = mockApi({
      "GET /api/endpoints/": page([ENDPOINT]),
      "GET /api/templates/": WORKFLOWS,
      "GET /api/endpoints/5/keys/": [],
      "PATCH /api/endpoints/5/": { ...ENDPOINT, enabled: false },
      "DELETE /api/endpoints/5/": answer(204),
    });
    renderPage(<EndpointsPage />);
    await userEvent.click(await screen.findByTestId("endpoint-toggle"));
    await waitFor(() => expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ enabled: false }));
    await userEvent.click(screen.getByTestId("endpoint-delete"));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/endpoints/5/")).toBe(true));
  });

  it("says when the server has no endpoints API, without sample data", async () => {
    mockApi({ "GET /api/templates/": WORKFLOWS });
    renderPage(<EndpointsPage />, "zh");
    expect((await screen.findByTestId("not-available")).textContent).toContain("/api/endpoints/");
    expect(screen.queryByTestId("endpoint-list")).toBeNull();
    expect((screen.getByTestId("endpoint-new") as HTMLButtonElement).disabled).toBe(true);
  });
});

const STATS = {
  window: "24h", bucket_seconds: 3600,
  totals: { started: 12, succeeded: 9, failed: 2, timed_out: 1, aborted: 0, running: 0 },
  duration_ms: { p50: 1200, p90: 3000, p99: 4500, avg: 1500 },
  series: [
    { start: "2026-11-22T08:00:00Z", started: 5, succeeded: 4, failed: 1, timed_out: 0, aborted: 0, avg_duration_ms: 1000 },
    { start: "2026-11-22T09:00:00Z", started: 7, succeeded: 5, failed: 1, timed_out: 1, aborted: 0, avg_duration_ms: null },
  ],
};

describe("dashboard", () => {
  it("shows totals, duration percentiles and charts, and switches the window", async () => {
    const { calls } = mockApi({ "GET /api/stats/": STATS, "GET /api/templates/": WORKFLOWS });
    renderPage(<DashboardPage />);
    expect((await screen.findByTestId("stat-started")).textContent).toContain("12");
    expect(screen.getByTestId("stat-p90").textContent).toContain("3.0 s");
    const counts = screen.getByTestId("chart-counts");
    expect(counts.querySelectorAll("rect[data-kind]").length).toBe(6);
    const failedBars = counts.querySelectorAll('rect[data-kind="failed"]');
    expect(failedBars[1]!.querySelector("title")!.textContent).toContain(": 2");
    expect(counts.getAttribute("aria-label")).toContain("12 started");
    expect(screen.getByTestId("chart-duration").querySelectorAll("circle").length).toBe(1);
    expect(calls.find((c) => c.path === "/api/stats/")!.query).toEqual({ window: "24h" });

    await userEvent.click(screen.getByTestId("dashboard-window-7d"));
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/stats/").at(-1)!.query).toEqual({ window: "7d" }));
    expect(screen.getByTestId("dashboard-window-7d").getAttribute("aria-pressed")).toBe("true");
    await screen.findByRole("option", { name: "sum" });
    await userEvent.selectOptions(screen.getByTestId("dashboard-workflow"), "1");
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/stats/").at(-1)!.query).toEqual({ window: "7d", workflow: "1" }));
  });

  it("says when the server has no stats API", async () => {
    mockApi({ "GET /api/templates/": WORKFLOWS });
    renderPage(<DashboardPage />);
    await screen.findByTestId("not-available");
    expect(screen.queryByTestId("chart-counts")).toBeNull();
  });
});
