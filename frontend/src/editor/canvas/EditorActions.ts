/** What canvas pieces (edges, nodes) may ask of the editor without prop drilling. */
import { createContext, useContext } from "react";

export interface CanvasActions {
  /** A palette item was dropped on the edge's insert point. */
  dropOnEdge(edgeId: string, paletteId: string): void;
  /** A drag from the palette is under way (edges show their insert points). */
  dragging: boolean;
}

export const CanvasActionsContext = createContext<CanvasActions>({ dropOnEdge: () => {}, dragging: false });
export const useCanvasActions = (): CanvasActions => useContext(CanvasActionsContext);
