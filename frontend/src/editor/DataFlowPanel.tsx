/**
 * Data-flow preview of the selected state: the server's TestState (`POST /api/test-state/`)
 * runs it on an input and reports each step: input -> InputPath -> Parameters -> result ->
 * ResultSelector -> ResultPath -> OutputPath.
 */
import { useState } from "react";
import { getAt, splitStatePath, stringifyDefinition, type JsonValue } from "@orchestrator/designer";
import { ApiError } from "../api/client.ts";
import { testState, type StateTestResult } from "../api/workflows.ts";
import { CodeEditor } from "../codemirror/CodeEditor.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import type { Designer } from "./useDesigner.ts";

export const STAGES = ["input", "afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath", "output"] as const;

/** The stages the server reported, in order (a failing stage ends the list). */
export function stagesOf(result: StateTestResult): { stage: (typeof STAGES)[number]; value: unknown }[] {
  const data = result.inspectionData ?? {};
  return STAGES.filter((stage) => stage in data).map((stage) => ({ stage, value: data[stage] }));
}

export function DataFlowPanel({ designer, roleId, dark }: { designer: Designer; roleId: number | null; dark: boolean }) {
  const t = useT();
  const selected = designer.selected.find((id) => designer.graph.states.has(id));
  const [input, setInput] = useState("{}");
  const [result, setResult] = useState<StateTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (): Promise<void> => {
    if (selected === undefined) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      JSON.parse(input);
    } catch (failure) {
      setError(t("editor.invalidInput", { message: failure instanceof Error ? failure.message : String(failure) }));
      setBusy(false);
      return;
    }
    try {
      const { name } = splitStatePath(selected);
      // The state itself (TestState picks only top-level states from a machine; nested ones
      // are sent alone), with the machine's query language when the state names none.
      const state = JSON.parse(stringifyDefinition(getAt(designer.state.definition, selected) as JsonValue)) as Record<string, unknown>;
      const language = designer.state.definition.QueryLanguage;
      const definition = language !== undefined && !("QueryLanguage" in state) ? { ...state, QueryLanguage: language } : state;
      setResult(await testState({ definition, state_name: name, input, ...(roleId !== null ? { role_id: roleId } : {}) }));
    } catch (failure) {
      setError(failure instanceof ApiError ? `${failure.code}: ${failure.message}` : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="dataflow-pane" aria-labelledby="dataflow-title" data-testid="dataflow-panel">
      <header className="pane-header">
        <h2 id="dataflow-title">{t("editor.dataFlowTitle")}</h2>
      </header>
      {selected === undefined ? (
        <p className="muted">{t("editor.dataFlowPick")}</p>
      ) : (
        <div className="dataflow-body">
          <p>
            <strong>{splitStatePath(selected).name}</strong>
          </p>
          <div className="field">
            <span>{t("editor.dataFlowInput")}</span>
            <div className="json-input small" data-testid="dataflow-input">
              <CodeEditor value={input} onChange={setInput} debounce={0} ariaLabel={t("editor.dataFlowInput")} dark={dark} compact />
            </div>
          </div>
          <button type="button" className="primary" onClick={() => void run()} disabled={busy} data-testid="dataflow-run">{t("editor.dataFlowRun")}</button>
          {error && <p role="alert" className="error-text">{error}</p>}
          {result && (
            <div className="dataflow-result" data-testid="dataflow-result" data-status={result.status}>
              <p>
                {t("editor.dataFlowStatus", { status: result.status })}
                {result.nextState ? ` · ${t("editor.dataFlowNext", { name: result.nextState })}` : ""}
              </p>
              {result.error && (
                <p className="error-text">
                  <strong>{result.error}</strong> {result.cause}
                </p>
              )}
              <ol className="stages">
                {stagesOf(result).map(({ stage, value }) => (
                  <li key={stage} data-stage={stage}>
                    <h4>{t(`editor.stage.${stage}` as MessageKey)}</h4>
                    <pre>{JSON.stringify(value, null, 2)}</pre>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
