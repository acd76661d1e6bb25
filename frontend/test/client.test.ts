import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, AUTH_LOST_EVENT } from "../src/api/client.ts";

function respond(status: number, body: unknown): void {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

describe("REST client", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("turns the API's error format into an ApiError with its field", async () => {
    respond(400, { error: { code: "ValidationException", message: "bad name", field: "name" } });
    const error = (await api("templates/").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.field, error.message]).toEqual([400, "ValidationException", "name", "bad name"]);
  });

  it("announces a lost session on 401 and not on other errors", async () => {
    const heard = vi.fn();
    window.addEventListener(AUTH_LOST_EVENT, heard);
    respond(404, { error: { code: "ResourceNotFound", message: "no" } });
    await api("templates/1/").catch(() => undefined);
    expect(heard).not.toHaveBeenCalled();
    respond(401, { error: { code: "NotAuthenticated", message: "sign in" } });
    await api("templates/").catch(() => undefined);
    expect(heard).toHaveBeenCalledTimes(1);
    window.removeEventListener(AUTH_LOST_EVENT, heard);
  });
});
