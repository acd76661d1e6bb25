/**
 * The palette: the eight state types and the Task presets. Drag an item onto the canvas
 * (or onto a transition's insert point); or focus it and press Enter / click it to add it
 * after the selected state (keyboard users never need to drag).
 */
import { useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { TypeIcon } from "./TypeIcon.tsx";
import { PALETTE_MIME, STATE_ITEMS, TASK_PRESETS, type PaletteItem } from "./stateTemplates.ts";

export interface PaletteProps {
  onAdd: (item: PaletteItem) => void;
  onDragChange: (dragging: boolean) => void;
}

export function Palette({ onAdd, onDragChange }: PaletteProps) {
  const t = useT();
  const [query, setQuery] = useState("");
  const matches = (item: PaletteItem): boolean => {
    const q = query.trim().toLowerCase();
    return q === "" || [t(item.label), t(item.description), item.type].some((text) => text.toLowerCase().includes(q));
  };

  const group = (title: string, items: PaletteItem[]) => {
    const shown = items.filter(matches);
    if (shown.length === 0) return null;
    return (
      <section className="palette-group" aria-label={title}>
        <h3>{title}</h3>
        <ul>
          {shown.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className="palette-item"
                draggable
                data-testid={`palette-${item.id}`}
                title={t(item.description)}
                aria-label={t("palette.add", { item: t(item.label) })}
                onDragStart={(event) => {
                  event.dataTransfer.setData(PALETTE_MIME, item.id);
                  event.dataTransfer.effectAllowed = "copy";
                  onDragChange(true);
                }}
                onDragEnd={() => onDragChange(false)}
                onClick={() => onAdd(item)}
              >
                <TypeIcon type={item.type} />
                <span className="palette-text">
                  <span className="palette-label">{t(item.label)}</span>
                  <span className="palette-desc">{t(item.description)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    );
  };

  return (
    <nav className="palette" aria-label={t("palette.title")}>
      <input
        type="search"
        className="palette-search"
        placeholder={t("palette.search")}
        aria-label={t("palette.search")}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {group(t("palette.flow"), STATE_ITEMS)}
      {group(t("palette.tasks"), TASK_PRESETS)}
      <p className="palette-hint">{t("palette.hint")}</p>
    </nav>
  );
}
