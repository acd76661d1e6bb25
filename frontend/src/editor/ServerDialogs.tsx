/** The editor's server dialogs: save as a new workflow, run with an input, compare two versions. */
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { CodeEditor } from "../codemirror/CodeEditor.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import { getVersion, listRoleOptions, type RoleOption, type Version } from "../api/workflows.ts";

/** An error's message, or the thing itself as text. */
export const failureText = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

/**
 * A dialog form's error text and busy flag. `run(action)` clears the error and marks the form busy
 * while `action` runs; a failure is shown (in `describe`'s words) and the form can be sent again.
 */
export function useDialogSubmit(describe: (failure: unknown) => string = failureText) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describe(failure));
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

/** The run role choice of a new workflow: a role id, none, or "new" (a role made for its resources). */
export type RoleChoice = number | null | "new";

/** Roles to pick from; the default is the demo role when visible, else a new role for the workflow's resources. */
export function useRoleChoice(): { roles: RoleOption[]; choice: RoleChoice; setChoice: (choice: RoleChoice) => void } {
  const [roles, setRoles] = useState<RoleOption[]>([]);
  const [choice, setChoice] = useState<RoleChoice>("new");
  useEffect(() => {
    let current = true;
    listRoleOptions()
      .then((found) => {
        if (!current) return;
        setRoles(found);
      })
      .catch(() => current && setRoles([]));
    return () => {
      current = false;
    };
  }, []);
  return { roles, choice, setChoice };
}

export function RoleField({ roles, choice, setChoice, testId }: { roles: RoleOption[]; choice: RoleChoice; setChoice: (choice: RoleChoice) => void; testId: string }) {
  const t = useT();
  return (
    <label className="field">
      <span>{t("wf.role")}</span>
      <select
        value={choice === null ? "" : String(choice)}
        onChange={(e) => setChoice(e.target.value === "" ? null : e.target.value === "new" ? "new" : Number(e.target.value))}
        data-testid={testId}
      >
        <option value="new">{t("wf.newRole")}</option>
        <option value="">{t("wf.noRole")}</option>
        {roles.map((role) => <option key={role.id} value={role.id}>{role.name}</option>)}
      </select>
    </label>
  );
}
import { canonical, diffLines, diffSummary, withContext } from "./versionDiff.ts";

export function Dialog({ title, onClose, children, testId, wide = false }: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const t = useT();
  const id = useMemo(() => `dialog-${Math.random().toString(36).slice(2)}`, []);
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    // Focus moves into the dialog (its first field, else the dialog) and comes back after.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = box.current;
    if (element !== null && !element.contains(document.activeElement)) {
      const first = element.querySelector<HTMLElement>("input, select, textarea, .cm-content, button:not(.icon-button)");
      (first ?? element).focus();
    }
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === "Escape") closeRef.current();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, []);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        ref={box}
        tabIndex={-1}
        className={wide ? "dialog wide" : "dialog"}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        data-testid={testId}
        onClick={(event) => event.stopPropagation()}
      >
        <header className="dialog-header">
          <h2 id={id}>{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t("common.close")}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

const INPUT_KEY = (workflow: number | undefined): string => `orchestrator.runInput.${workflow ?? "draft"}`;

export function rememberedInput(workflow: number | undefined): string {
  return globalThis.localStorage?.getItem(INPUT_KEY(workflow)) ?? globalThis.localStorage?.getItem(INPUT_KEY(undefined)) ?? "{}";
}

export function rememberInput(workflow: number | undefined, text: string): void {
  try {
    globalThis.localStorage?.setItem(INPUT_KEY(workflow), text);
    globalThis.localStorage?.setItem(INPUT_KEY(undefined), text);
  } catch {
    // storage full or disabled: only the convenience is lost
  }
}

