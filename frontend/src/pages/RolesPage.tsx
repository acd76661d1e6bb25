/** Run roles: the list, and a form to create or edit one's resource patterns (globs, one a line). */
import { useState } from "react";
import { createRole, deleteRole, listRoles, updateRole, type RoleItem } from "../api/roles.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { formatTime } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { EditDeleteActions, Field, FormActions, FormError, LoadState, PageFrame, TableHead } from "./common/ui.tsx";

/** The patterns typed in the textarea: one a line, blanks dropped, trimmed. */
export function patternLines(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

export function RolesPage() {
  const t = useT();
  const roles = useLoad((signal) => listRoles(signal), []);
  const [editing, setEditing] = useState<RoleItem | "new" | null>(null);
  const items = roles.data?.results ?? [];

  const remove = async (role: RoleItem): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: role.name }))) return;
    try {
      await deleteRole(role.id);
      roles.reload();
    } catch (problem) {
      window.alert(problem instanceof Error ? problem.message : String(problem));
    }
  };

  return (
    <PageFrame id="roles" actions={<button type="button" className="primary" data-testid="role-new" onClick={() => setEditing("new")}>{t("roles.new")}</button>}>
      {editing === null ? null : (
        <RoleForm key={editing === "new" ? "new" : editing.id} role={editing === "new" ? undefined : editing}
          onDone={() => { setEditing(null); roles.reload(); }} onCancel={() => setEditing(null)} />
      )}
      <LoadState error={roles.error} loading={roles.loading} hasData={roles.data !== undefined} what="/api/roles/" onRetry={roles.reload} />
      {roles.data === undefined ? null : items.length === 0 ? <p className="empty">{t("roles.empty")}</p> : (
        <table className="data-table" data-testid="roles-table">
          <TableHead labels={[t("data.name"), t("roles.patterns"), t("data.updated"), t("data.actions")]} />
          <tbody>
            {items.map((role) => (
              <tr key={role.id} data-testid={`role-row-${role.name}`}>
                <td><strong>{role.name}</strong>{role.description ? <div className="item-sub">{role.description}</div> : null}</td>
                <td>
                  {role.allowed_resources.length === 0 ? <span className="item-sub">{t("roles.none")}</span> : (
                    <ul className="chip-list">{role.allowed_resources.map((p) => <li key={p}>{p}</li>)}</ul>
                  )}
                </td>
                <td>{formatTime(role.updated_at)}</td>
                <td>
                  <EditDeleteActions testId="role" name={role.name} onEdit={() => setEditing(role)} onDelete={() => void remove(role)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PageFrame>
  );
}

function RoleForm({ role, onDone, onCancel }: { role: RoleItem | undefined; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [patterns, setPatterns] = useState((role?.allowed_resources ?? []).join("\n"));
  const { error, setError, busy, run } = useFormSubmit();

  const save = async (): Promise<void> => {
    setError(undefined);
    if (role === undefined && name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    await run(async () => {
      const fields = { description, allowed_resources: patternLines(patterns) };
      if (role === undefined) await createRole({ name: name.trim(), ...fields });
      else await updateRole(role.id, fields);
      onDone();
    });
  };

  return (
    <form className="panel" data-testid="role-form" aria-labelledby="role-form-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="role-form-title">{role === undefined ? t("roles.new") : t("roles.edit", { name: role.name })}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="role-name">
          <input id="role-name" type="text" data-testid="role-name" value={name} readOnly={role !== undefined} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.description")} htmlFor="role-description">
          <input id="role-description" type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <div className="wide">
          <Field label={t("roles.patterns")} htmlFor="role-patterns" hint={t("roles.patternsHint")}>
            <textarea id="role-patterns" rows={6} data-testid="role-patterns" value={patterns} onChange={(e) => setPatterns(e.target.value)} />
          </Field>
        </div>
      </div>
      <FormError error={error} />
      <FormActions creating={role === undefined} busy={busy} testId="role-save" onCancel={onCancel} />
    </form>
  );
}
