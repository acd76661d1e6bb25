/** Schedules: list with next run times, create (cron or fixed rate), pause/resume, past runs, delete. */
import { Fragment, useEffect, useState } from "react";
import { href } from "../app/router.ts";
import { listVersions, listWorkflowOptions, type VersionOption, type WorkflowOption } from "../api/executionsList.ts";
import {
  createSchedule, deleteSchedule, listScheduleRuns, listSchedules, pauseSchedule, resumeSchedule,
  type ScheduleItem, type ScheduleKind,
} from "../api/schedules.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { formatTime, parseJson } from "./common/format.ts";
import { useLoad } from "./common/useLoad.ts";
import { Field, FormError, LoadState, OnOffBadge, PageFrame, StatusBadge } from "./common/ui.tsx";

/** The reader's IANA time zone (the default for a new cron schedule), else UTC. */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function SchedulesPage() {
  const t = useT();
  const schedules = useLoad((signal) => listSchedules(signal), []);
  const workflows = useLoad<WorkflowOption[]>((signal) => listWorkflowOptions(signal), []);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const items = schedules.data?.results ?? [];

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setError(undefined);
    try {
      await action();
      schedules.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const toggle = (s: ScheduleItem): Promise<void> => act(() => (s.enabled ? pauseSchedule(s.id) : resumeSchedule(s.id)));
  const remove = (s: ScheduleItem): Promise<void> => {
    if (!window.confirm(t("data.confirmDelete", { name: s.name }))) return Promise.resolve();
    return act(() => deleteSchedule(s.id));
  };

  return (
    <PageFrame id="schedules" actions={
      <button type="button" className="primary" data-testid="schedule-new" disabled={schedules.error !== undefined} onClick={() => setCreating(true)}>{t("schedules.new")}</button>
    }>
      {creating ? <ScheduleForm workflows={workflows.data ?? []} onCancel={() => setCreating(false)} onCreated={() => { setCreating(false); schedules.reload(); }} /> : null}
      <FormError error={error} />
      <LoadState error={schedules.error} loading={schedules.loading} hasData={schedules.data !== undefined} what="/api/schedules/" onRetry={schedules.reload} />
      {schedules.data === undefined ? null : items.length === 0 ? <p className="empty">{t("schedules.empty")}</p> : (
        <table className="data-table" data-testid="schedules-table">
          <thead>
            <tr>
              <th scope="col">{t("data.name")}</th>
              <th scope="col">{t("data.workflow")}</th>
              <th scope="col">{t("schedules.when")}</th>
              <th scope="col">{t("data.status")}</th>
              <th scope="col">{t("schedules.nextRuns")}</th>
              <th scope="col">{t("data.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <Fragment key={s.id}>
                <tr data-testid={`schedule-row-${s.name}`}>
                  <td><strong>{s.name}</strong></td>
                  <td>{s.workflow_name} <span className="item-sub">{s.version === null ? t("data.latest") : `v${s.version}`}</span></td>
                  <td>
                    {s.kind === "cron" ? <><code className="mono">{s.cron_expression}</code> <span className="item-sub">{s.timezone}</span></> : t("schedules.everySeconds", { n: s.rate_seconds ?? 0 })}
                  </td>
                  <td>{s.enabled ? <OnOffBadge on /> : <span className="badge tone-warn">{t("schedules.paused")}</span>}</td>
                  <td>
                    {s.next_runs.length === 0 ? <span className="item-sub">{t("schedules.noNextRuns")}</span> : (
                      <ol className="chip-list" data-testid="schedule-next-runs">{s.next_runs.map((time) => <li key={time}>{formatTime(time)}</li>)}</ol>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="small" data-testid={`schedule-toggle-${s.name}`} onClick={() => void toggle(s)}>{s.enabled ? t("schedules.pause") : t("schedules.resume")}</button>
                      <button type="button" className="small" aria-expanded={open === s.id} data-testid={`schedule-runs-${s.name}`} onClick={() => setOpen(open === s.id ? null : s.id)}>{t("schedules.runs")}</button>
                      <button type="button" className="small danger" data-testid={`schedule-delete-${s.name}`} onClick={() => void remove(s)}>{t("data.delete")}</button>
                    </div>
                  </td>
                </tr>
                {open === s.id ? (
                  <tr>
                    <td colSpan={6}><ScheduleRuns id={s.id} /></td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </PageFrame>
  );
}

function ScheduleRuns({ id }: { id: number }) {
  const t = useT();
  const runs = useLoad((signal) => listScheduleRuns(id, signal), [id]);
  return (
    <div data-testid="schedule-runs">
      <LoadState error={runs.error} loading={runs.loading} hasData={runs.data !== undefined} what={`/api/schedules/${id}/runs/`} />
      {runs.data === undefined ? null : runs.data.length === 0 ? <p className="item-sub">{t("schedules.noRuns")}</p> : (
        <ul className="chip-list">
          {runs.data.map((run) => (
            <li key={run.id}>
              <a href={href("executions", String(run.id))}>{formatTime(run.started_at)}</a> <StatusBadge status={run.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ScheduleForm({ workflows, onCancel, onCreated }: { workflows: WorkflowOption[]; onCancel: () => void; onCreated: () => void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [version, setVersion] = useState("");
  const [versions, setVersions] = useState<VersionOption[]>([]);
  const [kind, setKind] = useState<ScheduleKind>("cron");
  const [cron, setCron] = useState("0 * * * *");
  const [rate, setRate] = useState("3600");
  const [zone, setZone] = useState(localZone);
  const [input, setInput] = useState("{}");
  const [policy, setPolicy] = useState("skip");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setVersion("");
    setVersions([]);
    if (workflow === "") return undefined;
    const controller = new AbortController();
    listVersions(Number(workflow), controller.signal).then(setVersions, () => setVersions([]));
    return () => controller.abort();
  }, [workflow]);

  const create = async (): Promise<void> => {
    setError(undefined);
    if (name.trim() === "") return setError(t("data.required", { field: t("data.name") }));
    if (workflow === "") return setError(t("data.required", { field: t("data.workflow") }));
    const parsed = parseJson(input);
    if (!parsed.ok) return setError(t("data.invalidJson", { message: parsed.message }));
    const seconds = Number(rate);
    if (kind === "rate" && !(Number.isInteger(seconds) && seconds > 0)) return setError(t("data.notANumber", { field: t("schedules.rate") }));
    setBusy(true);
    try {
      await createSchedule({
        name: name.trim(), workflow: Number(workflow), version: version === "" ? null : Number(version), kind,
        ...(kind === "cron" ? { cron_expression: cron.trim(), timezone: zone.trim() || "UTC" } : { rate_seconds: seconds }),
        input, missed_run_policy: policy,
      });
      onCreated();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" data-testid="schedule-form" aria-labelledby="schedule-form-title" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <h2 id="schedule-form-title">{t("schedules.new")}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="sc-name">
          <input id="sc-name" type="text" data-testid="schedule-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.workflow")} htmlFor="sc-workflow">
          <select id="sc-workflow" data-testid="schedule-workflow" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">{t("endpoints.pickWorkflow")}</option>
            {workflows.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
          </select>
        </Field>
        <Field label={t("data.version")} htmlFor="sc-version">
          <select id="sc-version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="">{t("schedules.latestAtRun")}</option>
            {versions.map((v) => <option key={v.number} value={String(v.number)}>{`v${v.number}`}</option>)}
          </select>
        </Field>
        <Field label={t("data.kind")} htmlFor="sc-kind">
          <select id="sc-kind" data-testid="schedule-kind" value={kind} onChange={(e) => setKind(e.target.value as ScheduleKind)}>
            <option value="cron">{t("schedules.kind.cron")}</option>
            <option value="rate">{t("schedules.kind.rate")}</option>
          </select>
        </Field>
        {kind === "cron" ? (
          <>
            <Field label={t("schedules.cron")} htmlFor="sc-cron" hint={t("schedules.cronHint")}>
              <input id="sc-cron" type="text" className="mono" data-testid="schedule-cron" value={cron} onChange={(e) => setCron(e.target.value)} />
            </Field>
            <Field label={t("schedules.timezone")} htmlFor="sc-zone">
              <input id="sc-zone" type="text" data-testid="schedule-timezone" value={zone} onChange={(e) => setZone(e.target.value)} />
            </Field>
          </>
        ) : (
          <Field label={t("schedules.rate")} htmlFor="sc-rate">
            <input id="sc-rate" type="number" min="1" step="1" data-testid="schedule-rate" value={rate} onChange={(e) => setRate(e.target.value)} />
          </Field>
        )}
        <Field label={t("schedules.missed")} htmlFor="sc-policy">
          <select id="sc-policy" value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <option value="skip">{t("schedules.missed.skip")}</option>
            <option value="run_once">{t("schedules.missed.run_once")}</option>
          </select>
        </Field>
        <div className="wide">
          <Field label={t("schedules.input")} htmlFor="sc-input">
            <textarea id="sc-input" rows={3} data-testid="schedule-input" value={input} onChange={(e) => setInput(e.target.value)} />
          </Field>
        </div>
      </div>
      <FormError error={error} />
      <div className="panel-actions">
        <button type="submit" className="primary" data-testid="schedule-create" disabled={busy}>{t("data.create")}</button>
        <button type="button" onClick={onCancel}>{t("data.cancel")}</button>
      </div>
    </form>
  );
}
