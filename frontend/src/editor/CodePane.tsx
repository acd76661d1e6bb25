/**
 * The TCSL code beside the canvas: the definition as JSON, editable. Validation
 * problems are underlined where their JSON pointer points; a syntax error is underlined
 * at its offset while the canvas keeps the last valid definition. Selecting a state on
 * the canvas reveals it here.
 */
import { useDeferredValue, useMemo } from "react";
import type { Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { CodeEditor } from "../codemirror/CodeEditor.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import { pointerRanges, rangeOf } from "./jsonLocations.ts";
import type { Designer } from "./useDesigner.ts";

const SEVERITY = { ERROR: "error", WARNING: "warning" } as const;

export function CodePane({ designer, dark }: { designer: Designer; dark: boolean }) {
  const t = useT();
  const { applyCode } = designer;
  // The code pane follows the canvas in a render of its own (React defers it after the
  // canvas's): on a large workflow, CodeMirror updating its text and marks then never
  // delays the canvas being painted (an edit, a load, a drag's commit).
  const code = useDeferredValue(designer.code);
  const codeError = useDeferredValue(designer.codeError);
  const diagnostics = useDeferredValue(designer.diagnostics);
  const selected = useDeferredValue(designer.selected);
  const ranges = useMemo(() => (codeError ? null : pointerRanges(code)), [code, codeError]);

  const marks = useMemo((): CmDiagnostic[] => {
    if (codeError) {
      return [{ from: codeError.offset, to: codeError.offset + 1, severity: "error", message: t("code.syntaxError", { message: codeError.message }) }];
    }
    if (ranges === null) return [];
    return diagnostics.all.map((d) => {
      const range = rangeOf(ranges, d.location);
      return { from: range.from, to: Math.max(range.to, range.from + 1), severity: SEVERITY[d.severity as keyof typeof SEVERITY] ?? "info", message: `${d.code}: ${d.message}`, source: d.location };
    });
  }, [codeError, diagnostics, ranges, t]);

  const reveal = useMemo(() => {
    const first = selected[0];
    if (first === undefined || ranges === null) return null;
    return ranges.get(first) ?? null;
  }, [ranges, selected]);

  const errors = diagnostics.all.filter((d) => d.severity === "ERROR").length;
  const warnings = diagnostics.all.length - errors;

  return (
    <section className="code-pane" aria-label={t("code.title")}>
      <header className="pane-header">
        <h2>{t("code.title")}</h2>
        <span className={codeError ? "code-status error" : errors > 0 ? "code-status error" : warnings > 0 ? "code-status warning" : "code-status ok"} role="status">
          {codeError ? t("code.invalidJson") : errors + warnings === 0 ? t("code.valid") : t("code.problems", { errors, warnings })}
        </span>
      </header>
      <CodeEditor value={code} onChange={applyCode} diagnostics={marks} ariaLabel={t("code.editorLabel")} reveal={reveal} dark={dark} />
    </section>
  );
}
