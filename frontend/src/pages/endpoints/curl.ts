/** A ready-to-paste curl command for a published endpoint (pure, tested). */

/** One POSIX shell word in single quotes (a single quote inside becomes '\''). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `url` made absolute against `origin` (the server may answer a path such as "/run/sum"). */
export function absoluteUrl(url: string, origin: string = window.location.origin): string {
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}

export const API_KEY_PLACEHOLDER = "<API_KEY>";

export interface CurlOptions {
  url: string;
  /** "api_key" adds the X-Api-Key header (the key, or a placeholder to replace). */
  auth: string;
  apiKey?: string | null;
  /** The request body (JSON text); "{}" when empty. */
  body?: string;
}

/** `curl -X POST URL -H 'Content-Type: application/json' [-H 'X-Api-Key: …'] -d BODY`, one option a line. */
export function curlExample({ url, auth, apiKey, body }: CurlOptions): string {
  const lines = [`curl -X POST ${shellQuote(url)}`, `-H ${shellQuote("Content-Type: application/json")}`];
  if (auth === "api_key") lines.push(`-H ${shellQuote(`X-Api-Key: ${apiKey || API_KEY_PLACEHOLDER}`)}`);
  const text = body === undefined || body.trim() === "" ? "{}" : body.trim();
  lines.push(`-d ${shellQuote(text)}`);
  return lines.join(" \\\n  ");
}
