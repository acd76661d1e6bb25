/**
 * The inspector: a form for the selected state (per type: the common fields of the
 * language, JSON editors for JSON-valued ones, the whole state as JSON for everything
 * else), or for the workflow itself when nothing is selected, with its problems listed.
 */
import { escapeToken, splitStatePath, type JsonValue, type LocatedDiagnostic, type StateNode } from "@orchestrator/designer";
import { useT } from "../../i18n/I18nProvider.tsx";
import type { MessageKey } from "../../i18n/messages.ts";
import { TypeIcon } from "../TypeIcon.tsx";
import type { Designer } from "../useDesigner.ts";
import { CheckboxField, JsonField, NumberField, SelectField, TextField } from "./fields.tsx";

type FieldKind = "text" | "number" | "json";

interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** Which section of the form. */
  section: "main" | "io" | "errors";
}

const f = (name: string, kind: FieldKind, section: FieldSpec["section"] = "main"): FieldSpec => ({ name, kind, section });

const IO_PATHS = [f("InputPath", "text", "io"), f("OutputPath", "text", "io")];
const RESULT = [f("ResultSelector", "json", "io"), f("ResultPath", "text", "io")];
const ERRORS = [f("Retry", "json", "errors"), f("Catch", "json", "errors")];

/** The fields the form shows for each state type, in the order an author writes them. */
export const TYPE_FIELDS: Record<string, FieldSpec[]> = {
  Task: [f("Resource", "text"), f("Parameters", "json"), f("TimeoutSeconds", "number"), f("HeartbeatSeconds", "number"), ...IO_PATHS, ...RESULT, ...ERRORS],
  Pass: [f("Result", "json"), f("Parameters", "json", "io"), ...IO_PATHS, f("ResultPath", "text", "io")],
  Choice: [f("Choices", "json"), ...IO_PATHS],
  Wait: [f("Seconds", "number"), f("Timestamp", "text"), f("SecondsPath", "text"), f("TimestampPath", "text"), ...IO_PATHS],
  Succeed: [...IO_PATHS],
  Fail: [f("Error", "text"), f("Cause", "text"), f("ErrorPath", "text"), f("CausePath", "text")],
  Parallel: [f("Parameters", "json", "io"), ...IO_PATHS, ...RESULT, ...ERRORS],
  Map: [f("ItemsPath", "text"), f("MaxConcurrency", "number"), f("ItemSelector", "json"), ...IO_PATHS, ...RESULT, ...ERRORS],
};

/** Placeholders that show the shape a JSON field expects. */
const JSON_PLACEHOLDER: Record<string, string> = {
  Retry: '[\n  { "ErrorEquals": ["States.ALL"], "MaxAttempts": 2 }\n]',
  Catch: '[\n  { "ErrorEquals": ["States.ALL"], "Next": "" }\n]',
};

const END = "\u0000end";

function problemsAt(problems: LocatedDiagnostic[], field: string): string[] {
  return problems.filter((p) => p.target.field === field || p.target.field.startsWith(field + "/")).map((p) => p.message);
}

function siblingOptions(designer: Designer, node: StateNode, none: { value: string; label: string }) {
  const container = designer.graph.containers.get(node.parent);
  const names = (container?.children ?? []).map((id) => splitStatePath(id).name).filter((name) => name !== node.name);
  return [none, ...names.map((name) => ({ value: name, label: name }))];
}

function FieldEditor({ spec, node, designer, dark }: { spec: FieldSpec; node: StateNode; designer: Designer; dark: boolean }) {
  const t = useT();
  const value = node.fields[spec.name];
  const pointer = `${node.id}/${escapeToken(spec.name)}`;
  const problems = problemsAt(designer.diagnostics.byNode.get(node.id) ?? [], `/${escapeToken(spec.name)}`);
  const onCommit = (next: JsonValue | undefined) => void designer.updateField(pointer, next);
  const label = spec.name;
  const hintKey = `hint.${spec.name}` as MessageKey;
  const hint = t(hintKey) === hintKey ? undefined : t(hintKey);
  // A member holding another kind of value than the form expects is edited as JSON.
  const kind = value === undefined || spec.kind === "json" ? spec.kind : spec.kind === "text" && typeof value !== "string" ? "json" : spec.kind;
  if (kind === "json") {
    return <JsonField label={label} value={value} onCommit={onCommit} hint={hint} problems={problems} dark={dark} placeholder={JSON_PLACEHOLDER[spec.name]} />;
  }
  if (kind === "number") return <NumberField label={label} value={value} onCommit={onCommit} hint={hint} problems={problems} />;
  return <TextField label={label} value={value} onCommit={onCommit} hint={hint} problems={problems} />;
}

function TransitionFields({ node, designer }: { node: StateNode; designer: Designer }) {
  const t = useT();
  const problems = designer.diagnostics.byNode.get(node.id) ?? [];
  if (node.type === "Succeed" || node.type === "Fail") return null;
  if (node.type === "Choice") {
    return (
      <SelectField
        label="Default"
        value={node.fields.Default}
        options={siblingOptions(designer, node, { value: "", label: t("inspector.noDefault") })}
        onCommit={(next) => void designer.updateField(`${node.id}/Default`, next)}
        problems={problemsAt(problems, "/Default")}
      />
    );
  }
  const next = node.fields.Next;
  const ends = node.fields.End === true;
  return (
    <>
      <SelectField
        label="Next"
        value={typeof next === "string" ? next : ends ? END : ""}
        options={[
          ...siblingOptions(designer, node, { value: "", label: t("inspector.noNext") }),
          { value: END, label: t("inspector.endHere") },
        ]}
        onCommit={(value) => {
          if (value === END) {
            if (typeof next === "string") designer.disconnect(`${node.id}/Next`);
            else designer.updateField(`${node.id}/End`, true);
          } else if (value === undefined) {
            designer.updateField(`${node.id}/Next`, undefined);
          } else {
            designer.connect("next", node.id, `${node.parent}/States/${escapeToken(String(value))}`);
          }
        }}
        problems={[...problemsAt(problems, "/Next"), ...problemsAt(problems, "/End")]}
      />
    </>
  );
}