export function RunDialog({ workflowId, dirty, dark, onClose, onStart }: { workflowId: number | undefined; dirty: boolean; dark: boolean; onClose: () => void; onStart: (input: unknown, name: string) => Promise<void> }) {
  const t = useT();
  const [text, setText] = useState(() => rememberedInput(workflowId));
  const [name, setName] = useState("");
  const { error, setError, busy, run } = useDialogSubmit();
  const latest = useRef(text);
  latest.current = text;

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    let input: unknown;
    try {
      input = JSON.parse(latest.current);
    } catch (failure) {
      setError(t("editor.invalidInput", { message: failureText(failure) }));
      return;
    }
    rememberInput(workflowId, latest.current);
    await run(() => onStart(input, name.trim()));
  };

  return (
    <Dialog title={t("editor.runTitle")} onClose={onClose} testId="run-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)}>
        <div className="field">
          <span id="run-input-label">{t("editor.runInput")}</span>
          <div className="json-input" data-testid="run-input">
            <CodeEditor value={text} onChange={setText} debounce={0} ariaLabel={t("editor.runInput")} dark={dark} compact />
          </div>
        </div>
        <label className="field">
          <span>{t("editor.runName")}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="run-name" maxLength={80} />
        </label>
        {dirty && <p className="muted">{t("editor.runSavesFirst")}</p>}
        {error && <p role="alert" className="error-text" data-testid="run-error">{error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>{t("editor.cancel")}</button>
          <button type="submit" className="primary" disabled={busy} data-testid="run-start">{t("editor.runStart")}</button>
        </div>
      </form>
    </Dialog>
  );
}

export interface SaveAsValues {
  name: string;
  type: string;
  role: RoleChoice;
  description: string;
}

export function SaveAsDialog({ onClose, onSave, initialName = "" }: { onClose: () => void; onSave: (values: SaveAsValues) => Promise<void>; initialName?: string }) {
  const t = useT();
  const [name, setName] = useState(initialName);
  const [type, setType] = useState("STANDARD");
  const [description, setDescription] = useState("");
  const { roles, choice, setChoice } = useRoleChoice();
  const { error, setError, busy, run } = useDialogSubmit();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (name.trim() === "") {
      setError(t("wf.nameRequired"));
      return;
    }
    await run(() => onSave({ name: name.trim(), type, role: choice, description }));
  };

  return (
    <Dialog title={t("editor.saveAs")} onClose={onClose} testId="save-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>{t("wf.name")}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoFocus data-testid="save-name" />
        </label>
        <label className="field">
          <span>{t("wf.type")}</span>
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="save-type">
            <option value="STANDARD">STANDARD</option>
            <option value="EXPRESS">EXPRESS</option>
          </select>
        </label>
        <RoleField roles={roles} choice={choice} setChoice={setChoice} testId="save-role" />
        <label className="field">
          <span>{t("wf.description")}</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {error && <p role="alert" className="error-text">{error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>{t("editor.cancel")}</button>
          <button type="submit" className="primary" disabled={busy} data-testid="save-confirm">{t("wf.create")}</button>
        </div>
      </form>
    </Dialog>
  );
}

const CURRENT = "current";

export function CompareDialog({ workflowId, versions, current, onClose }: { workflowId: number; versions: Version[]; current: string; onClose: () => void }) {
  const t = useT();
  const numbers = versions.map((v) => v.number).sort((a, b) => b - a);
  const [left, setLeft] = useState<string>(String(numbers[1] ?? numbers[0] ?? CURRENT));
  const [right, setRight] = useState<string>(String(numbers[0] ?? CURRENT));
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(versions.map((v) => [String(v.number), v.definition])));
  useEffect(() => {
    for (const key of [left, right]) {
      if (key === CURRENT || key in texts) continue;
      void getVersion(workflowId, Number(key)).then((found) => setTexts((all) => ({ ...all, [key]: found.definition })));
    }
  }, [left, right, texts, workflowId]);
  const textOf = (key: string): string | undefined => (key === CURRENT ? current : texts[key]);
  const a = textOf(left);
  const b = textOf(right);
  const lines = useMemo(() => (a === undefined || b === undefined ? null : diffLines(canonical(a), canonical(b))), [a, b]);
  const summary = lines === null ? null : diffSummary(lines);

  const picker = (label: string, value: string, set: (value: string) => void, testId: string) => (
    <label className="field inline">
      <span>{label}</span>
      <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
        <option value={CURRENT}>{t("editor.current")}</option>
        {numbers.map((n) => <option key={n} value={n}>v{n}</option>)}
      </select>
    </label>
  );

  return (
    <Dialog title={t("editor.compareTitle")} onClose={onClose} testId="compare-dialog" wide>
      <div className="compare-pickers">
        {picker(t("editor.compareLeft"), left, setLeft, "compare-left")}
        {picker(t("editor.compareRight"), right, setRight, "compare-right")}
        {summary && <span className="muted" data-testid="diff-summary">{t("editor.diffSummary", summary)}</span>}
      </div>
      {lines === null ? (
        <p className="muted">{t("wf.loading")}</p>
      ) : summary !== null && summary.added + summary.removed === 0 ? (
        <p className="muted">{t("editor.noDiff")}</p>
      ) : (
        <pre className="diff" data-testid="diff">
          {withContext(lines).map((line, index) =>
            line === null ? (
              <span key={index} className="diff-fold">⋯{"\n"}</span>
            ) : (
              <span key={index} className={`diff-${line.kind}`}>
                <span className="diff-num">{line.oldLine ?? ""}</span>
                <span className="diff-num">{line.newLine ?? ""}</span>
                {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
                {line.text}
                {"\n"}
              </span>
            ),
          )}
        </pre>
      )}
    </Dialog>
  );
}
