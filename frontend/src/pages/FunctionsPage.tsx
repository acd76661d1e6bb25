/**
 * Functions: the list, a form to create or edit one (Python source in CodeMirror, handler,
 * timeout, memory, environment variables) and a test invoke showing the result or error.
 */
import { useState } from "react";
import { createFunction, deleteFunction, invokeFunction, listFunctions, updateFunction, type FunctionItem, type InvokeResult } from "../api/functions.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { formatDuration, formatTime, parseJson } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { Field, FormError, LoadState, PageFrame } from "./common/ui.tsx";
import { PythonEditor } from "./functions/PythonEditor.tsx";

export const DEFAULT_SOURCE = `def handler(event, context):
    """Called with the Task's input as event; what it returns is the Task's result."""
    return event
`;

type EnvRow = { key: string; value: string };

export function FunctionsPage({ dark = false }: { dark?: boolean }) {
  const t = useT();
  const functions = useLoad((signal) => listFunctions(signal), []);
  const [selected, setSelected] = useState<number | "new" | null>(null);
  const items = functions.data?.results ?? [];
  const current = typeof selected === "number" ? items.find((f) => f.id === selected) : undefined;

  const saved = (fn: FunctionItem): void => {
    const others = items.filter((f) => f.id !== fn.id);
    functions.setData({ ...(functions.data ?? { count: 0, next: null, previous: null }), results: [...others, fn].sort((a, b) => a.name.localeCompare(b.name)), count: others.length + 1 });
    setSelected(fn.id);
  };
  const removed = (id: number): void => {
    const results = items.filter((f) => f.id !== id);
    functions.setData({ ...(functions.data ?? { next: null, previous: null }), results, count: results.length });
    setSelected(null);
  };

  return (
    <PageFrame id="functions" actions={<button type="button" className="primary" data-testid="function-new" onClick={() => setSelected("new")}>{t("functions.new")}</button>}>
      <LoadState error={functions.error} loading={functions.loading} hasData={functions.data !== undefined} what="/api/functions/" onRetry={functions.reload} />
      {functions.data === undefined ? null : (
        <div className="split">
          <div>
            {items.length === 0 ? <p className="empty">{t("functions.empty")}</p> : (
              <ul className="item-list" aria-label={t("nav.functions")} data-testid="function-list">
                {items.map((fn) => (
                  <li key={fn.id}>
                    <button type="button" aria-current={fn.id === selected ? "true" : undefined} data-testid={`function-item-${fn.name}`} onClick={() => setSelected(fn.id)}>
                      <strong>{fn.name}</strong>
                      <span className="item-sub">{fn.description || `${fn.handler} · ${fn.timeout_s} s · ${fn.memory_mb} MB`}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            {selected === null ? <p className="empty">{t("functions.pick")}</p> : (
              <>
                <FunctionForm key={selected === "new" ? "new" : selected} fn={current} dark={dark} onSaved={saved} onDeleted={removed} onCancel={() => setSelected(null)} />
                {current ? <InvokePanel key={`invoke-${current.id}`} fn={current} /> : null}
              </>
            )}
          </div>
        </div>
      )}
    </PageFrame>
  );
}

function envRows(environment: Record<string, string> | undefined): EnvRow[] {
  return Object.entries(environment ?? {}).map(([key, value]) => ({ key, value }));
}

function FunctionForm({ fn, dark, onSaved, onDeleted, onCancel }: {
  fn: FunctionItem | undefined; dark: boolean; onSaved: (fn: FunctionItem) => void; onDeleted: (id: number) => void; onCancel: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(fn?.name ?? "");
  const [description, setDescription] = useState(fn?.description ?? "");
  const [handler, setHandler] = useState(fn?.handler ?? "handler");
  const [timeout, setTimeoutText] = useState(String(fn?.timeout_s ?? 3));
  const [memory, setMemory] = useState(String(fn?.memory_mb ?? 128));
  const [env, setEnv] = useState<EnvRow[]>(envRows(fn?.environment));
  const [source, setSource] = useState(fn?.source ?? DEFAULT_SOURCE);
  const { error, setError, busy, run } = useFormSubmit();
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const save = async (): Promise<void> => {
    setError(undefined);
    if (fn === undefined && name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    const timeoutS = Number(timeout);
    const memoryMb = Number(memory);
    if (!Number.isFinite(timeoutS) || timeout.trim() === "") return setError(t("data.required", { field: t("functions.timeout") }));
    if (!Number.isInteger(memoryMb)) return setError(t("data.notANumber", { field: t("functions.memory") }));
    const environment: Record<string, string> = {};
    for (const row of env) if (row.key.trim() !== "") environment[row.key.trim()] = row.value;
    const fields = { description, handler, source, timeout_s: timeoutS, memory_mb: memoryMb, environment };
    await run(async () => {
      const result = fn === undefined ? await createFunction({ name: name.trim(), ...fields }) : await updateFunction(fn.id, fields);
      setSavedAt(result.updated_at);
      onSaved(result);
    });
  };

  const remove = async (): Promise<void> => {
    if (fn === undefined || !window.confirm(t("data.confirmDelete", { name: fn.name }))) return;
    try {
      await deleteFunction(fn.id);
      onDeleted(fn.id);
    } catch (problem) {
      setError(problem);
    }
  };

  return (
    <form className="panel" aria-labelledby="function-form-title" data-testid="function-form" onSubmit={(event) => { event.preventDefault(); void save(); }}>
      <h2 id="function-form-title">{fn === undefined ? t("functions.new") : t("functions.edit", { name: fn.name })}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="fn-name">
          <input id="fn-name" type="text" data-testid="function-name" value={name} readOnly={fn !== undefined} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("functions.handler")} htmlFor="fn-handler" hint={t("functions.handlerHint")}>
          <input id="fn-handler" type="text" data-testid="function-handler" value={handler} onChange={(e) => setHandler(e.target.value)} />
        </Field>
        <Field label={t("functions.timeout")} htmlFor="fn-timeout">
          <input id="fn-timeout" type="number" min="0.1" step="0.1" data-testid="function-timeout" value={timeout} onChange={(e) => setTimeoutText(e.target.value)} />
        </Field>
        <Field label={t("functions.memory")} htmlFor="fn-memory">
          <input id="fn-memory" type="number" min="16" step="1" data-testid="function-memory" value={memory} onChange={(e) => setMemory(e.target.value)} />
        </Field>
        <div className="wide">
          <Field label={t("data.description")} htmlFor="fn-description">
            <input id="fn-description" type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
        </div>
        <fieldset className="wide" data-testid="function-env">
          <legend className="form-hint">{t("functions.env")}</legend>
          {env.map((row, index) => (
            <div className="env-row" key={index}>
              <input type="text" aria-label={t("functions.envKey", { n: index + 1 })} value={row.key}
                onChange={(e) => setEnv(env.map((r, i) => (i === index ? { ...r, key: e.target.value } : r)))} />
              <input type="text" aria-label={t("functions.envValue", { n: index + 1 })} value={row.value}
                onChange={(e) => setEnv(env.map((r, i) => (i === index ? { ...r, value: e.target.value } : r)))} />
              <button type="button" className="small" aria-label={t("functions.envRemove", { n: index + 1 })} onClick={() => setEnv(env.filter((_, i) => i !== index))}>✕</button>
            </div>
          ))}
          <button type="button" className="small" data-testid="function-env-add" onClick={() => setEnv([...env, { key: "", value: "" }])}>+ {t("functions.envAdd")}</button>
        </fieldset>
        <div className="wide form-field">
          <span className="form-hint" id="fn-source-label">{t("functions.source")}</span>
          <div className="code-box"><PythonEditor value={source} onChange={setSource} ariaLabel={t("functions.source")} dark={dark} /></div>
        </div>
      </div>
      <FormError error={error} />
      <div className="panel-actions">
        <button type="submit" className="primary" data-testid="function-save" disabled={busy}>{busy ? t("data.saving") : fn === undefined ? t("data.create") : t("data.save")}</button>
        <button type="button" onClick={onCancel}>{t("data.cancel")}</button>
        {fn === undefined ? null : <button type="button" className="danger" data-testid="function-delete" onClick={() => void remove()}>{t("data.delete")}</button>}
        {savedAt === null ? null : <span className="form-hint" role="status">{t("functions.saved", { time: formatTime(savedAt) })}</span>}
      </div>
    </form>
  );
}

function InvokePanel({ fn }: { fn: FunctionItem }) {
  const t = useT();
  const [event, setEvent] = useState("{}");
  const [result, setResult] = useState<InvokeResult | null>(null);
  const { error, setError, busy, run } = useFormSubmit();

  const invoke = async (): Promise<void> => {
    setError(undefined);
    setResult(null);
    const parsed = parseJson(event);
    if (!parsed.ok) return setError(t("data.invalidJson", { message: parsed.message }));
    await run(async () => {
      setResult(await invokeFunction(fn.id, event));
    });
  };

  return (
    <section className="panel" aria-labelledby="invoke-title" data-testid="function-invoke-panel">
      <h2 id="invoke-title">{t("functions.test")}</h2>
      <Field label={t("functions.event")} htmlFor="fn-event">
        <textarea id="fn-event" rows={5} data-testid="function-event" value={event} onChange={(e) => setEvent(e.target.value)} />
      </Field>
      <div className="panel-actions">
        <button type="button" className="primary" data-testid="function-invoke" disabled={busy} onClick={() => void invoke()}>{busy ? t("functions.invoking") : t("functions.invoke")}</button>
      </div>
      <FormError error={error} />
      {result === null ? null : (
        <div data-testid="function-result" data-ok={String(result.ok)} aria-live="polite">
          <p>
            {result.ok ? <span className="result-ok">{t("functions.ok")}</span> : <span className="result-bad">{t("functions.failed")}</span>}
            {" · "}{formatDuration(result.duration_ms)}
          </p>
          {result.ok ? (
            <pre className="output" aria-label={t("functions.result")}>{JSON.stringify(result.payload, null, 2)}</pre>
          ) : (
            <pre className="output" aria-label={t("functions.error")}>{[result.error, result.cause].filter(Boolean).join("\n")}</pre>
          )}
          {result.logs ? (
            <>
              <h3 className="form-hint">{t("functions.logs")}</h3>
              <pre className="output">{result.logs}</pre>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}
