/**
 * Published endpoints: create one for a workflow (version, auth, rate limit, body size),
 * copy its URL and a ready curl example, manage API keys (a new key is shown once),
 * enable or disable it, delete it.
 */
import { useEffect, useState } from "react";
import {
  createEndpoint, createKey, deleteEndpoint, deleteKey, listEndpoints, listKeys, updateEndpoint,
  type ApiKeyItem, type CreatedApiKey, type EndpointAuth, type EndpointItem,
} from "../api/endpoints.ts";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { formatTime } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { useWorkflowVersions } from "./common/useWorkflowVersions.ts";
import { CopyButton, Field, FormActions, FormError, LoadState, OnOffBadge, PageFrame } from "./common/ui.tsx";
import { absoluteUrl, curlExample } from "./endpoints/curl.ts";

export const DEFAULT_MAX_BODY_BYTES = 262144;

export function EndpointsPage() {
  const t = useT();
  const endpoints = useLoad((signal) => listEndpoints(signal), []);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);
  const [creating, setCreating] = useState(false);
  const items = endpoints.data?.results ?? [];

  return (
    <PageFrame id="endpoints" actions={
      <button type="button" className="primary" data-testid="endpoint-new" disabled={endpoints.error !== undefined} onClick={() => setCreating(true)}>{t("endpoints.new")}</button>
    }>
      {creating ? <EndpointForm workflows={workflows.data ?? []} onCancel={() => setCreating(false)} onCreated={() => { setCreating(false); endpoints.reload(); }} /> : null}
      <LoadState error={endpoints.error} loading={endpoints.loading} hasData={endpoints.data !== undefined} what="/api/endpoints/" onRetry={endpoints.reload} />
      {endpoints.data === undefined ? null : items.length === 0 ? <p className="empty">{t("endpoints.empty")}</p> : (
        <div data-testid="endpoint-list">
          {items.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} onChanged={endpoints.reload} />)}
        </div>
      )}
    </PageFrame>
  );
}

