/**
 * Shared pieces of the data pages: the page frame, load/error states (a route this server
 * does not have is "not available on this server", never sample data), a pager, status
 * badges, form errors and a copy button.
 */
import { Children, cloneElement, isValidElement, useState, type ReactElement, type ReactNode } from "react";
import { ApiError } from "../../api/client.ts";
import { isMissingRoute } from "../../api/paging.ts";
import { useT } from "../../i18n/I18nProvider.tsx";
import type { MessageKey } from "../../i18n/messages.ts";
import "../pages.css";

/** The translation of `key`, or `raw` itself where there is none (a value newer than this app). */
export function labelOr(t: ReturnType<typeof useT>, key: string, raw: string): string {
  const text = t(key as MessageKey);
  return text === key ? raw : text;
}

export function PageFrame({ id, children, actions }: { id: string; children: ReactNode; actions?: ReactNode }) {
  const t = useT();
  return (
    <section className="page data-page" aria-labelledby="page-title" data-testid={`page-${id}`}>
      <div className="page-head">
        <div>
          <h1 id="page-title">{t(`nav.${id}` as MessageKey)}</h1>
          <p className="page-lead">{t(`page.${id}.lead` as MessageKey)}</p>
        </div>
        {actions === undefined ? null : <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function NotAvailable({ what }: { what?: string }) {
  const t = useT();
  return (
    <div className="not-available" role="note" data-testid="not-available">
      <strong>{t("data.notAvailable")}</strong>
      <span>{t("data.notAvailableDetail", { what: what ?? "" })}</span>
    </div>
  );
}

/** The message of an API error (or any error) in the reader's words where we have them. */
export function errorMessage(error: unknown, t: ReturnType<typeof useT>): string {
  if (error instanceof ApiError) {
    if (error.code === "NotAuthenticated") return t("data.notSignedIn");
    return error.field ? `${error.message} (${error.field})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** What to show instead of the data: nothing (data is there), loading, an error, or "not available". */
export function LoadState({ error, loading, hasData, what, onRetry }: {
  error: unknown; loading: boolean; hasData: boolean; what?: string; onRetry?: () => void;
}) {
  const t = useT();
  if (error !== undefined) {
    if (isMissingRoute(error)) return <NotAvailable what={what} />;
    return (
      <div className="load-error" role="alert" data-testid="load-error">
        <span>{t("data.error", { message: errorMessage(error, t) })}</span>
        {onRetry ? <button type="button" onClick={onRetry}>{t("data.retry")}</button> : null}
      </div>
    );
  }
  if (loading && !hasData) return <p className="loading" role="status" aria-busy="true">{t("data.loading")}</p>;
  return null;
}

export function FormError({ error }: { error: unknown }) {
  const t = useT();
  if (error === undefined || error === null) return null;
  return <p className="form-error" role="alert" data-testid="form-error">{typeof error === "string" ? error : errorMessage(error, t)}</p>;
}

export function Pager({ count, offset, limit, onChange }: { count: number; offset: number; limit: number; onChange: (offset: number) => void }) {
  const t = useT();
  const from = count === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, count);
  return (
    <nav className="pager" aria-label={t("data.pager")}>
      <button type="button" data-testid="pager-prev" disabled={offset <= 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        ‹ {t("data.prev")}
      </button>
      <span className="pager-range" aria-live="polite">{t("data.range", { from, to, count })}</span>
      <button type="button" data-testid="pager-next" disabled={offset + limit >= count} onClick={() => onChange(offset + limit)}>
        {t("data.next")} ›
      </button>
    </nav>
  );
}

const STATUS_TONE: Record<string, string> = {
  RUNNING: "running", SUCCEEDED: "ok", FAILED: "bad", TIMED_OUT: "bad", ABORTED: "warn", PENDING_REDRIVE: "running",
};

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `status.${status}` as MessageKey;
  const label = t(key);
  return <span className={`badge tone-${STATUS_TONE[status] ?? "neutral"}`} data-status={status}>{label === key ? status : label}</span>;
}

export function OnOffBadge({ on }: { on: boolean }) {
  const t = useT();
  return <span className={`badge tone-${on ? "ok" : "neutral"}`}>{on ? t("data.enabled") : t("data.disabled")}</span>;
}

/** Copies text to the clipboard; says "Copied" for a moment. */
export function CopyButton({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" className="small" data-testid={testId} onClick={() => void copy()} aria-label={label ?? t("data.copy")}>
      {copied ? t("data.copied") : t("data.copy")}
    </button>
  );
}

/**
 * A labelled form field. `error` (a problem the server or the page found with this field)
 * is shown under it, and the control with id `htmlFor` is marked invalid and described by it.
 */
export function Field({ label, htmlFor, children, hint, error }: { label: string; htmlFor: string; children: ReactNode; hint?: string; error?: string }) {
  const errorId = `${htmlFor}-error`;
  const controls = error === undefined ? children : Children.map(children, (child) =>
    isValidElement<{ id?: string }>(child) && child.props.id === htmlFor
      ? cloneElement(child as ReactElement<Record<string, unknown>>, { "aria-invalid": true, "aria-describedby": errorId })
      : child);
  return (
    <div className={error === undefined ? "form-field" : "form-field has-error"}>
      <label htmlFor={htmlFor}>{label}</label>
      {controls}
      {hint ? <span className="form-hint">{hint}</span> : null}
      {error === undefined ? null : <span className="field-error" id={errorId} role="alert" data-testid={`field-error-${htmlFor}`}>{error}</span>}
    </div>
  );
}

/** A data table's header row: one column heading a label. */
export function TableHead({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label) => <th key={label} scope="col">{label}</th>)}
      </tr>
    </thead>
  );
}

/** A row's Edit and Delete buttons (test ids `<testId>-edit-<name>`, `<testId>-delete-<name>`). */
export function EditDeleteActions({ testId, name, onEdit, onDelete }: { testId: string; name: string; onEdit: () => void; onDelete: () => void }) {
  const t = useT();
  return (
    <div className="row-actions">
      <button type="button" className="small" data-testid={`${testId}-edit-${name}`} onClick={onEdit}>{t("data.edit")}</button>
      <button type="button" className="small danger" data-testid={`${testId}-delete-${name}`} onClick={onDelete}>{t("data.delete")}</button>
    </div>
  );
}

/** A form's submit button (Create, or Save once the item exists) and its Cancel button. */
export function FormActions({ creating, busy, testId, onCancel }: { creating: boolean; busy: boolean; testId: string; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="panel-actions">
      <button type="submit" className="primary" data-testid={testId} disabled={busy}>{creating ? t("data.create") : t("data.save")}</button>
      <button type="button" onClick={onCancel}>{t("data.cancel")}</button>
    </div>
  );
}

/** The "enabled" checkbox of an edit form, with the server's problem with it under it. */
export function EnabledCheckbox({ label, testId, checked, error, onChange }: { label: string; testId: string; checked: boolean; error?: string; onChange: (checked: boolean) => void }) {
  return (
    <div className="wide">
      <label className="checkbox-field">
        <input type="checkbox" data-testid={testId} checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {error === undefined ? null : <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
