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
}

export function parseHash(hash: string): Route {
  const [first, ...rest] = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const id = (ROUTES as string[]).includes(first ?? "") ? (first as RouteId) : "workflows";
  return { id, rest: rest.map(decodeURIComponent) };
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