function EndpointForm({ workflows, onCancel, onCreated }: { workflows: WorkflowOption[]; onCancel: () => void; onCreated: () => void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [version, setVersion] = useState("");
  const versions = useWorkflowVersions(workflow);
  const [auth, setAuth] = useState<EndpointAuth>("api_key");
  const [rate, setRate] = useState("");
  const [maxBody, setMaxBody] = useState(String(DEFAULT_MAX_BODY_BYTES));
  const { error, setError, busy, run } = useFormSubmit();

  useEffect(() => setVersion(""), [workflow]);

  const create = async (): Promise<void> => {
    setError(undefined);
    if (name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    if (workflow === "") return setError(t("data.required", { field: t("data.workflow") }));
    const rateValue = rate.trim() === "" ? null : Number(rate);
    if (rateValue !== null && !(rateValue > 0)) return setError(t("endpoints.badRate"));
    const maxBytes = Number(maxBody);
    if (!Number.isInteger(maxBytes) || maxBytes < 1) return setError(t("data.notANumber", { field: t("endpoints.maxBody") }));
    await run(async () => {
      await createEndpoint({
        name: name.trim(), ...(slug.trim() === "" ? {} : { slug: slug.trim() }), workflow: Number(workflow),
        version: version === "" ? null : Number(version), auth, rate_limit_per_second: rateValue, max_body_bytes: maxBytes,
      });
      onCreated();
    });
  };

  return (
    <form className="panel" data-testid="endpoint-form" aria-labelledby="endpoint-form-title" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <h2 id="endpoint-form-title">{t("endpoints.new")}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="ep-name">
          <input id="ep-name" type="text" data-testid="endpoint-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("endpoints.slug")} htmlFor="ep-slug" hint={t("endpoints.slugHint")}>
          <input id="ep-slug" type="text" data-testid="endpoint-slug" value={slug} onChange={(e) => setSlug(e.target.value)} />
        </Field>
        <Field label={t("data.workflow")} htmlFor="ep-workflow">
          <select id="ep-workflow" data-testid="endpoint-workflow" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">{t("endpoints.pickWorkflow")}</option>
            {workflows.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("data.version")} htmlFor="ep-version">
          <select id="ep-version" data-testid="endpoint-version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="">{t("endpoints.latestAtCall")}</option>
            {versions.map((v) => <option key={v.number} value={String(v.number)}>{`v${v.number}${v.description ? ` · ${v.description}` : ""}`}</option>)}
          </select>
        </Field>
        <Field label={t("endpoints.auth")} htmlFor="ep-auth">
          <select id="ep-auth" data-testid="endpoint-auth" value={auth} onChange={(e) => setAuth(e.target.value as EndpointAuth)}>
            <option value="api_key">{t("endpoints.auth.api_key")}</option>
            <option value="none">{t("endpoints.auth.none")}</option>
          </select>
        </Field>
        <Field label={t("endpoints.rate")} htmlFor="ep-rate" hint={t("endpoints.rateHint")}>
          <input id="ep-rate" type="number" min="0" step="any" data-testid="endpoint-rate" value={rate} onChange={(e) => setRate(e.target.value)} />
        </Field>
        <Field label={t("endpoints.maxBody")} htmlFor="ep-max-body">
          <input id="ep-max-body" type="number" min="1" step="1" data-testid="endpoint-max-body" value={maxBody} onChange={(e) => setMaxBody(e.target.value)} />
        </Field>
      </div>
      <FormError error={error} />
      <FormActions creating={true} busy={busy} testId="endpoint-create" onCancel={onCancel} />
    </form>
  );
}

function EndpointCard({ endpoint, onChanged }: { endpoint: EndpointItem; onChanged: () => void }) {
  const t = useT();
  const [error, setError] = useState<unknown>(undefined);
  const [body, setBody] = useState("{}");
  const [newKey, setNewKey] = useState<CreatedApiKey | null>(null);
  const keys = useLoad<ApiKeyItem[]>((signal) => (endpoint.auth === "api_key" ? listKeys(endpoint.id, signal) : Promise.resolve([])), [endpoint.id, endpoint.auth]);
  const url = absoluteUrl(endpoint.url);
  const curl = curlExample({ url, auth: endpoint.auth, apiKey: newKey?.key ?? null, body });

  const act = async (action: () => Promise<unknown>, after: () => void = onChanged): Promise<void> => {
    setError(undefined);
    try {
      await action();
      after();
    } catch (problem) {
      setError(problem);
    }
  };
  const toggle = (): Promise<void> => act(() => updateEndpoint(endpoint.id, { enabled: !endpoint.enabled }));
  const remove = (): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: endpoint.name }))) return Promise.resolve();
    return act(() => deleteEndpoint(endpoint.id));
  };
  const addKey = (): Promise<void> => act(async () => setNewKey(await createKey(endpoint.id)), keys.reload);
  const removeKey = (key: ApiKeyItem): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: `${key.prefix}…` }))) return Promise.resolve();
    return act(() => deleteKey(endpoint.id, key.id), keys.reload);
  };

  return (
    <article className="panel" data-testid={`endpoint-${endpoint.slug}`} aria-labelledby={`endpoint-title-${endpoint.id}`}>
      <div className="page-head">
        <div>
          <h2 id={`endpoint-title-${endpoint.id}`} style={{ margin: 0 }}>{endpoint.name} <OnOffBadge on={endpoint.enabled} /></h2>
          <p className="item-sub">
            {endpoint.workflow_name} · {endpoint.version === null ? t("endpoints.latestAtCall") : `v${endpoint.version}`} · {t(endpoint.auth === "api_key" ? "endpoints.auth.api_key" : "endpoints.auth.none")}
            {" · "}{endpoint.rate_limit_per_second === null ? t("endpoints.noRate") : t("endpoints.ratePerSecond", { rate: endpoint.rate_limit_per_second })}
            {" · "}{t("endpoints.maxBodyShort", { bytes: endpoint.max_body_bytes })}
          </p>
        </div>
        <div className="row-actions">
          <button type="button" data-testid="endpoint-toggle" onClick={() => void toggle()}>{endpoint.enabled ? t("endpoints.disable") : t("endpoints.enable")}</button>
          <button type="button" className="danger" data-testid="endpoint-delete" onClick={() => void remove()}>{t("data.delete")}</button>
        </div>
      </div>
      <div className="url-line">
        <code data-testid="endpoint-url">{url}</code>
        <CopyButton text={url} label={t("endpoints.copyUrl")} testId="endpoint-copy-url" />
        <a href={endpoint.openapi_url ?? `${url.replace(/\/$/, "")}/openapi.json`} target="_blank" rel="noreferrer" data-testid="endpoint-openapi">OpenAPI</a>
      </div>
      <details className="inspector-section" open>
        <summary>{t("endpoints.curl")}</summary>
        <Field label={t("endpoints.exampleBody")} htmlFor={`ep-body-${endpoint.id}`}>
          <textarea id={`ep-body-${endpoint.id}`} rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
        </Field>
        <pre className="output" data-testid="endpoint-curl">{curl}</pre>
        <div><CopyButton text={curl} label={t("endpoints.copyCurl")} testId="endpoint-copy-curl" /></div>
      </details>
      {endpoint.auth !== "api_key" ? null : (
        <section aria-label={t("endpoints.keys")} data-testid="endpoint-keys">
          <h3 className="form-hint">{t("endpoints.keys")}</h3>
          {newKey === null ? null : (
            <div className="secret-once" role="status" data-testid="endpoint-key-once">
              <p style={{ margin: "0 0 6px" }}>{t("endpoints.keyOnce")}</p>
              <div className="url-line"><code>{newKey.key}</code><CopyButton text={newKey.key} label={t("endpoints.copyKey")} /></div>
            </div>
          )}
          <LoadState error={keys.error} loading={keys.loading} hasData={keys.data !== undefined} what={`/api/endpoints/${endpoint.id}/keys/`} />
          {(keys.data ?? []).length === 0 ? <p className="item-sub">{t("endpoints.noKeys")}</p> : (
            <ul className="chip-list" style={{ marginBottom: 8 }}>
              {(keys.data ?? []).map((key) => (
                <li key={key.id} data-testid={`endpoint-key-${key.id}`}>
                  {key.prefix}… {key.created_at ? <span className="item-sub">{formatTime(key.created_at)}</span> : null}{" "}
                  <button type="button" className="small danger" aria-label={t("endpoints.deleteKey", { prefix: key.prefix })} onClick={() => void removeKey(key)}>✕</button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="small" data-testid="endpoint-key-create" onClick={() => void addKey()}>+ {t("endpoints.createKey")}</button>
        </section>
      )}
      <FormError error={error} />
    </article>
  );
}
