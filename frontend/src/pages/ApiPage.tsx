/**
 * Pages that show server data (executions, functions, roles, endpoints, dashboard).
 * The REST API does not exist yet, so each says what it will show and that it needs
 * the API — no sample data is dressed up as real.
 */
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import type { RouteId } from "../app/router.ts";

export function NeedsApi() {
  const t = useT();
  return (
    <div className="needs-api" role="note">
      <strong>{t("common.needsApi")}</strong>
      <span>{t("common.needsApiDetail")}</span>
    </div>
  );
}

export function ApiPage({ page }: { page: Exclude<RouteId, "editor" | "workflows"> }) {
  const t = useT();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t(`nav.${page}` as MessageKey)}</h1>
      <p className="page-lead">{t(`page.${page}.lead` as MessageKey)}</p>
      <NeedsApi />
    </section>
  );
}
