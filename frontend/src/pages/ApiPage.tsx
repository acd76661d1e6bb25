/**
 * The routed data pages (everything but the editor and the workflows list), each its own
 * component under `pages/`. `NeedsApi` stays for pages still waiting on a server part.
 */
import { useT } from "../i18n/I18nProvider.tsx";
import type { RouteId } from "../app/router.ts";
import { AlertsPage } from "./AlertsPage.tsx";
import { AuditPage } from "./AuditPage.tsx";
import { ConnectionsPage } from "./ConnectionsPage.tsx";
import { DashboardPage } from "./DashboardPage.tsx";
import { EndpointsPage } from "./EndpointsPage.tsx";
import { ExecutionsPage } from "./ExecutionsPage.tsx";
import { FunctionsPage } from "./FunctionsPage.tsx";
import { RolesPage } from "./RolesPage.tsx";
import { SchedulesPage } from "./SchedulesPage.tsx";

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

export function ApiPage({ page, dark = false }: { page: DataPageId; rest?: string[]; dark?: boolean }) {
  switch (page) {
    case "executions":
      return <ExecutionsPage />;
    case "functions":
      return <FunctionsPage dark={dark} />;
    case "roles":
      return <RolesPage />;
    case "endpoints":
      return <EndpointsPage />;
    case "dashboard":
      return <DashboardPage />;
    case "schedules":
      return <SchedulesPage />;
    case "connections":
      return <ConnectionsPage />;
    case "alerts":
      return <AlertsPage />;
    case "audit":
      return <AuditPage />;
  }
}
