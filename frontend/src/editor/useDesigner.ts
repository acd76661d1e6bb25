/**
 * The editor's model as a React hook: the command stack (definition + user positions),
 * the graph, validation, auto-layout and the code text, plus every editing action the
 * canvas, palette, inspector, code pane and keyboard shortcuts call.
 *
 * Code <-> canvas: a canvas edit re-prints the definition into the code pane; a code
 * edit that parses replaces the definition (one undo step) and keeps the author's text
 * as typed; a code edit that does not parse is only marked, the canvas keeps the last
 * valid definition.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  COMMANDS,
  JsonSyntaxError,
  flatNodes,
  getAt,
  graphOf,
  mapDiagnostics,
  parseDefinition,
  splitStatePath,
  statePath,
  stringifyDefinition,
  validateDefinition,
  type DesignerGraph,
  type Diagnostic,
  type DiagnosticIndex,
  type EditorState,
  type JsonObject,
  type JsonValue,
  type LayoutMap,
  type NodeBox,
} from "@orchestrator/designer";
import { prepareCopies, type CopiedState } from "./clipboard.ts";
import type { ConnectKind } from "./connectKind.ts";
import { autoLayout } from "./layoutEngine.ts";
import { createEditorStack, EDITOR_COMMANDS, type EditorStack } from "./session.ts";
import type { PaletteItem } from "./stateTemplates.ts";

export interface CodeError {
  message: string;
  offset: number;
}

/** Where a palette item goes: a container (at a position, or appended), or onto an edge. */
export type DropTarget = { container: string; position?: NodeBox } | { edge: string };

export interface Designer {
  state: EditorState;
  /** Changes when another workflow is loaded (a new command stack). */
  stackId: number;
  graph: DesignerGraph;
  diagnostics: DiagnosticIndex;
  /** Effective boxes: auto-layout with the user's moves on top. */
  layout: LayoutMap;
  layoutPending: boolean;
  /** False until the first layout has arrived: the canvas shows nothing rather than unplaced nodes. */
  laidOut: boolean;
  /** A load is computing the new workflow's layout. */
  loading: boolean;
  code: string;
  codeError: CodeError | null;
  selected: string[];
  canUndo: boolean;
  canRedo: boolean;
  /** The last refused edit's reason (shown in the status bar), null when the last edit went through. */
  notice: string | null;
  load(text: string): boolean;
  setSelected(ids: string[]): void;
  applyCode(text: string): void;
  addFromPalette(item: PaletteItem, target: DropTarget): string | null;
  connect(kind: ConnectKind, source: string, targetId: string): boolean;
  disconnect(edge: string): void;
  rename(id: string, name: string): boolean;
  updateField(pointer: string, value: JsonValue | undefined): boolean;
  /** Commit positions (a drag or arrow-key move): one undo step for all of them. */
  moveNodes(moves: { id: string; position: { x: number; y: number } }[]): void;
  removeSelected(): void;
  copySelected(): number;
  paste(): number;
  duplicateSelected(): number;
  resetLayout(): void;
  undo(): void;
  redo(): void;
  /**
   * The server's diagnostics for the current definition (a refused save): shown with the
   * local ones until the definition changes.
   */
  setServerDiagnostics(list: readonly Diagnostic[]): void;
}

/** Ids that change the layout: nodes and the edges between them. */
function structureKey(graph: DesignerGraph): string {
  const nodes = flatNodes(graph).map((node) => node.id).join("\n");
  const edges = graph.edges.filter((edge) => !edge.dangling).map((edge) => `${edge.source}>${edge.target}`).join("\n");
  return `${nodes}\n--\n${edges}`;
}

function mergeLayout(auto: LayoutMap, user: LayoutMap): LayoutMap {
  const out: Record<string, NodeBox> = { ...auto };
  for (const [id, box] of Object.entries(user)) {
    const base = auto[id];
    out[id] = base ? { ...base, x: box.x, y: box.y } : box;
  }
  return out;
}

let clipboard: CopiedState[] = [];

/** From this many characters on, an opened document reaches the code pane after the canvas. */
const LARGE_TEXT = 20_000;

/** Layouts kept per structure (a 300-state layout map is ~100 kB). */
const LAYOUT_CACHE_SIZE = 12;

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

