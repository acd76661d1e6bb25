/**
 * The REST boundary for page tests: `fetch` replaced by a table of routes
 * ("METHOD /api/path/" -> answer or handler). A path not in the table answers like a
 * server without that route (404, HTML body), so "not available" states are testable.
 */
import { vi } from "vitest";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nProvider } from "../../src/i18n/I18nProvider.tsx";
import type { Locale } from "../../src/i18n/messages.ts";

export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface Answer {
  status?: number;
  body?: unknown;
}

export type Route = unknown | ((call: Call) => Answer | unknown);

/** Wraps a value so a route answers with a status other than 200. */
export const answer = (status: number, body?: unknown): Answer & { __answer: true } => ({ status, body, __answer: true });

export function mockApi(routes: Record<string, Route>): { calls: Call[]; fetch: ReturnType<typeof vi.fn> } {
  const calls: Call[] = [];
  document.cookie = "csrftoken=test-token";
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init?.method ?? "GET").toUpperCase();
    const call: Call = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const route = routes[`${method} ${url.pathname}`];
    if (route === undefined) return new Response("<h1>Not Found</h1>", { status: 404, headers: { "Content-Type": "text/html" } });
    let result = typeof route === "function" ? (route as (c: Call) => unknown)(call) : route;
    let status = 200;
    if (typeof result === "object" && result !== null && "__answer" in result) {
      status = (result as Answer).status ?? 200;
      result = (result as Answer).body;
    }
    if (status === 204 || result === undefined) return new Response(null, { status: status === 200 ? 204 : status });
    return new Response(JSON.stringify(result), { status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetch: fetchMock };
}

export const page = <T,>(results: T[]): { count: number; next: null; previous: null; results: T[] } => ({ count: results.length, next: null, previous: null, results });

export function renderPage(element: ReactElement, locale: Locale = "en"): RenderResult {
  return render(<I18nProvider locale={locale}>{element}</I18nProvider>);
}

/** A WebSocket stand-in: tests open, message and close it by hand. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  open(): void {
    this.onopen?.();
  }
  send(data: unknown): void {
    this.onmessage?.({ data: JSON.stringify(data) });
  }
  drop(): void {
    this.onclose?.();
  }
  close(): void {
    this.closed = true;
  }
}

export const WORKFLOWS = page([
  { id: 1, name: "sum", type: "STANDARD", latest_version: 2 },
  { id: 2, name: "orders", type: "STANDARD", latest_version: 1 },
]);
