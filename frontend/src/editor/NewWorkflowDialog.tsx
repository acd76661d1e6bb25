/** "New workflow": start blank or from an example (the `sum` tutorial first). */
import { useEffect, useRef } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { BLANK, EXAMPLES } from "./examples.ts";

export function NewWorkflowDialog({ onPick, onClose }: { onPick: (text: string) => void; onClose: () => void }) {
  const t = useT();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-workflow-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.key === "Escape" && onClose()}
      >
        <header className="dialog-header">
          <h2 id="new-workflow-title">{t("new.title")}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t("common.close")}>×</button>
        </header>
        <div className="example-grid">
          <button type="button" className="example-card" ref={first} onClick={() => onPick(BLANK)}>
            <strong>{t("new.blank")}</strong>
            <span>{t("new.blankDesc")}</span>
          </button>
          {EXAMPLES.map((example) => (
            <button type="button" className="example-card" key={example.id} data-testid={`example-${example.id}`} onClick={() => onPick(example.text)}>
              <strong>{t(example.title)}</strong>
              <span>{t(example.description)}</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
