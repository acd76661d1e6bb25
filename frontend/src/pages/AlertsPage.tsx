/**
 * Alerts: rules per workflow (create, edit, enable/disable, delete; a server error shown
 * beside the field it names) and the alerts they fired (filter by workflow).
 */
import { useState } from "react";
import { href } from "../app/router.ts";
import {
  ALERT_KINDS, createAlertRule, deleteAlertRule, listAlertRules, listAlerts, updateAlertRule,
  type AlertKind, type AlertRuleFields, type AlertRuleItem,
} from "../api/alerts.ts";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { FieldProblem, fieldErrors } from "./common/fieldErrors.ts";
import { formatTime, optionalInt } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { EnabledCheckbox, Field, FormActions, FormError, LoadState, OnOffBadge, PageFrame, Pager, TableHead, labelOr } from "./common/ui.tsx";

const PAGE_SIZE = 25;

/** What a rule watches, in words: "3 failures within 10 min", "running longer than 60 s"... */
export function ruleCondition(rule: Pick<AlertRuleItem, "kind" | "threshold_count" | "window_minutes" | "duration_seconds">, t: ReturnType<typeof useT>): string {
  switch (rule.kind) {
    case "failure_count":
      return t("alerts.cond.failure_count", { n: rule.threshold_count ?? 0, m: rule.window_minutes ?? 0 });
    case "long_running":
      return t("alerts.cond.long_running", { s: rule.duration_seconds ?? 0 });
    default:
      return labelOr(t, `alerts.kind.${rule.kind}`, rule.kind);
  }
}

