/**
 * The definition as a whole: top-level fields, every `States` object (the machine's,
 * each Parallel branch's, each Map processor's), the transition graph inside each, and
 * machine-wide unique state names. Mirrors backend/engine/validation/machine.py.
 */
import { hasOwn, orderedKeys } from "../json/object.ts";
import { joinPointer } from "../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json/types.ts";
import { Code } from "./codes.ts";
import { checkState, type StateSummary } from "./states.ts";
import { Collector, didYouMean, expectEnum, expectInt, expectString, jsonTypeName } from "./values.ts";

const MACHINE_FIELDS = ["Comment", "Version", "StartAt", "States", "TimeoutSeconds", "QueryLanguage"];
const BRANCH_FIELDS = ["Comment", "StartAt", "States"];
const PROCESSOR_FIELDS = ["Comment", "StartAt", "States", "ProcessorConfig"];
const MAX_NESTING_DEPTH = 20;
const MAX_STATE_NAME_LENGTH = 80;
const MAX_TIMEOUT_SECONDS = 99_999_999;

export const ROOT_LOCATION = "/";

export interface MachineContext {
  out: Collector;
  strict: boolean;
  /** First pointer of every state name seen so far (names are unique machine-wide). */
  stateNames: Map<string, string>;
}

function unknownFields(obj: JsonObject, allowed: string[], pointer: string, out: Collector, what: string): void {
  for (const key of orderedKeys(obj)) {
    if (!allowed.includes(key)) {
      out.error(Code.UNKNOWN_FIELD, joinPointer(pointer, key), `Field '${key}' is not supported in ${what}.${didYouMean(key, [...allowed].sort())}`);
    }
  }
}

export function checkMachine(definition: JsonObject, ctx: MachineContext): void {
  const { out } = ctx;
  unknownFields(definition, MACHINE_FIELDS, "", out, "a state machine definition");
  if (hasOwn(definition, "Comment")) expectString(definition.Comment, "/Comment", out);
  if (hasOwn(definition, "Version")) expectString(definition.Version, "/Version", out);
  if (hasOwn(definition, "TimeoutSeconds")) expectInt(definition.TimeoutSeconds, "/TimeoutSeconds", out, 1, MAX_TIMEOUT_SECONDS - 1);
  if (hasOwn(definition, "QueryLanguage")) expectEnum(definition.QueryLanguage, ["JSONPath", "JSONata"], "/QueryLanguage", out);
  checkContainer(definition, ROOT_LOCATION, "", ctx, 0);
}

