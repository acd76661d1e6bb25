/**
 * A transition on the canvas: an orthogonal path styled by kind (next, choice rule,
 * default, catch), its label, and an insert point at its middle where a palette item
 * can be dropped to put a new state on this transition.
 */
import { useState, type DragEvent } from "react";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { useT } from "../../i18n/I18nProvider.tsx";
import { PALETTE_MIME } from "../stateTemplates.ts";
import { useCanvasActions } from "./EditorActions.ts";
import type { FlowEdge } from "./toFlow.ts";

export function TransitionEdge(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const t = useT();
  const { dropOnEdge, dragging } = useCanvasActions();
  const [over, setOver] = useState(false);
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10, offset: 18 });
  const kind = data?.kind ?? "next";
  const invalid = (data?.problems.length ?? 0) > 0;

  const onDrop = (event: DragEvent): void => {
    const item = event.dataTransfer.getData(PALETTE_MIME);
    setOver(false);
    if (!item) return;
    event.preventDefault();
    event.stopPropagation();
    dropOnEdge(id, item);
  };

  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`edge-${kind}${selected ? " selected" : ""}${invalid ? " invalid" : ""}`} interactionWidth={16} />
      <EdgeLabelRenderer>
        {data?.label && kind !== "next" && (
          // Rule labels sit just above their target, so rules leaving one Choice never overlap;
          // Catch and Default leave from a handle of their own, so their label sits beside it.
          <div
            className="edge-label-wrap nodrag nopan"
            style={{
              transform:
                kind === "catch" || kind === "default"
                  ? `translate(0, -100%) translate(${sourceX + 6}px, ${sourceY - 4}px)`
                  : `translate(-50%, -100%) translate(${targetX}px, ${targetY - 8}px)`,
            }}
          >
            <span className={`edge-label edge-label-${kind}`} title={data.label}>{data.label}</span>
          </div>
        )}
        {/* Insert points exist only while a palette item is dragged: a large workflow renders no idle ones. */}
        {dragging && (
          <div className="edge-label-wrap nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            <div
              className={`edge-drop visible${over ? " over" : ""}`}
              data-testid={`drop-${id}`}
              aria-label={t("canvas.insertHere")}
              title={t("canvas.insertHere")}
              onDragOver={(event) => {
                if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
                event.preventDefault();
                event.stopPropagation();
                event.dataTransfer.dropEffect = "copy";
                setOver(true);
              }}
              onDragLeave={() => setOver(false)}
              onDrop={onDrop}
            >
              +
            </div>
          </div>
        )}
      </EdgeLabelRenderer>
    </>
  );
}

export const EDGE_TYPES = { transition: TransitionEdge };
