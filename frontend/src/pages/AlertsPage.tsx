/** Alerts: rules per workflow (create, enable/disable, delete) and the alerts they fired (filter by workflow). */
import { useState } from "react";
import { href } from "../app/router.ts";
import {
  ALERT_KINDS, createAlertRule, deleteAlertRule, listAlertRules, listAlerts, updateAlertRule,
  type AlertKind, type AlertRuleItem,
} from "../api/alerts.ts";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { formatTime, optionalInt } from "./common/format.ts";
import { useLoad } from "./common/useLoad.ts";
import { Field, FormError, LoadState, OnOffBadge, PageFrame, Pager, labelOr } from "./common/ui.tsx";

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
  const [creating, setCreating] = useState(false);
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
      <button type="button" className="primary" data-testid="alert-rule-new" disabled={rules.error !== undefined} onClick={() => setCreating(true)}>{t("alerts.newRule")}</button>
    }>
      {creating ? <RuleForm workflows={workflows.data ?? []} onCancel={() => setCreating(false)} onCreated={() => { setCreating(false); rules.reload(); }} /> : null}
      <h2>{t("alerts.rules")}</h2>
      <FormError error={error} />
      <LoadState error={rules.error} loading={rules.loading} hasData={rules.data !== undefined} what="/api/alerts/rules/" onRetry={rules.reload} />
      {rules.data === undefined ? null : items.length === 0 ? <p className="empty">{t("alerts.noRules")}</p> : (
        <table className="data-table" data-testid="alert-rules-table">
          <thead>
            <tr>
              <th scope="col">{t("data.name")}</th>
              <th scope="col">{t("data.workflow")}</th>
              <th scope="col">{t("alerts.condition")}</th>
              <th scope="col">{t("alerts.notify")}</th>
              <th scope="col">{t("data.status")}</th>
              <th scope="col">{t("data.actions")}</th>
            </tr>
          </thead>
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
              <thead>
                <tr>
                  <th scope="col">{t("alerts.firedAt")}</th>
                  <th scope="col">{t("alerts.rule")}</th>
                  <th scope="col">{t("data.workflow")}</th>
                  <th scope="col">{t("alerts.message")}</th>
                  <th scope="col">{t("alerts.delivery")}</th>
                </tr>
              </thead>
              <tbody>
                {alerts.data.results.map((alert) => (
                  <tr key={alert.id} data-testid={`alert-row-${alert.id}`}>
                    <td className="nowrap">{formatTime(alert.created_at)}</td>
                    <td>{alert.rule_name}</td>
                    <td>{alert.workflow_name}</td>
                    <td>
                      {alert.message || alert.kind}
                      {alert.execution_id === null ? null : <> · <a href={href("executions", String(alert.execution_id))}>{t("alerts.execution", { id: alert.execution_id })}</a></>}
                    </td>
                    <td>
                      <span className={`badge tone-${alert.webhook_status === "delivered" ? "ok" : alert.webhook_status === "failed" ? "bad" : "neutral"}`}>
                        {labelOr(t, `alerts.delivery.${alert.webhook_status}`, alert.webhook_status)}
                      </span>
                      {alert.emailed_at ? <div className="item-sub">{t("alerts.emailed", { time: formatTime(alert.emailed_at) })}</div> : null}
                      {alert.last_error ? <div className="item-sub">{alert.last_error}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager count={alerts.data.count} offset={offset} limit={PAGE_SIZE} onChange={setOffset} />
        </>
      )}
    </PageFrame>
  );
}

function RuleForm({ workflows, onCancel, onCreated }: { workflows: WorkflowOption[]; onCancel: () => void; onCreated: () => void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [kind, setKind] = useState<AlertKind>("any_failure");
  const [count, setCount] = useState("3");
  const [minutes, setMinutes] = useState("10");
  const [seconds, setSeconds] = useState("300");
  const [webhook, setWebhook] = useState("");
  const [secret, setSecret] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const create = async (): Promise<void> => {
    setError(undefined);
    if (name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    if (workflow === "") return setError(t("data.required", { field: t("data.workflow") }));
    const numbers = { threshold_count: optionalInt(count), window_minutes: optionalInt(minutes), duration_seconds: optionalInt(seconds) };
    for (const [field, value] of Object.entries(numbers)) if (Number.isNaN(value)) return setError(t("data.notANumber", { field }));
    if (webhook.trim() === "" && email.trim() === "") return setError(t("alerts.needRecipient"));
    setBusy(true);
    try {
      await createAlertRule({
        name: name.trim(), workflow: Number(workflow), kind,
        ...(kind === "failure_count" ? { threshold_count: numbers.threshold_count, window_minutes: numbers.window_minutes } : {}),
        ...(kind === "long_running" ? { duration_seconds: numbers.duration_seconds } : {}),
        webhook_url: webhook.trim(), ...(secret === "" ? {} : { webhook_secret: secret }), email_to: email.trim(),
      });
      setSecret("");
      onCreated();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" data-testid="alert-rule-form" aria-labelledby="rule-form-title" autoComplete="off" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <h2 id="rule-form-title">{t("alerts.newRule")}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="ar-name">
          <input id="ar-name" type="text" data-testid="alert-rule-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.workflow")} htmlFor="ar-workflow">
          <select id="ar-workflow" data-testid="alert-rule-workflow" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">{t("endpoints.pickWorkflow")}</option>
            {workflows.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("alerts.condition")} htmlFor="ar-kind">
          <select id="ar-kind" data-testid="alert-rule-kind" value={kind} onChange={(e) => setKind(e.target.value as AlertKind)}>
            {ALERT_KINDS.map((k) => <option key={k} value={k}>{t(`alerts.kind.${k}` as MessageKey)}</option>)}
          </select>
        </Field>
        {kind === "failure_count" ? (
          <>
            <Field label={t("alerts.threshold")} htmlFor="ar-count">
              <input id="ar-count" type="number" min="1" value={count} onChange={(e) => setCount(e.target.value)} />
            </Field>
            <Field label={t("alerts.window")} htmlFor="ar-minutes">
              <input id="ar-minutes" type="number" min="1" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </Field>
          </>
        ) : null}
        {kind === "long_running" ? (
          <Field label={t("alerts.duration")} htmlFor="ar-seconds">
            <input id="ar-seconds" type="number" min="1" value={seconds} onChange={(e) => setSeconds(e.target.value)} />
          </Field>
        ) : null}
        <Field label={t("alerts.webhook")} htmlFor="ar-webhook">
          <input id="ar-webhook" type="url" data-testid="alert-rule-webhook" value={webhook} onChange={(e) => setWebhook(e.target.value)} />
        </Field>
        <Field label={t("alerts.webhookSecret")} htmlFor="ar-secret" hint={t("alerts.webhookSecretHint")}>
          <input id="ar-secret" type="password" autoComplete="new-password" data-testid="alert-rule-secret" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </Field>
        <Field label={t("alerts.email")} htmlFor="ar-email" hint={t("alerts.emailHint")}>
          <input id="ar-email" type="text" data-testid="alert-rule-email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
      </div>
      <FormError error={error} />
      <div className="panel-actions">
        <button type="submit" className="primary" data-testid="alert-rule-create" disabled={busy}>{t("data.create")}</button>
        <button type="button" onClick={onCancel}>{t("data.cancel")}</button>
      </div>
    </form>
  );
}
