/**
 * The workflow editor: toolbar, palette, canvas, inspector and code pane over one
 * designer model. Works in the browser alone (a draft); with a workflow id it is
 * connected: load, save as a new version, versions and their diff, run, data-flow preview.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { splitStatePath, stringifyDefinition } from "@orchestrator/designer";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { Canvas } from "./canvas/Canvas.tsx";
import { CodePane } from "./CodePane.tsx";
import { DataFlowPanel } from "./DataFlowPanel.tsx";
import { CompareDialog, RunDialog, SaveAsDialog } from "./ServerDialogs.tsx";
import { useWorkflowSync } from "./useWorkflowSync.ts";
import { EXAMPLES } from "./examples.ts";
import { downloadText, readFileText } from "./fileIO.ts";
import { Inspector } from "./inspector/Inspector.tsx";
import { NewWorkflowDialog } from "./NewWorkflowDialog.tsx";
import { Palette } from "./Palette.tsx";
import { SHORTCUTS, shortcutOf, type ShortcutAction } from "./shortcuts.ts";
import type { PaletteItem } from "./stateTemplates.ts";
import { useDesigner, type Designer } from "./useDesigner.ts";

export interface EditorPageProps {
  /** The definition to open (JSON text). */
  initialText?: string;
  dark?: boolean;
  /** Called with the code text after each change (the app keeps it as a draft). */
  onTextChange?: (text: string) => void;
  /** A saved workflow to load, save and run (else an unsaved draft). */
  workflowId?: number;
}

const DEFAULT_TEXT = (EXAMPLES.find((example) => example.id === "sum") ?? EXAMPLES[0])?.text ?? "{}";

/** Keyboard users add after the selected state (on its outgoing transition), else at the top level. */
function addByKeyboard(designer: Designer, item: PaletteItem): void {
  const selected = designer.selected.find((id) => designer.graph.states.has(id));
  if (selected !== undefined) {
    const out = designer.graph.edges.find((edge) => edge.source === selected && (edge.kind === "next" || edge.kind === "end") && !edge.dangling);
    if (out !== undefined) {
      designer.addFromPalette(item, { edge: out.id });
      return;
    }
    designer.addFromPalette(item, { container: splitStatePath(selected).container });
    return;
  }
  designer.addFromPalette(item, { container: "" });
}

