/**
 * Copy and paste of states. Pasted states get fresh names (names are unique across the
 * whole machine, nested ones included); transitions between pasted states follow the
 * renames, transitions to states outside the copy are kept as written.
 */
import { isJsonObject, orderedKeys, renameEntry, withEntry, type JsonObject, type JsonValue } from "@orchestrator/designer";
import { uniqueName } from "./names.ts";

export interface CopiedState {
  name: string;
  state: JsonObject;
}

type Renames = Map<string, string>;

const renamed = (value: JsonValue | undefined, renames: Renames): JsonValue | undefined =>
  typeof value === "string" ? (renames.get(value) ?? value) : value;

/** Next, Default, Choices[*].Next and Catch[*].Next of one state, renamed. */
function retarget(state: JsonObject, renames: Renames): JsonObject {
  let out = state;
  for (const field of ["Next", "Default"]) {
    if (typeof out[field] === "string") out = withEntry(out, field, renamed(out[field], renames) as JsonValue);
  }
  for (const field of ["Choices", "Catch"]) {
    const list = out[field];
    if (!Array.isArray(list)) continue;
    out = withEntry(out, field, list.map((entry) =>
      isJsonObject(entry) && typeof entry.Next === "string" ? withEntry(entry, "Next", renamed(entry.Next, renames) as JsonValue) : entry,
    ));
  }
  return out;
}

/** A nested `{StartAt, States}` scope with every state renamed to a free name. */
function renameScope(scope: JsonValue, taken: Set<string>): JsonValue {
  if (!isJsonObject(scope) || !isJsonObject(scope.States)) return scope;
  const renames: Renames = new Map();
  for (const name of orderedKeys(scope.States)) {
    const fresh = uniqueName(name, taken);
    taken.add(fresh);
    renames.set(name, fresh);
  }
  let states = scope.States;
  for (const name of orderedKeys(scope.States)) {
    const state = states[name];
    const next = isJsonObject(state) ? retarget(renameNested(state, taken), renames) : (state as JsonValue);
    states = renameEntry(withEntry(states, name, next), name, renames.get(name) as string);
  }
  let out = withEntry(scope, "States", states);
  if (typeof out.StartAt === "string") out = withEntry(out, "StartAt", renamed(out.StartAt, renames) as JsonValue);
  return out;
}

function renameNested(state: JsonObject, taken: Set<string>): JsonObject {
  let out = state;
  if (Array.isArray(out.Branches)) out = withEntry(out, "Branches", out.Branches.map((branch) => renameScope(branch, taken)));
  for (const field of ["ItemProcessor", "Iterator"]) {
    if (isJsonObject(out[field])) out = withEntry(out, field, renameScope(out[field] as JsonValue, taken));
  }
  return out;
}

/** The copied states ready to add: fresh names, internal transitions following them. */
export function prepareCopies(copies: readonly CopiedState[], taken: ReadonlySet<string>): CopiedState[] {
  const names = new Set(taken);
  const renames: Renames = new Map();
  for (const { name } of copies) {
    const fresh = uniqueName(name, names);
    names.add(fresh);
    renames.set(name, fresh);
  }
  return copies.map(({ name, state }) => ({
    name: renames.get(name) as string,
    state: retarget(renameNested(state, names), renames),
  }));
}
