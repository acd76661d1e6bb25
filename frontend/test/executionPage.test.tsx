/** The execution view against a fake REST server (no WebSocket: the polling path). */
import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import { ExecutionPage } from "../src/execution/ExecutionPage.tsx";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";
import histories from "./fixtures/histories.json";

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

interface Fake {
  served: number;
  status: string;
}

function fakeServer(events: { id: number }[], definition: unknown, state: Fake): typeof fetch {
  return vi.fn(async (url: string) => {
    const parsed = new URL(url, "http://localhost");
    if (parsed.pathname === "/api/executions/1/") {
      return json({
        id: 1, name: "run-1", workflow_id: 5, workflow_name: "nested", version: 1, type: "STANDARD", status: state.status,
        input: "{}", output: null, error: null, cause: null, started_at: "2026-01-01T00:00:00Z", stopped_at: null, redrive_count: 0,
      });
    }
    if (parsed.pathname === "/api/templates/5/versions/1/") {
      return json({ number: 1, definition: JSON.stringify(definition), role_id: null, description: "", created_at: "" });
    }
    if (parsed.pathname === "/api/executions/1/history/") {
      const after = Number(parsed.searchParams.get("after"));
      return json({ events: events.slice(0, state.served).filter((e) => e.id > after), next_after: null });
    }
    return new Response("{}", { status: 404 });
  }) as unknown as typeof fetch;
}

describe("ExecutionPage", () => {
  it("colours nodes from the polled history as it grows: running, then succeeded / caught / failed", async () => {
    const { events, definition } = histories.nested;
    const state: Fake = { served: 12, status: "RUNNING" };
    vi.stubGlobal("WebSocket", undefined);
    vi.stubGlobal("fetch", fakeServer(events, definition, state));
    const { container } = render(
      <I18nProvider locale="en">
        <ExecutionPage executionId={1} dark={false} />
      </I18nProvider>,
    );
    const status = (name: string): string | null => container.querySelector(`[data-testid="node-${name}"]`)?.getAttribute("data-status") ?? null;
    await waitFor(() => expect(status("M")).toBe("running"), { timeout: 10000 });
    expect(status("P")).toBe("succeeded");
    expect(status("Done")).toBe("notRun");
    expect(screen.getByTestId("live-mode").getAttribute("data-mode")).toBe("polling");
    state.served = events.length;
    state.status = "SUCCEEDED";
    await waitFor(() => expect(status("Done")).toBe("succeeded"), { timeout: 10000 });
    expect(status("F")).toBe("caught");
    expect(status("X")).toBe("failed");
    await waitFor(() => expect(screen.getByTestId("execution-status").getAttribute("data-status")).toBe("succeeded"), { timeout: 10000 });
    expect(screen.getByTestId("event-count").textContent).toContain(`${events.length} of ${events.length}`);
  }, 60000);

  it("keeps the feed's finished status when the page's first REST read answers later with RUNNING", async () => {
    const { events, definition } = histories.nested;
    const state: Fake = { served: events.length, status: "SUCCEEDED" };
    const server = fakeServer(events, definition, state);
    let first = true;
    // The first read of the execution (the page's own) is slow and stale; the feed's reads are current.
    const slowFirst = vi.fn(async (url: string) => {
      if (first && new URL(url, "http://localhost").pathname === "/api/executions/1/") {
        first = false;
        const stale = await server(url);
        const body = { ...(await stale.json()), status: "RUNNING" };
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return json(body);
      }
      return server(url);
    });
    vi.stubGlobal("WebSocket", undefined);
    vi.stubGlobal("fetch", slowFirst);
    render(
      <I18nProvider locale="en">
        <ExecutionPage executionId={1} dark={false} />
      </I18nProvider>,
    );
    const shown = (): string | null => screen.queryByTestId("execution-status")?.getAttribute("data-status") ?? null;
    await waitFor(() => expect(shown()).toBe("succeeded"), { timeout: 10000 });
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the stale answer has arrived by now
    expect(shown()).toBe("succeeded");
  }, 60000);
});