function EditorWorkspace({ initialText = DEFAULT_TEXT, dark = false, onTextChange, workflowId }: EditorPageProps) {
  const t = useT();
  const designer = useDesigner(initialText);
  const sync = useWorkflowSync(workflowId, designer);
  const [serverDialog, setServerDialog] = useState<"save" | "run" | "compare" | null>(null);
  const [showDataFlow, setShowDataFlow] = useState(false);
  const onSave = (): void => {
    if (workflowId === undefined) setServerDialog("save");
    else void sync.save();
  };
  useEffect(() => {
    const timer = setTimeout(() => onTextChange?.(designer.code), 500);
    return () => clearTimeout(timer);
  }, [designer.code, onTextChange]);
  const flow = useReactFlow();
  const [dialog, setDialog] = useState<"new" | "shortcuts" | null>(null);
  const [paletteDragging, setPaletteDragging] = useState(false);
  const [showCode, setShowCode] = useState(true);
  const fileInput = useRef<HTMLInputElement>(null);

  const fit = useCallback(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 200 }), [flow]);

  const perform = useCallback(
    (action: ShortcutAction) => {
      switch (action) {
        case "undo": return designer.undo();
        case "redo": return designer.redo();
        case "copy": return void designer.copySelected();
        case "paste": return void designer.paste();
        case "duplicate": return void designer.duplicateSelected();
        case "delete": return designer.removeSelected();
        case "selectAll": return designer.setSelected([...designer.graph.states.keys()]);
        case "deselect": return designer.setSelected([]);
        case "layout":
          designer.resetLayout();
          return void setTimeout(fit, 50);
        case "fit": return fit();
      }
    },
    [designer, fit],
  );

  const root = useRef<HTMLDivElement>(null);
  const onSaveRef = useRef(onSave);
  onSaveRef.current = onSave;
  useEffect(() => {
    const element = root.current;
    if (element === null) return;
    const onKey = (event: KeyboardEvent): void => {
      if (dialog !== null || serverDialog !== null) return;
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        onSaveRef.current();
        return;
      }
      const action = shortcutOf(event);
      if (action === null) return;
      event.preventDefault();
      perform(action);
    };
    element.addEventListener("keydown", onKey);
    return () => element.removeEventListener("keydown", onKey);
  }, [dialog, serverDialog, perform]);

  const exportFile = (): void => {
    const comment = designer.state.definition.Comment;
    const base = typeof comment === "string" && comment.trim() !== "" ? comment.trim().replace(/[^\w\u4e00-\u9fff-]+/g, "-").slice(0, 40) : "workflow";
    downloadText(`${base}.json`, designer.codeError ? stringifyDefinition(designer.state.definition) : designer.code);
  };

  const importFile = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    designer.load(await readFileText(file));
  };

  const errors = designer.diagnostics.all.filter((d) => d.severity === "ERROR").length;

  return (
    <div className="editor" ref={root}>
      <div className="toolbar" role="toolbar" aria-label={t("toolbar.label")}>
        <div className="toolbar-group">
          <button type="button" onClick={() => setDialog("new")}>{t("toolbar.new")}</button>
          <button type="button" onClick={() => fileInput.current?.click()}>{t("toolbar.import")}</button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-input"
            onChange={(event) => {
              void importFile(event.target.files?.[0]);
              event.target.value = "";
            }}
          />
          <button type="button" onClick={exportFile}>{t("toolbar.export")}</button>
        </div>
        <div className="toolbar-group">
          <button type="button" onClick={designer.undo} disabled={!designer.canUndo} aria-keyshortcuts="Control+Z" title={`${t("toolbar.undo")} (Ctrl+Z)`}>
            <span aria-hidden="true">↶ </span>
            {t("toolbar.undo")}
          </button>
          <button type="button" onClick={designer.redo} disabled={!designer.canRedo} aria-keyshortcuts="Control+Shift+Z" title={`${t("toolbar.redo")} (Ctrl+Shift+Z)`}>
            <span aria-hidden="true">↷ </span>
            {t("toolbar.redo")}
          </button>
        </div>
        <div className="toolbar-group">
          <button type="button" onClick={() => designer.duplicateSelected()} disabled={designer.selected.length === 0} title="Ctrl+D">{t("toolbar.duplicate")}</button>
          <button type="button" onClick={designer.removeSelected} disabled={designer.selected.length === 0} title="Delete">{t("toolbar.delete")}</button>
        </div>
        <div className="toolbar-group">
          <button type="button" onClick={() => perform("layout")} title="Shift+Alt+L">{t("toolbar.autoLayout")}</button>
          <button type="button" onClick={fit} title="Shift+1">{t("toolbar.fit")}</button>
          <button type="button" aria-pressed={showCode} onClick={() => setShowCode((v) => !v)}>{t("toolbar.code")}</button>
          <button type="button" onClick={() => setDialog("shortcuts")} aria-label={t("toolbar.shortcuts")} title={t("toolbar.shortcuts")}>⌨</button>
        </div>
        <div className="toolbar-status" role="status" aria-live="polite">
          {designer.loading ? (
            <span className="summary">{t("toolbar.loading")}</span>
          ) : designer.notice ? (
            <span className="notice">{designer.notice}</span>
          ) : (
            <span className={errors > 0 ? "summary error" : "summary ok"}>
              {t("toolbar.summary", { states: designer.graph.states.size, errors })}
            </span>
          )}
        </div>
        {workflowId !== undefined && (
          <div className="toolbar-group workflow-info">
            <span className="workflow-name" data-testid="workflow-name" title={t("editor.workflowName")}>{sync.workflow?.name ?? "…"}</span>
            <label className="sr-only" htmlFor="version-picker">{t("editor.versions")}</label>
            <select
              id="version-picker"
              data-testid="version-picker"
              value={sync.shownVersion ?? ""}
              onChange={(event) => void sync.loadVersion(Number(event.target.value))}
              disabled={sync.versions.length === 0}
            >
              {sync.versions.length === 0 && sync.shownVersion !== null && <option value={sync.shownVersion}>v{sync.shownVersion}</option>}
              {sync.versions.map((version) => (
                <option key={version.number} value={version.number}>
                  v{version.number}{version.number === sync.workflow?.latest_version ? ` (${t("editor.latest")})` : ""}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => setServerDialog("compare")} disabled={sync.versions.length === 0} data-testid="compare-versions">{t("editor.compare")}</button>
          </div>
        )}
        <button type="button" aria-pressed={showDataFlow} onClick={() => setShowDataFlow((v) => !v)} data-testid="toggle-dataflow">{t("editor.dataFlow")}</button>
        <span className="save-status" role="status" aria-live="polite" data-testid="save-status" data-kind={sync.message?.kind ?? (sync.dirty && workflowId !== undefined ? "dirty" : "")}>
          {sync.message ? sync.message.text : workflowId !== undefined && sync.dirty && sync.workflow !== null ? t("editor.unsaved") : ""}
        </span>
        <button type="button" className="primary" onClick={onSave} disabled={sync.saving || !sync.ready} aria-keyshortcuts="Control+S" title={`${t("toolbar.save")} (Ctrl+S)`} data-testid="save">{t("toolbar.save")}</button>
        <button
          type="button"
          className="primary"
          onClick={() => setServerDialog("run")}
          disabled={workflowId === undefined || sync.workflow === null || !sync.ready}
          title={workflowId === undefined ? t("editor.saveAs") : t("editor.run")}
          data-testid="run"
        >
          {t("toolbar.run")}
        </button>
      </div>
      {sync.loadError && <p role="alert" className="error-text editor-alert">{sync.loadError}</p>}
      <div className={showCode ? "editor-body with-code" : "editor-body"}>
        <Palette onAdd={(item) => addByKeyboard(designer, item)} onDragChange={setPaletteDragging} />
        <Canvas designer={designer} dark={dark} paletteDragging={paletteDragging} />
        <div className="side">
          <Inspector designer={designer} dark={dark} />
          {showDataFlow && <DataFlowPanel designer={designer} roleId={sync.workflow?.role_id ?? null} dark={dark} />}
          {showCode && <CodePane designer={designer} dark={dark} />}
        </div>
      </div>
      {serverDialog === "save" && <SaveAsDialog onClose={() => setServerDialog(null)} onSave={sync.createFromEditor} />}
      {serverDialog === "run" && (
        <RunDialog workflowId={workflowId} dirty={sync.dirty} dark={dark} onClose={() => setServerDialog(null)} onStart={sync.run} />
      )}
      {serverDialog === "compare" && workflowId !== undefined && (
        <CompareDialog workflowId={workflowId} versions={sync.versions} current={sync.current} onClose={() => setServerDialog(null)} />
      )}
      {dialog === "new" && (
        <NewWorkflowDialog
          onClose={() => setDialog(null)}
          onPick={(text) => {
            designer.load(text);
            setDialog(null);
          }}
        />
      )}
      {dialog === "shortcuts" && (
        <div className="dialog-backdrop" onClick={() => setDialog(null)}>
          <div className="dialog small" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onKeyDown={(e) => e.key === "Escape" && setDialog(null)}>
            <header className="dialog-header">
              <h2 id="shortcuts-title">{t("toolbar.shortcuts")}</h2>
              <button type="button" className="icon-button" autoFocus onClick={() => setDialog(null)} aria-label={t("common.close")}>×</button>
            </header>
            <table className="shortcuts">
              <tbody>
                {SHORTCUTS.map(({ action, keys }) => (
                  <tr key={action}>
                    <td>{t(`shortcut.${action}` as MessageKey)}</td>
                    <td><kbd>{keys}</kbd></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

export function EditorPage(props: EditorPageProps) {
  return (
    <ReactFlowProvider>
      <EditorWorkspace {...props} />
    </ReactFlowProvider>
  );
}
