/** The application shell: navigation, language and theme switches, and the routed page. */
import { parseDefinition } from "@orchestrator/designer";
import { useI18n } from "../i18n/I18nProvider.tsx";
import { LOCALES, LOCALE_NAMES, type Locale, type MessageKey } from "../i18n/messages.ts";
import { EditorPage } from "../editor/EditorPage.tsx";
import { readDraft, writeDraft } from "../editor/draft.ts";
import { EXAMPLES } from "../editor/examples.ts";
import { ApiPage } from "../pages/ApiPage.tsx";
import { AuthGate, AuthProvider, UserMenu } from "../auth/AuthProvider.tsx";
import { ExecutionPage } from "../execution/ExecutionPage.tsx";
import { WorkflowsPage } from "../pages/WorkflowsPage.tsx";
import { href, useRoute, type RouteId } from "./router.ts";
import { useTheme } from "./theme.ts";

/** An example named in the URL, else the draft kept from the last visit, else the editor's default. */
function editorText(example: string | undefined): { initialText?: string } {
  if (example !== undefined) return { initialText: example };
  const draft = readDraft();
  if (draft === null) return {};
  try {
    parseDefinition(draft);
  } catch {
    return {}; // a draft that no longer parses is not worth a broken page
  }
  return { initialText: draft };
}

const NAV: RouteId[] = [
  "workflows", "editor", "executions", "functions", "roles", "endpoints", "dashboard",
  "schedules", "connections", "alerts", "audit",
];

/** `#/editor/<id>`, `#/executions/<id>`: a saved object's id in the route, else undefined. */
const idIn = (rest: string[]): number | undefined => (rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) : undefined);

export function App() {
  return (
    <AuthProvider>
      <Shell />
    </AuthProvider>
  );
}

function Shell() {
  const { t, locale, setLocale } = useI18n();
  const route = useRoute();
  const [theme, toggleTheme] = useTheme();
  const example = route.id === "editor" && route.rest[0] === "example" ? EXAMPLES.find((e) => e.id === route.rest[1]) : undefined;
  const workflowId = route.id === "editor" ? idIn(route.rest) : undefined;
  const executionId = route.id === "executions" ? idIn(route.rest) : undefined;

  return (
    <div className="app">
      <a className="skip-link" href="#main">{t("app.skip")}</a>
      <header className="app-header">
        <a className="brand" href={href("workflows")}>
          <span className="brand-mark" aria-hidden="true">◆</span>
          {t("app.name")}
        </a>
        <nav className="app-nav" aria-label={t("app.nav")}>
          {NAV.map((id) => (
            <a key={id} href={href(id)} aria-current={route.id === id ? "page" : undefined}>
              {t(`nav.${id}` as MessageKey)}
            </a>
          ))}
        </nav>
        <div className="app-switches">
          <label className="sr-only" htmlFor="locale-select">{t("app.language")}</label>
          <select id="locale-select" data-testid="language-switch" value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
            {LOCALES.map((code) => (
              <option key={code} value={code}>{LOCALE_NAMES[code]}</option>
            ))}
          </select>
          <button type="button" onClick={toggleTheme} aria-pressed={theme === "dark"} title={t("app.theme")}>
            {theme === "dark" ? `☀ ${t("app.light")}` : `☾ ${t("app.dark")}`}
          </button>
          <UserMenu />
        </div>
      </header>
      <main id="main" className="app-main">
        <AuthGate>
        {route.id === "editor" && workflowId !== undefined ? (
          <EditorPage key={`workflow-${workflowId}`} workflowId={workflowId} dark={theme === "dark"} />
        ) : route.id === "editor" ? (
          <EditorPage key={example?.id ?? "editor"} dark={theme === "dark"} onTextChange={writeDraft} {...editorText(example?.text)} />
        ) : executionId !== undefined ? (
          <ExecutionPage key={executionId} executionId={executionId} dark={theme === "dark"} />
        ) : route.id === "workflows" ? (
          <WorkflowsPage />
        ) : (
          <ApiPage page={route.id} rest={route.rest} dark={theme === "dark"} />
        )}
        </AuthGate>
      </main>
    </div>
  );
}
