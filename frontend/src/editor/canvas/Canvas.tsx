/**
 * The canvas: xyflow rendering of the designer graph. Drops from the palette add states
 * (into the Parallel branch / Map processor under the pointer, or at the top level
 * where dropped), handles draw transitions, dragging moves nodes (one undo step per
 * drag), selection feeds the inspector.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { splitStatePath, type LayoutMap, type NodeBox } from "@orchestrator/designer";
import { useT } from "../../i18n/I18nProvider.tsx";
import type { ConnectKind } from "../connectKind.ts";
import { STATE_HEIGHT, STATE_WIDTH } from "../layoutEngine.ts";
import { PALETTE_MIME, paletteItem } from "../stateTemplates.ts";
import type { Designer } from "../useDesigner.ts";
import { CanvasActionsContext } from "./EditorActions.ts";
import { NODE_TYPES } from "./nodes.tsx";
import { keepUnchanged, toFlowEdges, toFlowNodes, type FlowEdge, type FlowNode } from "./toFlow.ts";
import { EDGE_TYPES } from "./TransitionEdge.tsx";

export function connectionKind(designer: Designer, source: string, handle: string | null): { kind: ConnectKind; source: string } | null {
  if (source.endsWith("#start")) return { kind: "start", source: source.slice(0, -"#start".length) };
  const node = designer.graph.states.get(source);
  if (node === undefined) return null;
  if (handle === "catch") return { kind: "catch", source };
  if (handle === "default") return { kind: "default", source };
  return { kind: node.type === "Choice" ? "choice" : "next", source };
}

/** Below this zoom a fitted workflow is unreadable: show its start at a readable zoom instead. */
const READABLE_ZOOM = 0.45;

/** From this many nodes on, only what is in view is rendered (a drag re-renders less). */
const LARGE_GRAPH = 150;

/**
 * The first view of a workflow: all of it when that is readable, else its start at a
 * readable zoom (a fitted 300-state machine is a grey stripe, and rendering it all at
 * once is what makes opening slow).
 */
async function showStart(flow: ReturnType<typeof useReactFlow<FlowNode, FlowEdge>>, element: HTMLElement | null, size: NodeBox | undefined): Promise<void> {
  const width = element?.clientWidth ?? 0;
  const height = element?.clientHeight ?? 0;
  const fitZoom = size?.width && size.height && width && height ? Math.min(width / (size.width * 1.3), height / (size.height * 1.3)) : 1;
  const start = flow.getInternalNode("#start");
  if (fitZoom >= READABLE_ZOOM || start === undefined) {
    await flow.fitView({ padding: 0.15, maxZoom: 1.1 });
    return;
  }
  const zoom = 0.8;
  const { x, y } = start.internals.positionAbsolute;
  await flow.setCenter(x + 14, y + (height / 2 - 48) / zoom, { zoom });
}

/**
 * The first view of a large workflow (its start at a readable zoom), from the layout
 * alone: set before its nodes are handed to xyflow, so they are rendered once, already
 * where they are seen (no frame of the old view, no forced reflow). False when the
 * workflow is small enough to fit (fitView needs its nodes measured: showStart does it).
 */
function largeStartView(
  flow: ReturnType<typeof useReactFlow<FlowNode, FlowEdge>>,
  pane: { width: number; height: number },
  layout: LayoutMap,
): boolean {
  const { width, height } = pane;
  const size = layout[""];
  const start = layout["#start"];
  if (!width || !height || !size?.width || !size.height || start === undefined) return false;
  if (!Number.isFinite(start.x) || !Number.isFinite(start.y)) return false;
  if (Math.min(width / (size.width * 1.3), height / (size.height * 1.3)) >= READABLE_ZOOM) return false;
  const zoom = 0.8;
  void flow.setCenter(start.x + 14, start.y + (height / 2 - 48) / zoom, { zoom });
  return true;
}