function StateForm({ node, designer, dark }: { node: StateNode; designer: Designer; dark: boolean }) {
  const t = useT();
  const specs = TYPE_FIELDS[node.type ?? ""] ?? [];
  const section = (name: FieldSpec["section"]) => specs.filter((spec) => spec.section === name);
  const hasValue = (list: FieldSpec[]) => list.some((spec) => node.fields[spec.name] !== undefined);
  const render = (list: FieldSpec[]) => list.map((spec) => <FieldEditor key={spec.name} spec={spec} node={node} designer={designer} dark={dark} />);
  const compound = node.containers.length > 0;
  const allProblems = [...new Set((designer.diagnostics.byNode.get(node.id) ?? []).map((p) => p.message))];
  const typeLabel = node.type && node.type in TYPE_FIELDS ? t(`type.${node.type}` as MessageKey) : (node.type ?? "?");

  return (
    <div className="inspector-form" key={node.id}>
      <header className="inspector-header">
        <TypeIcon type={node.type} size={20} />
        <div>
          <div className="inspector-title">{node.name}</div>
          <div className="inspector-subtitle">{typeLabel}</div>
        </div>
      </header>
      <TextField label={t("inspector.name")} value={node.name} onCommit={(name) => typeof name === "string" && designer.rename(node.id, name)} />
      <TextField label="Comment" value={node.fields.Comment} onCommit={(value) => void designer.updateField(`${node.id}/Comment`, value)} />
      {render(section("main"))}
      <TransitionFields node={node} designer={designer} />
      {section("io").length > 0 && (
        <details className="inspector-section" open={hasValue(section("io"))}>
          <summary>{t("inspector.io")}</summary>
          {render(section("io"))}
        </details>
      )}
      {section("errors").length > 0 && (
        <details className="inspector-section" open={hasValue(section("errors"))}>
          <summary>{t("inspector.errors")}</summary>
          {render(section("errors"))}
        </details>
      )}
      {!compound && node.raw === undefined && (
        <details className="inspector-section">
          <summary>{t("inspector.wholeState")}</summary>
          <JsonField
            label={t("inspector.wholeStateLabel")}
            value={node.fields}
            dark={dark}
            onCommit={(value) => value !== undefined && designer.updateField(node.id, value)}
          />
        </details>
      )}
      {allProblems.length > 0 && (
        <ul className="problem-list" aria-label={t("problems.title")}>
          {allProblems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function WorkflowForm({ designer }: { designer: Designer }) {
  const t = useT();
  const root = designer.graph.containers.get("");
  const definition = designer.state.definition;
  const names = (root?.children ?? []).map((id) => splitStatePath(id).name);
  return (
    <div className="inspector-form">
      <header className="inspector-header">
        <div>
          <div className="inspector-title">{t("inspector.workflow")}</div>
          <div className="inspector-subtitle">{t("inspector.workflowHint")}</div>
        </div>
      </header>
      <TextField label="Comment" value={definition.Comment} onCommit={(value) => void designer.updateField("/Comment", value)} />
      <SelectField
        label="StartAt"
        value={definition.StartAt}
        options={[{ value: "", label: t("inspector.noStart") }, ...names.map((name) => ({ value: name, label: name }))]}
        onCommit={(value) => void designer.updateField("/StartAt", value)}
      />
      <NumberField label="TimeoutSeconds" value={definition.TimeoutSeconds} onCommit={(value) => void designer.updateField("/TimeoutSeconds", value)} />
      <SelectField
        label="QueryLanguage"
        value={definition.QueryLanguage}
        options={[
          { value: "", label: t("inspector.defaultLanguage") },
          { value: "JSONPath", label: "JSONPath" },
          { value: "JSONata", label: "JSONata" },
        ]}
        onCommit={(value) => void designer.updateField("/QueryLanguage", value)}
      />
      <ProblemList designer={designer} />
    </div>
  );
}

/** Every problem of the workflow; choosing one selects the state it is about. */
function ProblemList({ designer }: { designer: Designer }) {
  const t = useT();
  const problems = designer.diagnostics.all;
  if (problems.length === 0) return null;
  return (
    <section className="problems" aria-label={t("problems.title")}>
      <h3>{t("problems.count", { count: problems.length })}</h3>
      <ul>
        {problems.map((problem, index) => {
          const target = problem.target.kind === "state" ? problem.target.id : null;
          const name = target === null ? t("problems.workflow") : splitStatePath(target).name;
          return (
            <li key={`${problem.location}-${problem.code}-${index}`} className={problem.severity === "ERROR" ? "error" : "warning"}>
              <button type="button" disabled={target === null} onClick={() => target !== null && designer.setSelected([target])}>
                <strong>{name}</strong> {problem.message}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function Inspector({ designer, dark }: { designer: Designer; dark: boolean }) {
  const t = useT();
  const selectedStates = designer.selected.filter((id) => designer.graph.states.has(id));
  const node = selectedStates.length === 1 ? designer.graph.states.get(selectedStates[0] as string) : undefined;
  return (
    <aside className="inspector" aria-label={t("inspector.title")}>
      {node ? (
        <StateForm node={node} designer={designer} dark={dark} />
      ) : selectedStates.length > 1 ? (
        <p className="inspector-empty">{t("inspector.many", { count: selectedStates.length })}</p>
      ) : (
        <WorkflowForm designer={designer} />
      )}
    </aside>
  );
}
