/** The editor connected to a fake REST server: load the latest version, save (refused, then accepted), versions. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { EditorPage } from "../src/editor/EditorPage.tsx";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";
import { TWO_STEPS, typeCode, waitForNode } from "./helpers.tsx";

/** The machine may be busy (other suites, builds): generous waits. */
const SLOW = { timeout: 10000 };

afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("connected editor", () => {
  it("loads the workflow, shows a refused save's diagnostics on the node, then saves a new version", async () => {
    const versions = [{ number: 1, definition: JSON.stringify(TWO_STEPS), role_id: null, description: "", created_at: "" }];
    const workflow = { id: 5, name: "two", description: "", type: "STANDARD", role_id: null, definition: JSON.stringify(TWO_STEPS), latest_version: 1, owner: "ada", created_at: "", updated_at: "" };
    let refuse = true;
    const patches: unknown[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      const path = new URL(url, "http://localhost").pathname;
      if (path === "/api/auth/csrf/") return json(200, { csrf_token: "t" });
      if (path === "/api/templates/5/" && init?.method === "PATCH") {
        patches.push(JSON.parse(String(init.body)));
        if (refuse) {
          return json(400, { error: { code: "InvalidDefinition", message: "bad", pointer: "/States/Second", details: [{ severity: "ERROR", code: "SERVER_ONLY", message: "the server says no", location: "/States/Second" }] } });
        }
        const definition = (patches[patches.length - 1] as { definition: string }).definition;
        versions.unshift({ number: 2, definition, role_id: null, description: "", created_at: "" });
        return json(200, { ...workflow, definition, latest_version: 2 });
      }
      if (path === "/api/templates/5/") return json(200, workflow);
      if (path === "/api/templates/5/versions/") return json(200, { count: versions.length, next: null, previous: null, results: versions });
      return json(404, {});
    }));
    const { container } = render(
      <I18nProvider locale="en">
        <EditorPage workflowId={5} />
      </I18nProvider>,
    );
    await waitForNode(container, "Second");
    expect(screen.getByTestId("workflow-name").textContent).toBe("two");
    await waitFor(() => expect((screen.getByTestId("save") as HTMLButtonElement).disabled).toBe(false), SLOW);
    typeCode(container, JSON.stringify({ ...TWO_STEPS, Comment: "changed" }, null, 2));
    await waitFor(() => expect(screen.getByTestId("save-status").getAttribute("data-kind")).toBe("dirty"), SLOW);
    fireEvent.click(screen.getByTestId("save"));
    await waitFor(() => expect(screen.getByTestId("save-status").getAttribute("data-kind")).toBe("error"), SLOW);
    await waitFor(() => expect(container.querySelector('[data-testid="node-Second"]')?.className).toContain("invalid"), SLOW);
    refuse = false;
    fireEvent.click(screen.getByTestId("save"));
    await waitFor(() => expect(screen.getByTestId("save-status").textContent).toBe("Saved as version 2"), SLOW);
    expect(JSON.parse((patches[1] as { definition: string }).definition)).toMatchObject({ Comment: "changed" });
    await waitFor(() => expect(screen.getByTestId("version-picker").querySelectorAll("option")).toHaveLength(2), SLOW);
  }, 60000);
});
