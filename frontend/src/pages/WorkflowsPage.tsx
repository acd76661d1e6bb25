/** Workflows: the saved list needs the API; starting a new one (blank or from an example) works now. */
import { useT } from "../i18n/I18nProvider.tsx";
import { href } from "../app/router.ts";
import { EXAMPLES } from "../editor/examples.ts";
import { NeedsApi } from "./ApiPage.tsx";

export function WorkflowsPage() {
  const t = useT();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.workflows")}</h1>
      <p className="page-lead">{t("page.workflows.lead")}</p>
      <NeedsApi />
      <h2>{t("page.workflows.start")}</h2>
      <div className="example-grid">
        <a className="example-card" href={href("editor")}>
          <strong>{t("new.blankOrSum")}</strong>
          <span>{t("new.blankOrSumDesc")}</span>
        </a>
        {EXAMPLES.map((example) => (
          <a className="example-card" key={example.id} href={href("editor", "example", example.id)}>
            <strong>{t(example.title)}</strong>
            <span>{t(example.description)}</span>
          </a>
        ))}
      </div>
    </section>
  );
}
