/**
 * CodeMirror 6 as a React component for JSON: `value` in, `onChange` out (debounced, so
 * a burst of typing is one change), diagnostics shown as underlines with messages. The
 * document is only replaced when `value` differs from what the editor itself emitted,
 * so the author's cursor and formatting survive their own edits.
 */
import { useEffect, useRef } from "react";
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { HighlightStyle, bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { Annotation, Compartment, EditorState } from "@codemirror/state";
import { tags } from "@lezer/highlight";
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

export interface CodeEditorProps {
  value: string;
  onChange: (text: string) => void;
  diagnostics?: readonly Diagnostic[];
  ariaLabel: string;
  /** Milliseconds to wait after the last keystroke before calling onChange. */
  debounce?: number;
  /** Compact editor for a form field: no gutters. */
  compact?: boolean;
  /** A range to scroll into view and select (e.g. the selected state's key). */
  reveal?: { from: number; to: number } | null;
  dark?: boolean;
  onBlur?: () => void;
}

/** Marks the transactions that push `value` in, so they are not echoed back as edits. */
const External = Annotation.define<boolean>();

/** JSON colours from the page's theme variables, so light and dark both read well. */
const jsonHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--syn-key)" },
  { tag: tags.string, color: "var(--syn-string)" },
  { tag: tags.number, color: "var(--syn-number)" },
  { tag: [tags.bool, tags.null], color: "var(--syn-keyword)" },
  { tag: tags.invalid, color: "var(--danger)" },
]);

const baseTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "12.5px", backgroundColor: "var(--code-bg)", color: "var(--text)" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-gutters": { backgroundColor: "var(--code-gutter)", color: "var(--muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--code-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--code-active)" },
  "&.cm-focused": { outline: "2px solid var(--focus)", outlineOffset: "-2px" },
  ".cm-cursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--code-selection) !important" },
});

export function CodeEditor({ value, onChange, diagnostics = [], ariaLabel, debounce = 150, compact = false, reveal, dark = false, onBlur }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const emitted = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onBlurRef = useRef(onBlur);
  onBlurRef.current = onBlur;
  const themeSlot = useRef(new Compartment());

  useEffect(() => {
    const flush = (): void => {
      clearTimeout(timer.current);
      timer.current = undefined;
      const text = view.current?.state.doc.toString();
      if (text === undefined || text === emitted.current) return;
      emitted.current = text;
      onChangeRef.current(text);
    };
    const created = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: value,
        extensions: [
          compact ? [] : [lineNumbers(), foldGutter(), lintGutter(), highlightActiveLine()],
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightSelectionMatches(),
          syntaxHighlighting(jsonHighlight),
          json(),
          keymap.of([...defaultKeymap, ...searchKeymap, ...foldKeymap, indentWithTab]),
          baseTheme,
          themeSlot.current.of(EditorView.darkTheme.of(dark)),
          EditorView.contentAttributes.of({ "aria-label": ariaLabel }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || update.transactions.every((tr) => tr.annotation(External))) return;
            clearTimeout(timer.current);
            timer.current = setTimeout(flush, debounce);
          }),
          EditorView.domEventHandlers({
            blur: () => {
              flush();
              onBlurRef.current?.();
            },
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      flush();
      created.destroy();
      view.current = null;
    };
    // The editor is created once; later props are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const current = view.current;
    if (current === null || value === emitted.current) return;
    emitted.current = value;
    if (current.state.doc.toString() === value) return;
    clearTimeout(timer.current);
    const head = Math.min(current.state.selection.main.head, value.length);
    current.dispatch({
      changes: { from: 0, to: current.state.doc.length, insert: value },
      selection: { anchor: head },
      annotations: External.of(true),
    });
  }, [value]);

  useEffect(() => {
    const current = view.current;
    if (current === null) return;
    const length = current.state.doc.length;
    const clamped = diagnostics.map((d) => ({ ...d, from: Math.min(d.from, length), to: Math.min(d.to, length) }));
    current.dispatch(setDiagnostics(current.state, clamped));
  }, [diagnostics]);

  useEffect(() => {
    view.current?.dispatch({ effects: themeSlot.current.reconfigure(EditorView.darkTheme.of(dark)) });
  }, [dark]);

  useEffect(() => {
    const current = view.current;
    if (current === null || !reveal || current.hasFocus) return;
    const length = current.state.doc.length;
    const from = Math.min(reveal.from, length);
    current.dispatch({
      selection: { anchor: from, head: Math.min(reveal.to, length) },
      effects: EditorView.scrollIntoView(from, { y: "center" }),
    });
  }, [reveal]);

  return <div ref={host} className={compact ? "code-editor compact" : "code-editor"} />;
}