export function AlertsPage() {
  const t = useT();
  const rules = useLoad((signal) => listAlertRules(signal), []);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);
  const [editing, setEditing] = useState<AlertRuleItem | "new" | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [workflow, setWorkflow] = useState("");
  const [offset, setOffset] = useState(0);
  const alerts = useLoad((signal) => listAlerts({ workflow, limit: PAGE_SIZE, offset }, signal), [workflow, offset]);
  const items = rules.data?.results ?? [];

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setError(undefined);
    try {
      await action();
      rules.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const remove = (rule: AlertRuleItem): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: rule.name }))) return Promise.resolve();
    return act(() => deleteAlertRule(rule.id));
  };

  return (
    <PageFrame id="alerts" actions={
      <button type="button" className="primary" data-testid="alert-rule-new" disabled={rules.error !== undefined} onClick={() => setEditing("new")}>{t("alerts.newRule")}</button>
    }>
      {editing === null ? null : (
        <RuleForm key={editing === "new" ? "new" : editing.id} rule={editing === "new" ? undefined : editing} workflows={workflows.data ?? []}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); rules.reload(); }} />
      )}
      <h2>{t("alerts.rules")}</h2>
      <FormError error={error} />
      <LoadState error={rules.error} loading={rules.loading} hasData={rules.data !== undefined} what="/api/alerts/rules/" onRetry={rules.reload} />
      {rules.data === undefined ? null : items.length === 0 ? <p className="empty">{t("alerts.noRules")}</p> : (
        <table className="data-table" data-testid="alert-rules-table">
          <TableHead labels={[t("data.name"), t("data.workflow"), t("alerts.condition"), t("alerts.notify"), t("data.status"), t("data.actions")]} />
          <tbody>
            {items.map((rule) => (
              <tr key={rule.id} data-testid={`alert-rule-row-${rule.name}`}>
                <td><strong>{rule.name}</strong></td>
                <td>{rule.workflow_name}</td>
                <td>{ruleCondition(rule, t)}</td>
                <td>
                  {rule.webhook_url ? <div className="mono">{rule.webhook_url}</div> : null}
                  {rule.email_to ? <div>{rule.email_to}</div> : null}
                </td>
                <td><OnOffBadge on={rule.enabled} /></td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="small" data-testid={`alert-rule-edit-${rule.name}`} onClick={() => setEditing(rule)}>{t("data.edit")}</button>
                    <button type="button" className="small" data-testid={`alert-rule-toggle-${rule.name}`} onClick={() => void act(() => updateAlertRule(rule.id, { enabled: !rule.enabled }))}>
                      {rule.enabled ? t("endpoints.disable") : t("endpoints.enable")}
                    </button>
                    <button type="button" className="small danger" data-testid={`alert-rule-delete-${rule.name}`} onClick={() => void remove(rule)}>{t("data.delete")}</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("alerts.fired")}</h2>
      <div className="data-filters">
        <Field label={t("data.workflow")} htmlFor="al-workflow">
          <select id="al-workflow" data-testid="alerts-filter-workflow" value={workflow} onChange={(e) => { setWorkflow(e.target.value); setOffset(0); }}>
            <option value="">{t("data.anyWorkflow")}</option>
            {(workflows.data ?? []).map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <button type="button" onClick={alerts.reload}>{t("data.refresh")}</button>
      </div>
      <LoadState error={alerts.error} loading={alerts.loading} hasData={alerts.data !== undefined} what="/api/alerts/" onRetry={alerts.reload} />
      {alerts.data === undefined ? null : (
        <>
          {alerts.data.results.length === 0 ? <p className="empty">{t("alerts.noAlerts")}</p> : (
            <table className="data-table" data-testid="alerts-table">
              <TableHead labels={[t("alerts.firedAt"), t("alerts.rule"), t("data.workflow"), t("alerts.message"), t("alerts.delivery")]} />
              <tbody>
                {alerts.data.results.map((alert) => {
                  const executionId = alert.execution ?? alert.execution_id ?? null;
                  return (
                  <tr key={alert.id} data-testid={`alert-row-${alert.id}`}>
                    <td className="nowrap">{formatTime(alert.created_at)}</td>
                    <td>{alert.rule_name}</td>
                    <td>{alert.workflow_name}</td>
                    <td>
                      {alert.message || alert.kind}
                      {executionId === null ? null : <> · <a href={href("executions", String(executionId))}>{t("alerts.execution", { id: executionId })}</a></>}
                    </td>
                    <td>
                      <span className={`badge tone-${alert.webhook_status === "delivered" ? "ok" : alert.webhook_status === "failed" ? "bad" : "neutral"}`}>
                        {labelOr(t, `alerts.delivery.${alert.webhook_status}`, alert.webhook_status)}
                      </span>
                      {alert.emailed_at ? <div className="item-sub">{t("alerts.emailed", { time: formatTime(alert.emailed_at) })}</div> : null}
                      {alert.last_error ? <div className="item-sub">{alert.last_error}</div> : null}
                    </td>
                  </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <Pager count={alerts.data.count} offset={offset} limit={PAGE_SIZE} onChange={setOffset} />
        </>
      )}
    </PageFrame>
  );
}

/** What the form edits, as its inputs hold it. */
interface RuleDraft {
  kind: AlertKind;
  count: string;
  minutes: string;
  seconds: string;
  webhook: string;
  email: string;
  enabled: boolean;
}

function draftOf(rule: AlertRuleItem | undefined): RuleDraft {
  const text = (n: number | null | undefined, fallback: string): string => (n === null || n === undefined ? fallback : String(n));
  return {
    kind: (rule?.kind as AlertKind | undefined) ?? "any_failure",
    count: text(rule?.threshold_count, "3"),
    minutes: text(rule?.window_minutes, "10"),
    seconds: text(rule?.duration_seconds, "300"),
    webhook: rule?.webhook_url ?? "",
    email: rule?.email_to ?? "",
    enabled: rule?.enabled ?? true,
  };
}

/**
 * Creates a rule, or changes one (`rule`: only the fields that changed are sent). The
 * webhook secret is write-only: left blank it stays as it is, typed it replaces the stored one.
 */
function RuleForm({ rule, workflows, onCancel, onSaved }: { rule?: AlertRuleItem; workflows: WorkflowOption[]; onCancel: () => void; onSaved: () => void }) {
  const t = useT();
  const editing = rule !== undefined;
  const [initial] = useState(() => draftOf(rule));
  const [draft, setDraft] = useState(initial);
  const [name, setName] = useState(rule?.name ?? "");
  const [workflow, setWorkflow] = useState(rule === undefined ? "" : String(rule.workflow ?? rule.workflow_id));
  const [secret, setSecret] = useState("");
  const { error, setError, busy, run } = useFormSubmit();
  const set = <K extends keyof RuleDraft>(key: K) => (value: RuleDraft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const { kind } = draft;

  const shown = [
    ...(editing ? [] : ["name", "workflow"]), "kind",
    ...(kind === "failure_count" ? ["threshold_count", "window_minutes"] : []), ...(kind === "long_running" ? ["duration_seconds"] : []),
    "webhook_url", "webhook_secret", "email_to", ...(editing ? ["enabled"] : []),
  ];
  const errors = fieldErrors(error, shown, t);

  /** The kind and its numbers as the API takes them; a FieldProblem for a bad one. */
  const conditionOf = (d: RuleDraft): AlertRuleFields => {
    const int = (field: string, text: string): number | null => {
      const value = optionalInt(text);
      if (Number.isNaN(value)) throw new FieldProblem(field, t("data.notANumber", { field: t(FIELD_LABELS[field]!) }));
      return value;
    };
    if (d.kind === "failure_count") return { kind: d.kind, threshold_count: int("threshold_count", d.count), window_minutes: int("window_minutes", d.minutes) };
    if (d.kind === "long_running") return { kind: d.kind, duration_seconds: int("duration_seconds", d.seconds) };
    return { kind: d.kind };
  };

  const save = async (): Promise<void> => {
    setError(undefined);
    let body: AlertRuleFields;
    try {
      if (!editing && name.trim() === "") throw new FieldProblem("name", t("data.required", { field: t("data.name") }));
      if (!editing && workflow === "") throw new FieldProblem("workflow", t("data.required", { field: t("data.workflow") }));
      const condition = conditionOf(draft);
      if (draft.webhook.trim() === "" && draft.email.trim() === "") throw new FieldProblem("webhook_url", t("alerts.needRecipient"));
      const fields: AlertRuleFields = { ...condition, webhook_url: draft.webhook.trim(), email_to: draft.email.trim() };
      if (editing) {
        let before: AlertRuleFields = {};
        try {
          before = { ...conditionOf(initial), webhook_url: initial.webhook.trim(), email_to: initial.email.trim() };
        } catch {
          before = {};
        }
        const kindChanged = draft.kind !== initial.kind;
        body = Object.fromEntries(Object.entries(fields).filter(([key, value]) =>
          before[key as keyof AlertRuleFields] !== value || (kindChanged && key in condition)));
        if (draft.enabled !== initial.enabled) body.enabled = draft.enabled;
      } else {
        body = { name: name.trim(), workflow: Number(workflow), ...fields };
      }
      // A secret only goes with a webhook (the server drops it otherwise); blank keeps the stored one.
      if (secret !== "" && draft.webhook.trim() !== "") body.webhook_secret = secret;
    } catch (problem) {
      return setError(problem);
    }
    if (editing && Object.keys(body).length === 0) return onCancel();
    await run(async () => {
      if (editing) await updateAlertRule(rule.id, body);
      else await createAlertRule(body);
      setSecret("");
      onSaved();
    });
  };

  const secretHint = !editing ? t("alerts.webhookSecretHint")
    : rule.webhook_secret_set ? t("alerts.secretStoredHint") : t("alerts.secretMissingHint");
  return (
    <form className="panel" data-testid="alert-rule-form" aria-labelledby="rule-form-title" autoComplete="off" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="rule-form-title">{editing ? t("alerts.editRule", { name: rule.name }) : t("alerts.newRule")}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="ar-name" error={errors.at("name")}>
          <input id="ar-name" type="text" data-testid="alert-rule-name" value={name} readOnly={editing} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.workflow")} htmlFor="ar-workflow" error={errors.at("workflow")}>
          <select id="ar-workflow" data-testid="alert-rule-workflow" value={workflow} disabled={editing} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">{t("endpoints.pickWorkflow")}</option>
            {workflows.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
            {editing && !workflows.some((w) => String(w.id) === workflow) ? <option value={workflow}>{rule.workflow_name}</option> : null}
          </select>
        </Field>
        <Field label={t("alerts.condition")} htmlFor="ar-kind" error={errors.at("kind")}>
          <select id="ar-kind" data-testid="alert-rule-kind" value={kind} onChange={(e) => set("kind")(e.target.value as AlertKind)}>
            {ALERT_KINDS.map((k) => <option key={k} value={k}>{t(`alerts.kind.${k}` as MessageKey)}</option>)}
            {(ALERT_KINDS as readonly string[]).includes(kind) ? null : <option value={kind}>{kind}</option>}
          </select>
        </Field>
        {kind === "failure_count" ? (
          <>
            <Field label={t("alerts.threshold")} htmlFor="ar-count" error={errors.at("threshold_count")}>
              <input id="ar-count" type="number" min="1" data-testid="alert-rule-count" value={draft.count} onChange={(e) => set("count")(e.target.value)} />
            </Field>
            <Field label={t("alerts.window")} htmlFor="ar-minutes" error={errors.at("window_minutes")}>
              <input id="ar-minutes" type="number" min="1" data-testid="alert-rule-minutes" value={draft.minutes} onChange={(e) => set("minutes")(e.target.value)} />
            </Field>
          </>
        ) : null}
        {kind === "long_running" ? (
          <Field label={t("alerts.duration")} htmlFor="ar-seconds" error={errors.at("duration_seconds")}>
            <input id="ar-seconds" type="number" min="1" data-testid="alert-rule-seconds" value={draft.seconds} onChange={(e) => set("seconds")(e.target.value)} />
          </Field>
        ) : null}
        <Field label={t("alerts.webhook")} htmlFor="ar-webhook" error={errors.at("webhook_url")}>
          <input id="ar-webhook" type="url" data-testid="alert-rule-webhook" value={draft.webhook} onChange={(e) => set("webhook")(e.target.value)} />
        </Field>
        <Field label={t("alerts.webhookSecret")} htmlFor="ar-secret" hint={secretHint} error={errors.at("webhook_secret")}>
          {editing ? (
            <span data-testid="alert-rule-secret-state" className={`badge tone-${rule.webhook_secret_set ? "ok" : "neutral"}`}>
              {rule.webhook_secret_set ? t("alerts.secretStored") : t("alerts.secretMissing")}
            </span>
          ) : null}
          <input id="ar-secret" type="password" autoComplete="new-password" data-testid="alert-rule-secret" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </Field>
        <Field label={t("alerts.email")} htmlFor="ar-email" hint={t("alerts.emailHint")} error={errors.at("email_to")}>
          <input id="ar-email" type="text" data-testid="alert-rule-email" value={draft.email} onChange={(e) => set("email")(e.target.value)} />
        </Field>
        {editing ? (
          <EnabledCheckbox label={t("data.enabled")} testId="alert-rule-enabled" checked={draft.enabled} error={errors.at("enabled")} onChange={set("enabled")} />
        ) : null}
      </div>
      <FormError error={errors.rest} />
      <FormActions creating={!editing} busy={busy} testId={editing ? "alert-rule-save" : "alert-rule-create"} onCancel={onCancel} />
    </form>
  );
}

const FIELD_LABELS: Record<string, MessageKey> = {
  threshold_count: "alerts.threshold", window_minutes: "alerts.window", duration_seconds: "alerts.duration",
};
