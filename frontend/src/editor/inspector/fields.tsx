/**
 * Form fields of the inspector. Each edits one member of the definition by JSON pointer
 * and commits on Enter or when it loses focus (one undo step per edit, not per key);
 * an empty field removes the member. JSON-valued members get a small CodeMirror editor
 * that commits only text that parses, and marks the rest in place.
 */
import { useId, useMemo, useState, type ReactNode } from "react";
import { JsonSyntaxError, isJsonNumber, parseJson, stringifyDefinition, type JsonValue } from "@orchestrator/designer";
import { CodeEditor } from "../../codemirror/CodeEditor.tsx";
import { useT } from "../../i18n/I18nProvider.tsx";

export type Commit = (value: JsonValue | undefined) => void;

interface FieldProps {
  label: string;
  value: JsonValue | undefined;
  onCommit: Commit;
  hint?: string;
  problems?: string[];
}

function FieldFrame({ label, htmlFor, hint, problems, children }: { label: string; htmlFor?: string; hint?: string; problems?: string[]; children: ReactNode }) {
  return (
    <div className={problems && problems.length > 0 ? "field invalid" : "field"}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      {problems?.map((problem) => (
        <div className="field-problem" role="alert" key={problem}>{problem}</div>
      ))}
    </div>
  );
}

export function TextField({ label, value, onCommit, hint, problems, placeholder }: FieldProps & { placeholder?: string }) {
  const id = useId();
  const text = typeof value === "string" ? value : "";
  const commit = (next: string): void => {
    if (next === text && value !== undefined) return;
    onCommit(next === "" ? undefined : next);
  };
  return (
    <FieldFrame label={label} htmlFor={id} hint={hint} problems={problems}>
      <input
        id={id}
        key={text}
        type="text"
        defaultValue={text}
        placeholder={placeholder}
        spellCheck={false}
        onBlur={(event) => commit(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit((event.target as HTMLInputElement).value);
        }}
      />
    </FieldFrame>
  );
}

export function NumberField({ label, value, onCommit, hint, problems }: FieldProps) {
  const t = useT();
  const id = useId();
  const text = value === undefined ? "" : String(value);
  const [error, setError] = useState<string | null>(null);
  const commit = (next: string): void => {
    if (next.trim() === "") {
      setError(null);
      if (value !== undefined) onCommit(undefined);
      return;
    }
    let parsed: JsonValue;
    try {
      parsed = parseJson(next.trim());
    } catch {
      setError(t("field.notANumber"));
      return;
    }
    if (!isJsonNumber(parsed)) {
      setError(t("field.notANumber"));
      return;
    }
    setError(null);
    if (next.trim() !== text) onCommit(parsed);
  };
  return (
    <FieldFrame label={label} htmlFor={id} hint={hint} problems={[...(problems ?? []), ...(error ? [error] : [])]}>
      <input
        id={id}
        key={text}
        type="text"
        inputMode="decimal"
        defaultValue={text}
        onBlur={(event) => commit(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit((event.target as HTMLInputElement).value);
        }}
      />
    </FieldFrame>
  );
}

export function SelectField({ label, value, options, onCommit, problems }: FieldProps & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <FieldFrame label={label} htmlFor={id} problems={problems}>
      <select id={id} value={typeof value === "string" ? value : ""} onChange={(event) => onCommit(event.target.value === "" ? undefined : event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>{option.label}</option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A JSON-valued member: commits text that parses (losslessly), marks the rest. */
export function JsonField({ label, value, onCommit, hint, problems, dark, placeholder = "" }: FieldProps & { dark: boolean; placeholder?: string }) {
  const t = useT();
  const printed = useMemo(() => (value === undefined ? placeholder : stringifyDefinition(value)), [value, placeholder]);
  const [error, setError] = useState<{ message: string; offset: number } | null>(null);
  const onChange = (text: string): void => {
    if (text.trim() === "") {
      setError(null);
      onCommit(undefined);
      return;
    }
    try {
      const parsed = parseJson(text);
      setError(null);
      onCommit(parsed);
    } catch (caught) {
      const offset = caught instanceof JsonSyntaxError ? caught.offset : 0;
      setError({ message: caught instanceof Error ? caught.message : String(caught), offset });
    }
  };
  const diagnostics = useMemo(
    () => (error ? [{ from: error.offset, to: error.offset + 1, severity: "error" as const, message: error.message }] : []),
    [error],
  );
  return (
    <FieldFrame label={label} hint={hint} problems={[...(problems ?? []), ...(error ? [t("field.invalidJson", { message: error.message })] : [])]}>
      <CodeEditor value={printed} onChange={onChange} diagnostics={diagnostics} ariaLabel={label} compact debounce={400} dark={dark} />
    </FieldFrame>
  );
}
