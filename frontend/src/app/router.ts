/**
 * Hash routing (`#/editor`, `#/workflows` ...): Django serves one index.html at `/` and
 * needs no catch-all URL pattern for the app's pages.
 */
import { useEffect, useState } from "react";

export type RouteId =
  | "workflows" | "editor" | "executions" | "functions" | "roles" | "endpoints" | "dashboard"
  | "schedules" | "connections" | "alerts" | "audit";

export const ROUTES: RouteId[] = [
  "workflows", "editor", "executions", "functions", "roles", "endpoints", "dashboard",
  "schedules", "connections", "alerts", "audit",
];

export interface Route {
  id: RouteId;
  /** Path segments after the route id, e.g. `["example", "sum"]` for `#/editor/example/sum`. */
  rest: string[];
  /** The query after `?`, e.g. `{status: "FAILED"}` for `#/executions?status=FAILED`. */
  query: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const mark = text.indexOf("?");
  const path = mark < 0 ? text : text.slice(0, mark);
  const query = Object.fromEntries(new URLSearchParams(mark < 0 ? "" : text.slice(mark + 1)));
  const [first, ...rest] = path.split("/").filter(Boolean);
  const id = (ROUTES as string[]).includes(first ?? "") ? (first as RouteId) : "workflows";
  return { id, rest: rest.map(decodeURIComponent), query };
}

/** `#/<id>?<query>` with the query's non-empty values (in the order given). */
export function hrefWithQuery(id: RouteId, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, value);
  const search = params.toString();
  return search === "" ? href(id) : `${href(id)}?${search}`;
}

export const href = (id: RouteId, ...rest: string[]): string => `#/${[id, ...rest.map(encodeURIComponent)].join("/")}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
