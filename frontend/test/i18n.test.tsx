import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../src/app/App.tsx";
import { I18nProvider, format } from "../src/i18n/I18nProvider.tsx";
import { MESSAGES } from "../src/i18n/messages.ts";

describe("i18n", () => {
  it("has the same keys, all non-empty and with the same parameters, in English and Chinese", () => {
    const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(MESSAGES.zh).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const [key, text] of Object.entries(MESSAGES.en)) {
      const zh = MESSAGES.zh[key as keyof typeof MESSAGES.en];
      expect(text.length, key).toBeGreaterThan(0);
      expect(zh.length, key).toBeGreaterThan(0);
      expect(params(zh), key).toEqual(params(text));
    }
  });

  it("fills parameters", () => {
    expect(format("{states} states · {errors} errors", { states: 3, errors: 0 })).toBe("3 states · 0 errors");
  });

  it("switches the whole interface to Simplified Chinese and back", async () => {
    window.location.hash = "#/editor";
    render(
      <I18nProvider locale="en">
        <App />
      </I18nProvider>,
    );
    expect(screen.getByRole("link", { name: "Workflows" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add Parallel" })).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText("Language"), "zh");
    expect(screen.getByRole("link", { name: "工作流" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "添加并行" })).toBeTruthy();
    expect(screen.getByRole("toolbar", { name: "编辑器操作" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(localStorage.getItem("orchestrator.locale")).toBe("zh");

    await userEvent.selectOptions(screen.getByLabelText("语言"), "en");
    expect(screen.getByRole("link", { name: "Workflows" })).toBeTruthy();
  });

  it("says in Chinese that a part of the API is not available on this server, with no sample data", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("<h1>Not Found</h1>", { status: 404 })));
    window.location.hash = "#/executions";
    render(
      <I18nProvider locale="zh">
        <App />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { name: "执行" })).toBeTruthy();
    expect((await screen.findByTestId("not-available")).textContent).toContain("此服务器不提供该功能");
    expect(screen.queryByRole("table")).toBeNull();
    vi.unstubAllGlobals();
  });
});
