import { describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { App } from "../src/app/App.tsx";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";
import { codeText, typeCode, waitForNode } from "./helpers.tsx";

const renderApp = () =>
  render(
    <I18nProvider locale="en">
      <App />
    </I18nProvider>,
  );

describe("draft", () => {
  it("keeps the workflow being edited across a reload of the editor", async () => {
    localStorage.clear();
    window.location.hash = "#/editor";
    const first = renderApp();
    await waitForNode(first.container, "sum");
    const edited = JSON.stringify({ StartAt: "Kept", States: { Kept: { Type: "Succeed" } } }, null, 2);
    act(() => typeCode(first.container, edited));
    await waitForNode(first.container, "Kept");
    await waitFor(() => expect(localStorage.getItem("orchestrator.draft")).toBe(edited));
    first.unmount();

    const second = renderApp();
    await waitForNode(second.container, "Kept");
    expect(codeText(second.container)).toBe(edited);
  });

  it("ignores a draft that does not parse", async () => {
    localStorage.setItem("orchestrator.draft", "{ broken");
    window.location.hash = "#/editor";
    const { container } = renderApp();
    await waitForNode(container, "sum");
    expect(screen.queryByText(/broken/)).toBeNull();
  });
});
