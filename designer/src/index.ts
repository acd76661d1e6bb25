/**
 * @orchestrator/designer — framework-free TCSL/ASL designer library.
 *
 * definition (lossless JSON) <-> graph model, editing commands with undo/redo, ELK
 * auto-layout, and structural validation located by JSON pointer. See README.md.
 */
export * from "./json/index.ts";
export * from "./model/types.ts";
export { statePath, splitStatePath, rebase, isInside } from "./model/paths.ts";
export { choiceRuleLabel, catchLabel } from "./model/labels.ts";
export { graphOf } from "./model/graphOf.ts";
export { flatNodes, type FlatNode } from "./model/flatNodes.ts";
export { stateIdsByName } from "./model/lookup.ts";
export { toGraph, NotADefinitionError, STATES_PLACEHOLDER } from "./parse/toGraph.ts";
export { parseDefinition } from "./parse/parseDefinition.ts";
export { toDefinition, stringifyDefinition } from "./serialize/toDefinition.ts";
export * from "./commands/index.ts";
export { layout, toElkGraph, type LayoutOptionsInput, type Size } from "./layout/elk.ts";
export { rebaseLayout, dropLayout, withBox } from "./layout/layoutMap.ts";
export type { LayoutMap, NodeBox } from "./layout/types.ts";
export * from "./validate/index.ts";
