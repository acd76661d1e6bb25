import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../src/app/App.tsx";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";

describe("theme", () => {
  it("switches between light and dark and remembers the choice", async () => {
    localStorage.setItem("orchestrator.theme", "light");
    window.location.hash = "#/dashboard";
    render(
      <I18nProvider locale="en">
        <App />
      </I18nProvider>,
    );
    expect(document.documentElement.dataset.theme).toBe("light");
    const toggle = screen.getByRole("button", { name: /Dark/ });
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    await userEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(localStorage.getItem("orchestrator.theme")).toBe("dark");
    expect(screen.getByRole("button", { name: /Light/ }).getAttribute("aria-pressed")).toBe("true");
  });
});
