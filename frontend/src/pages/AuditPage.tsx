/** The audit log: search by actor, action, object type, workflow, client, time range and text; paged. */
import { useState } from "react";
import { AUDIT_ACTIONS, AUDIT_CLIENTS, AUDIT_OBJECT_TYPES, searchAudit, type AuditFilters } from "../api/audit.ts";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { formatTime, localInputToIso } from "./common/format.ts";
import { useLoad } from "./common/useLoad.ts";
import { Field, LoadState, PageFrame, Pager, TableHead, labelOr } from "./common/ui.tsx";

const PAGE_SIZE = 50;

interface Form {
  actor: string;
  action: string;
  object_type: string;
  workflow: string;
  client: string;
  since: string;
  until: string;
  q: string;
}

const EMPTY: Form = { actor: "", action: "", object_type: "", workflow: "", client: "", since: "", until: "", q: "" };

export function AuditPage() {
  const t = useT();
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<Form>(EMPTY);
  const [offset, setOffset] = useState(0);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);
  const filters: AuditFilters = {
    ...applied, since: localInputToIso(applied.since), until: localInputToIso(applied.until), limit: PAGE_SIZE, offset,
  };
  const events = useLoad((signal) => searchAudit(filters, signal), [JSON.stringify(filters)]);
  const set = (key: keyof Form) => (value: string) => setForm({ ...form, [key]: value });
  const search = (): void => {
    setApplied(form);
    setOffset(0);
  };

  return (
    <PageFrame id="audit">
      <form className="data-filters" aria-label={t("audit.filters")} data-testid="audit-filters" onSubmit={(e) => { e.preventDefault(); search(); }}>
        <Field label={t("audit.text")} htmlFor="au-q">
          <input id="au-q" type="search" data-testid="audit-filter-q" value={form.q} onChange={(e) => set("q")(e.target.value)} />
        </Field>
        <Field label={t("audit.actor")} htmlFor="au-actor">
          <input id="au-actor" type="text" data-testid="audit-filter-actor" value={form.actor} onChange={(e) => set("actor")(e.target.value)} />
        </Field>
        <Field label={t("audit.action")} htmlFor="au-action">
          <select id="au-action" data-testid="audit-filter-action" value={form.action} onChange={(e) => set("action")(e.target.value)}>
            <option value="">{t("data.all")}</option>
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{t(`audit.action.${a}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t("audit.objectType")} htmlFor="au-type">
          <select id="au-type" data-testid="audit-filter-type" value={form.object_type} onChange={(e) => set("object_type")(e.target.value)}>
            <option value="">{t("data.all")}</option>
            {AUDIT_OBJECT_TYPES.map((o) => <option key={o} value={o}>{t(`audit.type.${o}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t("data.workflow")} htmlFor="au-workflow">
          <select id="au-workflow" data-testid="audit-filter-workflow" value={form.workflow} onChange={(e) => set("workflow")(e.target.value)}>
            <option value="">{t("data.anyWorkflow")}</option>
            {(workflows.data ?? []).map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("audit.client")} htmlFor="au-client">
          <select id="au-client" data-testid="audit-filter-client" value={form.client} onChange={(e) => set("client")(e.target.value)}>
            <option value="">{t("data.all")}</option>
            {AUDIT_CLIENTS.map((c) => <option key={c} value={c}>{t(`audit.client.${c}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field label={t("audit.since")} htmlFor="au-since">
          <input id="au-since" type="datetime-local" data-testid="audit-filter-since" value={form.since} onChange={(e) => set("since")(e.target.value)} />
        </Field>
        <Field label={t("audit.until")} htmlFor="au-until">
          <input id="au-until" type="datetime-local" data-testid="audit-filter-until" value={form.until} onChange={(e) => set("until")(e.target.value)} />
        </Field>
        <button type="submit" className="primary" data-testid="audit-search">{t("audit.search")}</button>
        <button type="button" onClick={() => { setForm(EMPTY); setApplied(EMPTY); setOffset(0); }}>{t("audit.clear")}</button>
      </form>
      <LoadState error={events.error} loading={events.loading} hasData={events.data !== undefined} what="/api/audit/" onRetry={events.reload} />
      {events.data === undefined || events.error !== undefined ? null : (
        <>
          <table className="data-table" data-testid="audit-table">
            <TableHead labels={[t("audit.time"), t("audit.actor"), t("audit.action"), t("audit.object"), t("audit.client"), t("audit.details")]} />
            <tbody>
              {events.data.results.map((event) => (
                <tr key={event.id} data-testid={`audit-row-${event.id}`}>
                  <td className="nowrap">{formatTime(event.timestamp)}</td>
                  <td>{event.actor_name || <span className="item-sub">{t("audit.system")}</span>}</td>
                  <td>{labelOr(t, `audit.action.${event.action}`, event.action)}</td>
                  <td>
                    {labelOr(t, `audit.type.${event.object_type}`, event.object_type)} <strong>{event.object_name || event.object_id}</strong>
                    {event.version === null ? null : <span className="item-sub"> v{event.version}</span>}
                  </td>
                  <td className="nowrap">{labelOr(t, `audit.client.${event.client}`, event.client)}</td>
                  <td>
                    {event.details && typeof event.details === "object" && Object.keys(event.details).length > 0
                      ? <code className="mono">{JSON.stringify(event.details)}</code> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.data.results.length === 0 ? <p className="empty">{t("audit.empty")}</p> : null}
          <Pager count={events.data.count} offset={offset} limit={PAGE_SIZE} onChange={setOffset} />
        </>
      )}
    </PageFrame>
  );
}
