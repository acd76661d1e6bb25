/**
 * Auto-layout for the canvas: the designer's elkjs layout with the canvas's node sizes.
 * In the browser build ELK runs in a Web Worker (elkInWorker.ts replaces the bundled
 * ELK there), so laying out never blocks the page.
 */
import { layout, type DesignerGraph, type LayoutMap } from "@orchestrator/designer";

export const STATE_WIDTH = 200;
export const STATE_HEIGHT = 56;
export const MARKER_SIZE = 28;

export function autoLayout(graph: DesignerGraph): Promise<LayoutMap> {
  return layout(graph, {
    stateSize: () => ({ width: STATE_WIDTH, height: STATE_HEIGHT }),
    markerSize: { width: MARKER_SIZE, height: MARKER_SIZE },
    elkOptions: {
      "elk.layered.spacing.nodeNodeBetweenLayers": "56",
      "elk.spacing.nodeNode": "40",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
  });
}