/** Why a state name is invalid, or null (same rules as the server's `name_problem`). */
function nameProblem(name: string): string | null {
  const length = [...name].length;
  if (length === 0) return "it must not be empty";
  if (length > MAX_STATE_NAME_LENGTH) return `it is ${length} characters long; the maximum is ${MAX_STATE_NAME_LENGTH}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return "it contains control characters";
  return null;
}

/** One `{StartAt, States}` object; `location` names it in messages ("/" for the root), `base` prefixes its members. */
function checkContainer(container: JsonObject, location: string, base: string, ctx: MachineContext, depth: number): void {
  const { out } = ctx;
  if (depth > 0) {
    const isProcessor = base.endsWith("/ItemProcessor") || base.endsWith("/Iterator");
    unknownFields(container, isProcessor ? PROCESSOR_FIELDS : BRANCH_FIELDS, base, out, isProcessor ? "a Map processor" : "a Parallel branch");
    if (hasOwn(container, "Comment")) expectString(container.Comment, joinPointer(base, "Comment"), out);
  }
  if (depth > MAX_NESTING_DEPTH) {
    out.error(Code.TOO_DEEPLY_NESTED, location, `Parallel and Map states are nested more than ${MAX_NESTING_DEPTH} levels deep.`);
    return;
  }
  const missing = ["States", "StartAt"].filter((name) => !hasOwn(container, name));
  if (missing.length > 0) out.error(Code.SCHEMA_VALIDATION_FAILED, location, `These fields are required: [${missing.join(", ")}]`);

  const statesPointer = joinPointer(base, "States");
  let states: JsonObject = {};
  if (hasOwn(container, "States") && !isJsonObject(container.States)) {
    out.error(Code.WRONG_FIELD_TYPE, statesPointer, `'States' must be an object mapping state names to states, got ${jsonTypeName(container.States)}.`);
  } else if (isJsonObject(container.States)) {
    states = container.States;
    if (orderedKeys(states).length === 0) out.error(Code.SCHEMA_VALIDATION_FAILED, statesPointer, "'States' must contain at least one state.");
  }

  const summaries = new Map<string, StateSummary>();
  for (const name of orderedKeys(states)) {
    const pointer = joinPointer(statesPointer, name);
    const problem = nameProblem(name);
    if (problem) out.error(Code.INVALID_STATE_NAME, pointer, `Invalid state name '${name.slice(0, 100)}': ${problem}.`);
    const first = ctx.stateNames.get(name);
    if (first !== undefined && first !== pointer) {
      out.error(
        Code.DUPLICATE_STATE_NAME,
        pointer,
        `State name '${name}' is already used at ${first}; state names must be unique across the whole state machine, including Parallel branches and Map processors.`,
      );
    } else {
      ctx.stateNames.set(name, pointer);
    }
    summaries.set(name, checkState(states[name] as JsonValue, pointer, out));
  }

  const startAt = container.StartAt;
  const has = (name: string) => hasOwn(states, name);
  if (hasOwn(container, "StartAt")) {
    const pointer = joinPointer(base, "StartAt");
    if (typeof startAt !== "string") {
      out.error(Code.WRONG_FIELD_TYPE, pointer, `'StartAt' must be the name of a state, got ${jsonTypeName(startAt)}.`);
    } else if (!has(startAt)) {
      out.error(Code.MISSING_TRANSITION_TARGET, pointer, `'StartAt' names the state '${startAt}', which is not in this 'States' object.${didYouMean(startAt, orderedKeys(states))}`);
    }
  }
  for (const summary of summaries.values()) {
    for (const [target, pointer] of summary.edges) {
      if (has(target)) continue;
      const field = pointer.slice(pointer.lastIndexOf("/") + 1);
      out.error(
        Code.MISSING_TRANSITION_TARGET,
        pointer,
        `Missing '${field}' target: there is no state named '${target}' in this 'States' object (transitions cannot leave or enter a Parallel branch or Map processor).${didYouMean(target, orderedKeys(states))}`,
      );
    }
  }
  if (summaries.size > 0 && ![...summaries.values()].some((summary) => summary.terminal)) {
    out.error(Code.MISSING_END_STATE, location, "No terminal state: at least one state must have 'End': true or be a Succeed or Fail state.");
  }
  if (typeof startAt === "string" && has(startAt)) checkReachability(startAt, summaries, statesPointer, ctx);

  for (const summary of summaries.values()) {
    for (const [nested, pointer] of summary.nested) checkContainer(nested, pointer, pointer, ctx, depth + 1);
  }
}

function checkReachability(startAt: string, summaries: Map<string, StateSummary>, statesPointer: string, ctx: MachineContext): void {
  const reached = new Set([startAt]);
  const pending = [startAt];
  while (pending.length > 0) {
    for (const [target] of summaries.get(pending.pop() as string)?.edges ?? []) {
      if (summaries.has(target) && !reached.has(target)) {
        reached.add(target);
        pending.push(target);
      }
    }
  }
  for (const name of summaries.keys()) {
    if (reached.has(name)) continue;
    const message = `State '${name}' is not reachable: no StartAt, Next, Default or Catch leads to it.`;
    const location = joinPointer(statesPointer, name);
    if (ctx.strict) ctx.out.error(Code.UNREACHABLE_STATE, location, message);
    else ctx.out.warning(Code.UNREACHABLE_STATE, location, message);
  }
}