export function Canvas({ designer, dark, paletteDragging }: { designer: Designer; dark: boolean; paletteDragging: boolean }) {
  const t = useT();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const selectedSet = useMemo(() => new Set(designer.selected), [designer.selected]);
  // Selection is applied separately: a click must not rebuild all 600 node objects of a
  // large workflow (xyflow re-renders the nodes whose object changed).
  const selectedRef = useRef(selectedSet);
  selectedRef.current = selectedSet;
  const derivedNodes = useMemo(
    () => (designer.laidOut ? toFlowNodes(designer.graph, designer.layout, designer.diagnostics, selectedRef.current) : []),
    [designer.laidOut, designer.graph, designer.layout, designer.diagnostics],
  );
  const derivedEdges = useMemo(() => toFlowEdges(designer.graph, designer.diagnostics, selectedRef.current), [designer.graph, designer.diagnostics]);
  const [nodes, setNodes] = useState<FlowNode[]>(derivedNodes);
  const [edges, setEdges] = useState<FlowEdge[]>(derivedEdges);
  const store = useStoreApi<FlowNode, FlowEdge>();
  // Fit the view once the first layout has arrived, and after "load" (see below).
  const fitted = useRef<unknown>(null);
  useEffect(() => {
    // A newly opened large workflow: its view first, then its nodes (one render of them).
    if (designer.laidOut && !designer.layoutPending && fitted.current !== designer.stackId && largeStartView(flow, store.getState(), designer.layout)) {
      fitted.current = designer.stackId;
    }
    // Nodes whose every input is unchanged keep their object: after a drag or an edit,
    // xyflow re-renders only the nodes that changed, not all of a large workflow's.
    setNodes((current) => keepUnchanged(current, derivedNodes));
    // The view is decided with the nodes it shows; the other inputs change with them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [derivedNodes]);
  useEffect(() => setEdges(derivedEdges), [derivedEdges]);
  useEffect(() => {
    const mark = <T extends { id: string; selected?: boolean }>(items: T[]): T[] => {
      let changed = false;
      const next = items.map((item) => {
        const selected = selectedSet.has(item.id);
        if ((item.selected ?? false) === selected) return item;
        changed = true;
        return { ...item, selected };
      });
      return changed ? next : items;
    };
    setNodes(mark);
    setEdges(mark);
  }, [selectedSet]);

  // Fit the view once the first layout has arrived, and after "load" (unless set above).
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (designer.layoutPending || fitted.current === designer.stackId) return;
    fitted.current = designer.stackId;
    const size = designer.layout[""];
    requestAnimationFrame(() => void showStart(flow, wrapper.current, size));
  }, [designer.layoutPending, designer.stackId, designer.layout, flow]);

  const { moveNodes } = designer;
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      // A drag's last change and each arrow-key move come with dragging: false: commit them.
      const moves = changes.flatMap((change) =>
        change.type === "position" && change.dragging === false && change.position ? [{ id: change.id, position: change.position }] : [],
      );
      if (moves.length > 0) moveNodes(moves);
    },
    [moveNodes],
  );
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => setEdges((current) => applyEdgeChanges(changes, current)), []);

  const { setSelected } = designer;
  const onSelectionChange = useCallback(
    ({ nodes: picked, edges: pickedEdges }: OnSelectionChangeParams) => setSelected([...picked.map((n) => n.id), ...pickedEdges.map((e) => e.id)]),
    [setSelected],
  );

  const isValidConnection = useCallback(
    (connection: Connection | FlowEdge) => {
      const target = designer.graph.states.get(connection.target);
      const from = connectionKind(designer, connection.source, connection.sourceHandle ?? null);
      if (target === undefined || from === null) return false;
      const container = from.kind === "start" ? from.source : splitStatePath(from.source).container;
      return target.parent === container;
    },
    [designer],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const from = connectionKind(designer, connection.source, connection.sourceHandle ?? null);
      if (from !== null) designer.connect(from.kind, from.source, connection.target);
    },
    [designer],
  );

  /** The innermost branch/processor container under a flow position, or the machine. */
  const containerAt = useCallback(
    (point: { x: number; y: number }): string => {
      let best = "";
      for (const node of flow.getNodes()) {
        if (node.type !== "container") continue;
        const internal = flow.getInternalNode(node.id);
        if (!internal) continue;
        const { x, y } = internal.internals.positionAbsolute;
        const w = internal.measured.width ?? internal.width ?? 0;
        const h = internal.measured.height ?? internal.height ?? 0;
        if (point.x >= x && point.x <= x + w && point.y >= y && point.y <= y + h && node.id.length > best.length) best = node.id;
      }
      return best;
    },
    [flow],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const item = paletteItem(event.dataTransfer.getData(PALETTE_MIME));
      if (item === undefined) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
        designer.addFromPalette(item, { container: "" }); // no usable drop point: let the layout place it
        return;
      }
      const container = containerAt(point);
      // Inside a branch the layout places the state; at the top level it stays where dropped.
      const position = container === "" ? { x: point.x - STATE_WIDTH / 2, y: point.y - STATE_HEIGHT / 2 } : undefined;
      designer.addFromPalette(item, position ? { container, position } : { container });
    },
    [containerAt, designer, flow],
  );

  const actions = useMemo(
    () => ({
      dragging: paletteDragging,
      dropOnEdge: (edge: string, id: string) => {
        const item = paletteItem(id);
        if (item) designer.addFromPalette(item, { edge });
      },
    }),
    [designer, paletteDragging],
  );

  const ariaLabels = useMemo(
    () => ({
      "node.a11yDescription.default": t("canvas.a11y.nodes"),
      "node.a11yDescription.keyboardDisabled": t("canvas.a11y.nodes"),
      "edge.a11yDescription.default": t("canvas.a11y.edges"),
      "controls.ariaLabel": t("canvas.controls"),
      "controls.zoomIn.ariaLabel": t("canvas.zoomIn"),
      "controls.zoomOut.ariaLabel": t("canvas.zoomOut"),
      "controls.fitView.ariaLabel": t("canvas.fitView"),
      "controls.interactive.ariaLabel": t("canvas.controls"),
      "minimap.ariaLabel": t("canvas.minimap"),
      "handle.ariaLabel": t("canvas.handle.in"),
    }),
    [t],
  );

  return (
    <CanvasActionsContext.Provider value={actions}>
      <div className="canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} aria-label={t("canvas.label")} role="region" data-layout={designer.layoutPending ? "pending" : "ready"}>
        <ReactFlow<FlowNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onSelectionChange={onSelectionChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          defaultEdgeOptions={{ markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } }}
          deleteKeyCode={null}
          onlyRenderVisibleElements={nodes.length > LARGE_GRAPH}
          colorMode={dark ? "dark" : "light"}
          minZoom={0.1}
          maxZoom={2}
          proOptions={{ hideAttribution: true }}
          ariaLabelConfig={ariaLabels}
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
          <MiniMap pannable zoomable nodeClassName={(node) => `minimap-${node.type ?? ""}`} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </CanvasActionsContext.Provider>
  );
}
