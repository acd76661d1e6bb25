/**
 * The one way the app talks to the server's REST API (`/api/...`): JSON in and out, the
 * session cookie, CSRF on unsafe methods, and the API's one error format turned into
 * `ApiError` (code, message, field or pointer) so pages can show where a problem is.
 */

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
  pointer?: string;
  details?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly pointer?: string;
  readonly details?: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.pointer = body.pointer;
    this.details = body.details;
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Sent on `window` when the server answers 401: the session ended, the app asks to sign in again. */
export const AUTH_LOST_EVENT = "orchestrator:auth-lost";
let csrfToken: string | null = null;

function cookie(name: string): string | null {
  const match = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return match === undefined ? null : decodeURIComponent(match.slice(name.length + 1));
}

async function csrf(): Promise<string> {
  const fromCookie = cookie("csrftoken");
  if (fromCookie !== null) return fromCookie;
  if (csrfToken === null) {
    const response = await fetch("/api/auth/csrf/", { credentials: "same-origin" });
    csrfToken = ((await response.json()) as { csrf_token: string }).csrf_token;
  }
  return csrfToken;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
}

/** The URL of an API path with the query's defined values. */
export function apiUrl(path: string, query?: RequestOptions["query"]): string {
  const url = new URL(path.startsWith("/") ? path : `/api/${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = (options.method ?? (options.body === undefined ? "GET" : "POST")).toUpperCase();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) headers["X-CSRFToken"] = await csrf();
  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new Event(AUTH_LOST_EVENT));
    const body = (parsed as { error?: ApiErrorBody } | undefined)?.error;
    throw new ApiError(response.status, body ?? { code: `HTTP${response.status}`, message: text.slice(0, 300) || response.statusText });
  }
  return parsed as T;
}

/** Forget the cached CSRF token (after login/logout the server rotates it). */
export function resetCsrf(): void {
  csrfToken = null;
}
