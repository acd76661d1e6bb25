export * from "./types.ts";
export { KEY_ORDER, orderedKeys, orderedEntries, makeObject, withEntry, withoutEntry, renameEntry, replaceEntry } from "./object.ts";
export { parseJson, JsonSyntaxError, type DuplicateKey, type ParseJsonOptions } from "./parse.ts";
export { stringifyJson } from "./stringify.ts";
export { escapeToken, unescapeToken, joinPointer, splitPointer, isWithin, getAt, updateAt, setAt, removeAt } from "./pointer.ts";
