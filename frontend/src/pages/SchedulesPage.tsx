/**
 * Schedules: list with next run times, create (cron or fixed rate), edit (timing, time zone,
 * input, start/end, missed runs, enabled; a server error shown beside the field it names),
 * pause/resume, past runs, delete.
 */
import { Fragment, useState } from "react";
import { href } from "../app/router.ts";
import { listWorkflowOptions, type WorkflowOption } from "../api/executionsList.ts";
import {
  createSchedule, deleteSchedule, listScheduleRuns, listSchedules, pauseSchedule, resumeSchedule, updateSchedule,
  type ScheduleFields, type ScheduleItem, type ScheduleKind,
} from "../api/schedules.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { FieldProblem, fieldErrors } from "./common/fieldErrors.ts";
import { formatTime, isoToLocalInput, localInputToIso, parseJson } from "./common/format.ts";
import { useFormSubmit } from "./common/useFormSubmit.ts";
import { useLoad } from "./common/useLoad.ts";
import { useWorkflowVersions } from "./common/useWorkflowVersions.ts";
import { EnabledCheckbox, Field, FormActions, FormError, LoadState, OnOffBadge, PageFrame, StatusBadge, TableHead } from "./common/ui.tsx";

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
  const [editing, setEditing] = useState<ScheduleItem | "new" | null>(null);
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
      <button type="button" className="primary" data-testid="schedule-new" disabled={schedules.error !== undefined} onClick={() => setEditing("new")}>{t("schedules.new")}</button>
    }>
      {editing === null ? null : (
        <ScheduleForm key={editing === "new" ? "new" : editing.id} schedule={editing === "new" ? undefined : editing} workflows={workflows.data ?? []}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); schedules.reload(); }} />
      )}
      <FormError error={error} />
      <LoadState error={schedules.error} loading={schedules.loading} hasData={schedules.data !== undefined} what="/api/schedules/" onRetry={schedules.reload} />
      {schedules.data === undefined ? null : items.length === 0 ? <p className="empty">{t("schedules.empty")}</p> : (
        <table className="data-table" data-testid="schedules-table">
          <TableHead labels={[t("data.name"), t("data.workflow"), t("schedules.when"), t("data.status"), t("schedules.nextRuns"), t("data.actions")]} />
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
                      <button type="button" className="small" data-testid={`schedule-edit-${s.name}`} onClick={() => setEditing(s)}>{t("data.edit")}</button>
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

/** What the form edits, as its inputs hold it. */
interface ScheduleDraft {
  version: string;
  kind: ScheduleKind;
  cron: string;
  rate: string;
  zone: string;
  input: string;
  policy: string;
  start: string;
  end: string;
  enabled: boolean;
}

function draftOf(schedule: ScheduleItem | undefined): ScheduleDraft {
  if (schedule === undefined) {
    return { version: "", kind: "cron", cron: "0 * * * *", rate: "3600", zone: localZone(), input: "{}", policy: "skip", start: "", end: "", enabled: true };
  }
  return {
    version: schedule.version === null ? "" : String(schedule.version),
    kind: schedule.kind,
    cron: schedule.kind === "cron" ? schedule.cron_expression : "0 * * * *",
    rate: schedule.rate_seconds === null ? "3600" : String(schedule.rate_seconds),
    zone: schedule.timezone || "UTC",
    input: schedule.input,
    policy: schedule.missed_run_policy ?? "skip",
    start: isoToLocalInput(schedule.start_at),
    end: isoToLocalInput(schedule.end_at),
    enabled: schedule.enabled,
  };
}

const TIMING_FIELDS = ["kind", "cron_expression", "timezone", "rate_seconds"];

/** The schedule's workflow id (the API names it `workflow`). */
const workflowOf = (schedule: ScheduleItem): number => schedule.workflow ?? schedule.workflow_id;

/** Creates a schedule, or changes one (`schedule`): only the fields that changed are sent. */
function ScheduleForm({ schedule, workflows, onCancel, onSaved }: {
  schedule?: ScheduleItem; workflows: WorkflowOption[]; onCancel: () => void; onSaved: () => void;
}) {
  const t = useT();
  const editing = schedule !== undefined;
  const [initial] = useState(() => draftOf(schedule));
  const [draft, setDraft] = useState(initial);
  const [name, setName] = useState(schedule?.name ?? "");
  const [workflow, setWorkflow] = useState(schedule === undefined ? "" : String(workflowOf(schedule)));
  const versions = useWorkflowVersions(workflow);
  const { error, setError, busy, run } = useFormSubmit();
  const set = <K extends keyof ScheduleDraft>(key: K) => (value: ScheduleDraft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const { kind } = draft;

  const pickWorkflow = (value: string): void => {
    setWorkflow(value);
    set("version")("");
  };

  const shown = [
    ...(editing ? [] : ["name", "workflow"]), "version", "kind",
    ...(kind === "cron" ? ["cron_expression", "timezone"] : ["rate_seconds"]),
    "missed_run_policy", "start_at", "end_at", "input", ...(editing ? ["enabled"] : []),
  ];
  const errors = fieldErrors(error, shown, t);

  /** Every field as the API takes it, checked; a FieldProblem for the first bad one. */
  const fieldsOf = (d: ScheduleDraft): ScheduleFields => {
    const parsed = parseJson(d.input);
    if (!parsed.ok) throw new FieldProblem("input", t("data.invalidJson", { message: parsed.message }));
    const seconds = Number(d.rate);
    if (d.kind === "rate" && !(Number.isInteger(seconds) && seconds > 0)) throw new FieldProblem("rate_seconds", t("data.notANumber", { field: t("schedules.rate") }));
    return {
      version: d.version === "" ? null : Number(d.version), kind: d.kind,
      ...(d.kind === "cron" ? { cron_expression: d.cron.trim(), timezone: d.zone.trim() || "UTC" } : { rate_seconds: seconds }),
      input: d.input, missed_run_policy: d.policy,
      start_at: localInputToIso(d.start) || null, end_at: localInputToIso(d.end) || null,
    };
  };

  const save = async (): Promise<void> => {
    setError(undefined);
    let body: ScheduleFields;
    try {
      if (!editing && name.trim() === "") throw new FieldProblem("name", t("data.required", { field: t("data.name") }));
      if (!editing && workflow === "") throw new FieldProblem("workflow", t("data.required", { field: t("data.workflow") }));
      const fields = fieldsOf(draft);
      if (editing) {
        // Only what changed; a change of kind sends the new kind's timing fields as well.
        let before: ScheduleFields = {};
        try {
          before = fieldsOf(initial);
        } catch {
          before = {}; // what the server holds does not pass the page's checks: send everything
        }
        const kindChanged = draft.kind !== initial.kind;
        body = Object.fromEntries(Object.entries(fields).filter(([key, value]) =>
          before[key as keyof ScheduleFields] !== value || (kindChanged && TIMING_FIELDS.includes(key))));
        if (draft.enabled !== initial.enabled) body.enabled = draft.enabled;
      } else {
        const { start_at, end_at, ...rest } = fields;
        body = { name: name.trim(), workflow: Number(workflow), ...rest, ...(start_at ? { start_at } : {}), ...(end_at ? { end_at } : {}) };
      }
    } catch (problem) {
      return setError(problem);
    }
    if (editing && Object.keys(body).length === 0) return onCancel();
    await run(async () => {
      if (editing) await updateSchedule(schedule.id, body);
      else await createSchedule(body);
      onSaved();
    });
  };

  const title = editing ? t("schedules.edit", { name: schedule.name }) : t("schedules.new");
  return (
    <form className="panel" data-testid="schedule-form" aria-labelledby="schedule-form-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="schedule-form-title">{title}</h2>
      <div className="form-grid">
        <Field label={t("data.name")} htmlFor="sc-name" error={errors.at("name")}>
          <input id="sc-name" type="text" data-testid="schedule-name" value={name} readOnly={editing} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("data.workflow")} htmlFor="sc-workflow" error={errors.at("workflow")}>
          <select id="sc-workflow" data-testid="schedule-workflow" value={workflow} disabled={editing} onChange={(e) => pickWorkflow(e.target.value)}>
            <option value="">{t("endpoints.pickWorkflow")}</option>
            {workflows.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
            {editing && !workflows.some((w) => String(w.id) === workflow) ? <option value={workflow}>{schedule.workflow_name}</option> : null}
          </select>
        </Field>
        <Field label={t("data.version")} htmlFor="sc-version" error={errors.at("version")}>
          <select id="sc-version" data-testid="schedule-version" value={draft.version} onChange={(e) => set("version")(e.target.value)}>
            <option value="">{t("schedules.latestAtRun")}</option>
            {versions.map((v) => <option key={v.number} value={String(v.number)}>{`v${v.number}`}</option>)}
            {draft.version !== "" && !versions.some((v) => String(v.number) === draft.version) ? <option value={draft.version}>{`v${draft.version}`}</option> : null}
          </select>
        </Field>
        <Field label={t("data.kind")} htmlFor="sc-kind" error={errors.at("kind")}>
          <select id="sc-kind" data-testid="schedule-kind" value={kind} onChange={(e) => set("kind")(e.target.value as ScheduleKind)}>
            <option value="cron">{t("schedules.kind.cron")}</option>
            <option value="rate">{t("schedules.kind.rate")}</option>
          </select>
        </Field>
        {kind === "cron" ? (
          <>
            <Field label={t("schedules.cron")} htmlFor="sc-cron" hint={t("schedules.cronHint")} error={errors.at("cron_expression")}>
              <input id="sc-cron" type="text" className="mono" data-testid="schedule-cron" value={draft.cron} onChange={(e) => set("cron")(e.target.value)} />
            </Field>
            <Field label={t("schedules.timezone")} htmlFor="sc-zone" error={errors.at("timezone")}>
              <input id="sc-zone" type="text" data-testid="schedule-timezone" value={draft.zone} onChange={(e) => set("zone")(e.target.value)} />
            </Field>
          </>
        ) : (
          <Field label={t("schedules.rate")} htmlFor="sc-rate" error={errors.at("rate_seconds")}>
            <input id="sc-rate" type="number" min="1" step="1" data-testid="schedule-rate" value={draft.rate} onChange={(e) => set("rate")(e.target.value)} />
          </Field>
        )}
        <Field label={t("schedules.missed")} htmlFor="sc-policy" error={errors.at("missed_run_policy")}>
          <select id="sc-policy" data-testid="schedule-policy" value={draft.policy} onChange={(e) => set("policy")(e.target.value)}>
            <option value="skip">{t("schedules.missed.skip")}</option>
            <option value="run_once">{t("schedules.missed.run_once")}</option>
          </select>
        </Field>
        <Field label={t("schedules.startAt")} htmlFor="sc-start" hint={t("schedules.optionalTime")} error={errors.at("start_at")}>
          <input id="sc-start" type="datetime-local" data-testid="schedule-start" value={draft.start} onChange={(e) => set("start")(e.target.value)} />
        </Field>
        <Field label={t("schedules.endAt")} htmlFor="sc-end" hint={t("schedules.optionalTime")} error={errors.at("end_at")}>
          <input id="sc-end" type="datetime-local" data-testid="schedule-end" value={draft.end} onChange={(e) => set("end")(e.target.value)} />
        </Field>
        <div className="wide">
          <Field label={t("schedules.input")} htmlFor="sc-input" error={errors.at("input")}>
            <textarea id="sc-input" rows={3} data-testid="schedule-input" value={draft.input} onChange={(e) => set("input")(e.target.value)} />
          </Field>
        </div>
        {editing ? (
          <EnabledCheckbox label={t("schedules.enabledField")} testId="schedule-enabled" checked={draft.enabled} error={errors.at("enabled")} onChange={set("enabled")} />
        ) : null}
      </div>
      <FormError error={errors.rest} />
      <FormActions creating={!editing} busy={busy} testId={editing ? "schedule-save" : "schedule-create"} onCancel={onCancel} />
    </form>
  );
}
