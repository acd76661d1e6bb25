/**
 * The workflow's graph in the execution view: the editor's node and edge components,
 * read-only, each state coloured by how it ran (`data-status` on the node). Node objects
 * are rebuilt only for states whose status changed, so a busy execution re-renders little.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow } from "@xyflow/react";
import { graphOf, mapDiagnostics, type JsonObject, type LayoutMap } from "@orchestrator/designer";
import { useT } from "../i18n/I18nProvider.tsx";
import { autoLayout } from "../editor/layoutEngine.ts";
import { NODE_TYPES } from "../editor/canvas/nodes.tsx";
import { toFlowEdges, toFlowNodes, type FlowEdge, type FlowNode, type StateNodeData } from "../editor/canvas/toFlow.ts";
import { EDGE_TYPES } from "../editor/canvas/TransitionEdge.tsx";
import type { NodeStatus } from "./derive.ts";

export interface ExecutionGraphProps {
  definition: JsonObject;
  statuses: ReadonlyMap<string, NodeStatus>;
  selected: string | null;
  onSelect(stateId: string | null): void;
  dark: boolean;
  /** A node id to bring into view (a picked Parallel branch). */
  focus?: string | null;
}

const NO_SELECTION = new Set<string>();

export function ExecutionGraph({ definition, statuses, selected, onSelect, dark, focus }: ExecutionGraphProps) {
  const t = useT();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const graph = useMemo(() => graphOf(definition), [definition]);
  const [layout, setLayout] = useState<LayoutMap | null>(null);
  useEffect(() => {
    let current = true;
    setLayout(null);
    autoLayout(graph).then(
      (boxes) => current && setLayout(boxes),
      () => current && setLayout({}),
    );
    return () => {
      current = false;
    };
  }, [graph]);

  const base = useMemo(
    () => (layout === null ? [] : toFlowNodes(graph, layout, mapDiagnostics(graph, []), NO_SELECTION)),
    [graph, layout],
  );
  const edges = useMemo(
    () => toFlowEdges(graph, mapDiagnostics(graph, []), NO_SELECTION).map((edge) => ({ ...edge, selectable: false, deletable: false })),
    [graph],
  );

  // Per node: the last object made, reused while its status and selection stay the same.
  const made = useRef(new Map<string, FlowNode>());
  const nodes = useMemo(() => {
    const cache = made.current;
    const next = base.map((node): FlowNode => {
      if (node.type !== "state" && node.type !== "compound") return node;
      const data = node.data as StateNodeData;
      const status = statuses.get(data.node.name) ?? "notRun";
      const isSelected = node.id === selected;
      const previous = cache.get(node.id);
      if (previous !== undefined && (previous.data as StateNodeData).node === data.node && (previous.data as StateNodeData).status === status && previous.selected === isSelected) {
        return previous;
      }
      const fresh = { ...node, selected: isSelected, data: { ...data, status } } as FlowNode;
      cache.set(node.id, fresh);
      return fresh;
    });
    return next;
  }, [base, statuses, selected]);

  const fitted = useRef<unknown>(null);
  useEffect(() => {
    if (layout === null || fitted.current === layout) return;
    fitted.current = layout;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
  }, [flow, layout]);

  useEffect(() => {
    if (!focus) return;
    void flow.fitView({ nodes: [{ id: focus }], padding: 0.3, maxZoom: 1.2, duration: 200 });
  }, [flow, focus]);

  return (
    <div className="canvas execution-canvas" role="region" aria-label={t("exec.graph")} data-layout={layout === null ? "pending" : "ready"}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        elementsSelectable
        onNodeClick={(_, node) => onSelect(node.type === "state" || node.type === "compound" ? node.id : null)}
        onNodesChange={(changes) => {
          // Keyboard selection (Tab to a node, Enter) arrives as a select change.
          const picked = changes.find((change) => change.type === "select" && change.selected);
          if (picked !== undefined && "id" in picked && graph.states.has(picked.id)) onSelect(picked.id);
        }}
        onPaneClick={() => onSelect(null)}
        defaultEdgeOptions={{ markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } }}
        deleteKeyCode={null}
        onlyRenderVisibleElements={nodes.length > 150}
        colorMode={dark ? "dark" : "light"}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <MiniMap pannable zoomable nodeClassName={(node) => `minimap-${node.type ?? ""} minimap-status-${(node.data as Partial<StateNodeData>).status ?? ""}`} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
