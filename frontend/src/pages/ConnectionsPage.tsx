/**
 * Connections: named credentials for HTTP Tasks. The secret is typed into a password
 * field, sent once, and never shown: the server does not return it and the page keeps
 * no copy after saving (the list says only whether one is stored).
 */
import { useState } from "react";
import {
  CONNECTION_KINDS, CONNECTION_PARAMETERS, createConnection, deleteConnection, listConnections, updateConnection,
  type ConnectionItem, type ConnectionKind,
} from "../api/connections.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { formatTime } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { CopyButton, EditDeleteActions, Field, FormActions, FormError, LoadState, PageFrame, TableHead, labelOr } from "./common/ui.tsx";

export function ConnectionsPage() {
  const t = useT();
  const connections = useLoad((signal) => listConnections(signal), []);
  const [editing, setEditing] = useState<ConnectionItem | "new" | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const items = connections.data?.results ?? [];

  const remove = async (c: ConnectionItem): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: c.name }))) return;
    setError(undefined);
    try {
      await deleteConnection(c.id);
      connections.reload();
    } catch (problem) {
      setError(problem);
    }
  };

  return (
    <PageFrame id="connections" actions={
      <button type="button" className="primary" data-testid="connection-new" disabled={connections.error !== undefined} onClick={() => setEditing("new")}>{t("connections.new")}</button>
    }>
      {editing === null ? null : (
        <ConnectionForm key={editing === "new" ? "new" : editing.id} connection={editing === "new" ? undefined : editing}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); connections.reload(); }} />
      )}
      <FormError error={error} />
      <LoadState error={connections.error} loading={connections.loading} hasData={connections.data !== undefined} what="/api/connections/" onRetry={connections.reload} />
      {connections.data === undefined ? null : items.length === 0 ? <p className="empty">{t("connections.empty")}</p> : (
        <table className="data-table" data-testid="connections-table">
          <TableHead labels={[t("data.name"), t("data.kind"), t("connections.parameters"), t("connections.secret"), t("connections.resource"), t("data.updated"), t("data.actions")]} />
          <tbody>
            {items.map((c) => {
              const resource = c.resource ?? `connection:${c.name}`;
              return (
                <tr key={c.id} data-testid={`connection-row-${c.name}`}>
                  <td><strong>{c.name}</strong>{c.description ? <div className="item-sub">{c.description}</div> : null}</td>
                  <td>{labelOr(t, `connections.kind.${c.kind}`, c.kind)}</td>
                  <td>
                    <ul className="chip-list">{Object.entries(c.parameters).map(([k, v]) => <li key={k}>{k}: {String(v)}</li>)}</ul>
                  </td>
                  <td>{c.secret_set === false ? <span className="badge tone-warn">{t("connections.secretMissing")}</span> : <span className="badge tone-ok">{t("connections.secretStored")}</span>}</td>
                  <td><code className="mono">{resource}</code> <CopyButton text={resource} label={t("connections.copyResource")} /></td>
                  <td>{formatTime(c.updated_at)}</td>
                  <td>
                    <EditDeleteActions testId="connection" name={c.name} onEdit={() => setEditing(c)} onDelete={() => void remove(c)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </PageFrame>
  );
}

function ConnectionForm({ connection, onCancel, onSaved }: { connection: ConnectionItem | undefined; onCancel: () => void; onSaved: () => void }) {
  const t = useT();
  const [name, setName] = useState(connection?.name ?? "");
  const [kind, setKind] = useState<ConnectionKind>((connection?.kind as ConnectionKind | undefined) ?? "bearer");
  const [description, setDescription] = useState(connection?.description ?? "");
  const [parameters, setParameters] = useState<Record<string, string>>(() => ({ location: "header", ...(connection?.parameters ?? {}) }));
  const [secret, setSecret] = useState("");
  const { error, setError, busy, run } = useFormSubmit();
  const fields = CONNECTION_PARAMETERS[kind] ?? [];

  const save = async (): Promise<void> => {
    setError(undefined);
    if (connection === undefined && name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    for (const field of fields) {
      if (field.required && (parameters[field.name] ?? "").trim() === "") return setError(t("data.required", { field: field.name }));
    }
    if (connection === undefined && secret === "") return setError(t("data.required", { field: t(`connections.secretLabel.${kind}` as MessageKey) }));
    const params: Record<string, string> = {};
    for (const field of fields) {
      const value = (parameters[field.name] ?? "").trim();
      if (value !== "") params[field.name] = value;
    }
    await run(async () => {
      if (connection === undefined) await createConnection({ name: name.trim(), kind, description, parameters: params, secret });
      else await updateConnection(connection.id, { description, parameters: params, ...(secret === "" ? {} : { secret }) });
      setSecret("");
      onSaved();
    });
  };

  return (
    <form className="panel" data-testid="connection-form" aria-labelledby="connection-form-title" autoComplete="off" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="connection-form-title">{connection === undefined ? t("connections.new") : t("connections.edit", { name: connection.name })}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="cn-name">
          <input id="cn-name" type="text" data-testid="connection-name" value={name} readOnly={connection !== undefined} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.kind")} htmlFor="cn-kind">
          <select id="cn-kind" data-testid="connection-kind" value={kind} disabled={connection !== undefined} onChange={(e) => setKind(e.target.value as ConnectionKind)}>
            {CONNECTION_KINDS.map((k) => <option key={k} value={k}>{t(`connections.kind.${k}` as MessageKey)}</option>)}
          </select>
        </Field>
        {fields.map((field) => (
          <Field key={field.name} label={`${field.name}${field.required ? "" : ` (${t("connections.optional")})`}`} htmlFor={`cn-param-${field.name}`}>
            {field.choices ? (
              <select id={`cn-param-${field.name}`} value={parameters[field.name] ?? field.choices[0]} onChange={(e) => setParameters({ ...parameters, [field.name]: e.target.value })}>
                {field.choices.map((choice) => <option key={choice} value={choice}>{choice}</option>)}
              </select>
            ) : (
              <input id={`cn-param-${field.name}`} type="text" data-testid={`connection-param-${field.name}`} value={parameters[field.name] ?? ""}
                onChange={(e) => setParameters({ ...parameters, [field.name]: e.target.value })} />
            )}
          </Field>
        ))}
        <Field label={t(`connections.secretLabel.${kind}` as MessageKey)} htmlFor="cn-secret"
          hint={connection === undefined ? t("connections.secretHint") : t("connections.secretReplaceHint")}>
          <input id="cn-secret" type="password" autoComplete="new-password" data-testid="connection-secret" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </Field>
        <div className="wide">
          <Field label={t("data.description")} htmlFor="cn-description">
            <input id="cn-description" type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
        </div>
      </div>
      <FormError error={error} />
      <FormActions creating={connection === undefined} busy={busy} testId="connection-save" onCancel={onCancel} />
    </form>
  );
}
