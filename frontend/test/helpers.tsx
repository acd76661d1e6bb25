/** Rendering helpers: the editor inside the i18n provider, and access to its code pane. */
import { render, waitFor, type RenderResult } from "@testing-library/react";
import { EditorView } from "@codemirror/view";
import { EditorPage } from "../src/editor/EditorPage.tsx";
import { I18nProvider } from "../src/i18n/I18nProvider.tsx";
import type { Locale } from "../src/i18n/messages.ts";

export function renderEditor(definition: unknown, locale: Locale = "en"): RenderResult {
  const text = typeof definition === "string" ? definition : JSON.stringify(definition, null, 2);
  return render(
    <I18nProvider locale={locale}>
      <EditorPage initialText={text} />
    </I18nProvider>,
  );
}

/** The CodeMirror view of the TCSL code pane. */
export function codeView(container: HTMLElement): EditorView {
  const element = container.querySelector(".code-pane .cm-editor");
  if (!(element instanceof HTMLElement)) throw new Error("no code pane");
  const view = EditorView.findFromDOM(element);
  if (view === null) throw new Error("no CodeMirror view");
  return view;
}

export const codeText = (container: HTMLElement): string => codeView(container).state.doc.toString();

/** Type into the code pane as a user would (one transaction replacing the document). */
export function typeCode(container: HTMLElement, text: string): void {
  const view = codeView(container);
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

export const definitionIn = (container: HTMLElement): Record<string, unknown> => JSON.parse(codeText(container)) as Record<string, unknown>;

/** Nodes appear once ELK has laid them out; the first layout in a test file is slow (cold). */
const LAYOUT_WAIT = { timeout: 10000 };

export async function waitForNode(container: HTMLElement, name: string): Promise<HTMLElement> {
  let found: HTMLElement | null = null;
  await waitFor(() => {
    found = container.querySelector(`[data-testid="node-${name}"]`);
    if (found === null) throw new Error(`no node ${name}`);
  }, LAYOUT_WAIT);
  return found as unknown as HTMLElement;
}

/** Wait until the auto-layout has placed every node (nodes re-render once when it lands). */
export async function waitForLayout(container: HTMLElement): Promise<void> {
  await waitFor(() => {
    if (container.querySelector('.canvas[data-layout="ready"]') === null) throw new Error("layout pending");
  }, LAYOUT_WAIT);
}

export const SUM = {
  Comment: "sum",
  StartAt: "sum",
  States: { sum: { Type: "Task", Resource: "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum", End: true } },
};

export const TWO_STEPS = {
  StartAt: "First",
  States: {
    First: { Type: "Pass", Next: "Second" },
    Second: { Type: "Pass", End: true },
  },
};
