/** The REST API's paging (limit/offset): `{count, next, previous, results}`. */
import { ApiError } from "./client.ts";

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** A 404 that is not the API's own "not found" answer: this server has no such route (yet). */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === "HTTP404";
}

/** A list answered as a page or as a plain array: its items. */
export function itemsOf<T>(answer: Page<T> | T[]): T[] {
  return Array.isArray(answer) ? answer : answer.results;
}