export function useDesigner(initialText: string): Designer {
  const stackRef = useRef<EditorStack | null>(null);
  if (stackRef.current === null) stackRef.current = createEditorStack(parseDefinition(initialText));
  const [state, setState] = useState<EditorState>(stackRef.current.state);
  const [code, setCode] = useState(initialText);
  const [codeError, setCodeError] = useState<CodeError | null>(null);
  const [selected, setSelectedState] = useState<string[]>([]);
  // Idempotent: the canvas reports its selection after every render of new nodes.
  const setSelected = useCallback((ids: string[]) => setSelectedState((current) => (sameIds(current, ids) ? current : ids)), []);
  const [autoBoxes, setAutoBoxes] = useState<{ key: string; layout: LayoutMap }>({ key: "", layout: {} });
  const [notice, setNotice] = useState<string | null>(null);
  const [stackId, setStackId] = useState(0);
  const [loading, setLoading] = useState(false);
  const fromCode = useRef<{ definition: JsonObject; text: string } | null>(null);
  /** The last definition printed into the code pane, and its text. */
  const printed = useRef<{ definition: JsonObject; text: string } | null>(null);
  const [, forceRender] = useState(0);

  const stack = stackRef.current;

  const subscribe = useCallback((target: EditorStack) => {
    return target.on(({ state: next }) => {
      setState(next);
      const typed = fromCode.current;
      if (typed !== null && typed.definition === next.definition) {
        setCode(typed.text);
      } else {
        // A move changes positions only: the definition (and so its text) is the same object.
        const last = printed.current;
        const text = last !== null && last.definition === next.definition ? last.text : stringifyDefinition(next.definition);
        printed.current = { definition: next.definition, text };
        setCode(text);
        setCodeError(null);
      }
      fromCode.current = null;
      forceRender((n) => n + 1);
    });
  }, []);

  useEffect(() => subscribe(stack), [stack, subscribe]);

  const graph = useMemo(() => graphOf(state.definition), [state.definition]);
  const [server, setServer] = useState<{ definition: JsonObject; list: readonly Diagnostic[] } | null>(null);
  const diagnostics = useMemo(() => {
    const local = validateDefinition(state.definition);
    if (server === null || server.definition !== state.definition) return mapDiagnostics(graph, local);
    // The same problem found by both is shown once.
    const seen = new Set(local.map((d) => `${d.code}|${d.location}`));
    return mapDiagnostics(graph, [...local, ...server.list.filter((d) => !seen.has(`${d.code}|${d.location}`))]);
  }, [graph, state.definition, server]);
  const setServerDiagnostics = useCallback(
    (list: readonly Diagnostic[]) => setServer({ definition: stackRef.current?.state.definition as JsonObject, list }),
    [],
  );
  const key = useMemo(() => structureKey(graph), [graph]);

  // The structure last laid out (a load lays out before it switches; no second run then).
  const laidOutKey = useRef("");
  laidOutKey.current = autoBoxes.key;

  // Recent layouts by structure: undo and redo of a structural edit need no new ELK run.
  const layoutCache = useRef(new Map<string, LayoutMap>());
  const remember = useCallback((structure: string, boxes: LayoutMap) => {
    const cache = layoutCache.current;
    cache.delete(structure);
    cache.set(structure, boxes);
    if (cache.size > LAYOUT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }, []);

  useEffect(() => {
    if (laidOutKey.current === key) return;
    const cached = layoutCache.current.get(key);
    if (cached !== undefined) {
      setAutoBoxes({ key, layout: cached });
      return;
    }
    let current = true;
    autoLayout(graph)
      .then((layout) => {
        remember(key, layout);
        if (current) setAutoBoxes({ key, layout });
      })
      .catch((error: unknown) => current && setNotice(String(error)));
    return () => {
      current = false;
    };
    // The layout depends on the structure only: field edits do not move anything.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const layout = useMemo(() => mergeLayout(autoBoxes.layout, state.layout), [autoBoxes.layout, state.layout]);

  /** Run a command; a refusal becomes the notice instead of an exception. */
  const run = useCallback(
    (command: string, context: unknown): boolean => {
      const verdict = stack.canExecute(command, context);
      if (verdict !== true) {
        setNotice(verdict);
        return false;
      }
      try {
        stack.execute(command, context);
      } catch (error) {
        setNotice(error instanceof Error ? error.message : String(error));
        return false;
      }
      setNotice(null);
      return true;
    },
    [stack],
  );

  const takenNames = useCallback(() => new Set([...graphOf(stack.state.definition).states.values()].map((node) => node.name)), [stack]);

  /**
   * Open another definition. The layout is computed before the switch, so the canvas
   * goes from the old workflow to the new one laid out, in one render (no frame of
   * unplaced nodes on a 300-state open). Parse errors are reported at once.
   */
  const loadCount = useRef(0);
  const load = useCallback(
    (text: string): boolean => {
      let definition: JsonObject;
      try {
        definition = parseDefinition(text);
      } catch (error) {
        setNotice(error instanceof Error ? error.message : String(error));
        return false;
      }
      const ticket = ++loadCount.current;
      const graphToOpen = graphOf(definition);
      setLoading(true);
      const open = (boxes: LayoutMap | null): void => {
        if (ticket !== loadCount.current) return; // a later load won
        const next = createEditorStack(definition);
        stackRef.current = next;
        if (boxes !== null) {
          remember(structureKey(graphToOpen), boxes);
          setAutoBoxes({ key: structureKey(graphToOpen), layout: boxes });
        }
        setState(next.state);
        const opened = next.state;
        const showText = (): void => {
          // Unless something else was opened or edited meanwhile (its text is shown then).
          if (stackRef.current === next && next.state === opened) setCode(text);
        };
        // A large document follows once the canvas is painted: CodeMirror re-parsing and
        // measuring it in the same frame would delay the canvas.
        if (text.length > LARGE_TEXT && typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(showText, 0));
        else setCode(text);
        setCodeError(null);
        setSelected([]);
        setNotice(null);
        setLoading(false);
        setStackId((n) => n + 1);
      };
      autoLayout(graphToOpen).then(open, () => open(null));
      return true;
    },
    [remember, setSelected],
  );

  const applyCode = useCallback(
    (text: string) => {
      let definition: JsonObject;
      try {
        definition = parseDefinition(text);
      } catch (error) {
        const offset = error instanceof JsonSyntaxError ? error.offset : 0;
        setCodeError({ message: error instanceof Error ? error.message : String(error), offset });
        return;
      }
      setCodeError(null);
      if (stringifyDefinition(definition) === stringifyDefinition(stack.state.definition)) {
        setCode(text); // same definition, other formatting: the pane keeps the author's text
        return;
      }
      fromCode.current = { definition, text };
      if (!run(COMMANDS.replaceDefinition, { definition })) fromCode.current = null;
    },
    [run, stack],
  );

  const addFromPalette = useCallback(
    (item: PaletteItem, target: DropTarget): string | null => {
      // Through the paste renaming: a Parallel's or Map's nested states get free names too.
      const [fresh] = prepareCopies([{ name: item.baseName, state: item.template() }], takenNames());
      const { name, state: value } = fresh as CopiedState;
      if ("edge" in target) {
        if (!run(EDITOR_COMMANDS.insertOnEdge, { edge: target.edge, name, state: value })) return null;
        const edge = graphOf(stack.state.definition).edges.find((e) => e.id === target.edge);
        const id = statePath(edge?.parent ?? "", name);
        setSelected([id]);
        return id;
      }
      const ok = run(EDITOR_COMMANDS.addStates, {
        container: target.container,
        states: [{ name, state: value, ...(target.position ? { position: target.position } : {}) }],
      });
      if (!ok) return null;
      const id = statePath(target.container, name);
      setSelected([id]);
      return id;
    },
    [run, stack, takenNames],
  );

  const connect = useCallback(
    (kind: ConnectKind, source: string, targetId: string): boolean => {
      const target = splitStatePath(targetId).name;
      if (kind === "choice") {
        const rule = { Variable: "$.value", StringEquals: "" };
        return run(COMMANDS.connect, { kind, source, target, rule });
      }
      return run(COMMANDS.connect, { kind, source, target });
    },
    [run],
  );

  const disconnect = useCallback((edge: string) => void run(COMMANDS.disconnect, { edge, end: true }), [run]);

  const rename = useCallback(
    (id: string, name: string): boolean => {
      if (splitStatePath(id).name === name) return true;
      const ok = run(COMMANDS.renameState, { id, name });
      if (ok) setSelected([statePath(splitStatePath(id).container, name)]);
      return ok;
    },
    [run],
  );

  const updateField = useCallback(
    (pointer: string, value: JsonValue | undefined): boolean => {
      const current = getAt(stack.state.definition, pointer);
      if (value === undefined) return current === undefined ? true : run(COMMANDS.updateField, { pointer, remove: true });
      if (current !== undefined && stringifyDefinition(current) === stringifyDefinition(value)) return true;
      return run(COMMANDS.updateField, { pointer, value });
    },
    [run, stack],
  );

  const moveNodes = useCallback(
    (moves: { id: string; position: { x: number; y: number } }[]) =>
      void run(EDITOR_COMMANDS.moveNodes, { moves: moves.map(({ id, position }) => ({ id, box: { x: position.x, y: position.y } })) }),
    [run],
  );

  const selectedStates = useCallback(
    () => selected.filter((id) => graphOf(stack.state.definition).states.has(id)),
    [selected, stack],
  );

  /** Delete: the selected states (incoming transitions rewired), else the selected transition. */
  const removeSelected = useCallback(() => {
    const ids = selectedStates();
    if (ids.length > 0) {
      if (run(EDITOR_COMMANDS.removeStates, { ids })) setSelected([]);
      return;
    }
    const edges = new Set(graphOf(stack.state.definition).edges.map((edge) => edge.id));
    const edge = selected.find((id) => edges.has(id));
    if (edge !== undefined && run(COMMANDS.disconnect, { edge, end: true })) setSelected([]);
  }, [run, selected, selectedStates, stack]);

  const copySelected = useCallback((): number => {
    const ids = selectedStates();
    if (ids.length === 0) return 0;
    clipboard = ids.map((id) => ({ name: splitStatePath(id).name, state: getAt(stack.state.definition, id) as JsonObject }));
    void globalThis.navigator?.clipboard
      ?.writeText(stringifyDefinition(Object.fromEntries(clipboard.map((c) => [c.name, c.state]))))
      .catch(() => undefined);
    return clipboard.length;
  }, [selectedStates, stack]);

  const pasteInto = useCallback(
    (copies: readonly CopiedState[]): number => {
      if (copies.length === 0) return 0;
      const first = selectedStates()[0];
      const container = first === undefined ? "" : splitStatePath(first).container;
      const ready = prepareCopies(copies, takenNames());
      const origin = first === undefined ? undefined : layout[first];
      const states = ready.map((copy, index) => ({
        ...copy,
        ...(origin && container === "" ? { position: { x: origin.x + 40 + index * 24, y: origin.y + 40 + index * 24 } } : {}),
      }));
      if (!run(EDITOR_COMMANDS.addStates, { container, states })) return 0;
      setSelected(ready.map((copy) => statePath(container, copy.name)));
      return ready.length;
    },
    [layout, run, selectedStates, takenNames],
  );

  const paste = useCallback(() => pasteInto(clipboard), [pasteInto]);

  const duplicateSelected = useCallback(
    () => pasteInto(selectedStates().map((id) => ({ name: splitStatePath(id).name, state: getAt(stack.state.definition, id) as JsonObject }))),
    [pasteInto, selectedStates, stack],
  );

  const resetLayout = useCallback(() => {
    if (Object.keys(stack.state.layout).length > 0) run(COMMANDS.applyLayout, { layout: {} });
  }, [run, stack]);

  const undo = useCallback(() => void stack.undo(), [stack]);
  const redo = useCallback(() => void stack.redo(), [stack]);

  return {
    state,
    stackId,
    graph,
    diagnostics,
    layout,
    layoutPending: autoBoxes.key !== key,
    laidOut: autoBoxes.key !== "",
    loading,
    code,
    codeError,
    selected,
    canUndo: stack.canUndo(),
    canRedo: stack.canRedo(),
    notice,
    load,
    setSelected,
    applyCode,
    addFromPalette,
    connect,
    disconnect,
    rename,
    updateField,
    moveNodes,
    removeSelected,
    copySelected,
    paste,
    duplicateSelected,
    resetLayout,
    undo,
    redo,
    setServerDiagnostics,
  };
}

