/**
 * The routed data pages (everything but the editor and the workflows list): each is its
 * own component under `pages/`; `NeedsApi` stays for pages still waiting on a server part.
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

export type DataPageId = Exclude<RouteId, "editor" | "workflows">;

export function ApiPage({ page }: { page: DataPageId; rest?: string[]; dark?: boolean }) {
  const t = useT();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t(`nav.${page}` as MessageKey)}</h1>
      <p className="page-lead">{t(`page.${page}.lead` as MessageKey)}</p>
      <NeedsApi />
    </section>
  );
}
