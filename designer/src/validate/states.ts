/**
 * Per-state structural checks: Type, Next/End, transitions of Choice and Catch, the
 * nested containers of Parallel and Map, and basic field types. Mirrors
 * backend/engine/validation/states.py (same codes, locations and wording); the full
 * field matrix and expression syntax stay with the server (see `mapDiagnostics`).
 */
import { joinPointer } from "../json/pointer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json/types.ts";
import { STATE_TYPES } from "../model/types.ts";
import { Code } from "./codes.ts";
import { Collector, didYouMean, expectBool, expectInt, expectString, jsonTypeName } from "./values.ts";

const FLOW_TYPES = new Set(["Task", "Pass", "Wait", "Parallel", "Map"]);
const NO_FLOW_TYPES = new Set(["Succeed", "Fail", "Choice"]);
const MAX_TIMEOUT_SECONDS = 99_999_999;

/** What the graph checks need from one state. */
export interface StateSummary {
  /** [target name, pointer of the field naming it]. */
  edges: [string, string][];
  terminal: boolean;
  /** Nested StartAt/States containers: [object, pointer]. */
  nested: [JsonObject, string][];
}

function requiredFields(obj: JsonObject, names: string[], pointer: string, out: Collector): boolean {
  const missing = names.filter((name) => !Object.prototype.hasOwnProperty.call(obj, name));
  if (missing.length > 0) out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, `These fields are required: [${missing.join(", ")}]`);
  return missing.length === 0;
}

function isJsonata(value: string): boolean {
  return value.startsWith("{%") && value.endsWith("%}");
}

export function checkState(state: JsonValue, pointer: string, out: Collector): StateSummary {
  const summary: StateSummary = { edges: [], terminal: false, nested: [] };
  if (!isJsonObject(state)) {
    out.error(Code.WRONG_FIELD_TYPE, pointer, `A state must be a JSON object, got ${jsonTypeName(state)}.`);
    summary.terminal = true; // unknown; do not add a misleading MISSING_END_STATE
    return summary;
  }
  const at = (...tokens: (string | number)[]) => joinPointer(pointer, ...tokens);
  const has = (key: string) => Object.prototype.hasOwnProperty.call(state, key);
  const transition = (field: string, target: JsonValue | undefined, where: string): void => {
    if (typeof target !== "string") {
      out.error(Code.WRONG_FIELD_TYPE, where, `'${field}' must be the name of a state, got ${jsonTypeName(target)}.`);
    } else if (isJsonata(target)) {
      out.error(Code.INVALID_FIELD_VALUE, where, `'${field}' must be a literal state name; JSONata expressions are not evaluated here.`);
    } else {
      summary.edges.push([target, where]);
    }
  };

  const type = state.Type;
  if (!has("Type")) {
    out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, "These fields are required: [Type]");
  } else if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    const shown = typeof type === "string" ? `'${type}'` : jsonTypeName(type);
    out.error(Code.UNKNOWN_STATE_TYPE, at("Type"), `Unknown state type ${shown}; it must be one of ${STATE_TYPES.join(", ")}.${didYouMean(type, STATE_TYPES)}`);
  }
  if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    // Keep the graph checks useful: follow whatever transitions are there.
    for (const key of ["Next", "Default"]) if (typeof state[key] === "string") summary.edges.push([state[key] as string, at(key)]);
    summary.terminal = true;
    return summary;
  }

  if (has("Comment")) expectString(state.Comment, at("Comment"), out);
  if (NO_FLOW_TYPES.has(type)) {
    for (const key of ["Next", "End"]) {
      if (!has(key)) continue;
      const reason = type === "Choice" ? "a Choice state moves on through its Choices and 'Default'" : `a ${type} state ends its branch or the execution`;
      out.error(Code.FIELD_NOT_ALLOWED, at(key), `'${key}' is not allowed on a ${type} state: ${reason}.`);
    }
    summary.terminal = type === "Succeed" || type === "Fail";
  }
  if (FLOW_TYPES.has(type)) {
    const end = state.End;
    if (has("End")) expectBool(end, at("End"), out);
    if (has("Next") && end === true) {
      out.error(Code.NEXT_AND_END, pointer, "A state cannot have both 'Next' and 'End': true; keep one.");
    } else if (!has("Next") && end !== true) {
      const message = has("End")
        ? "'End' is false and there is no 'Next'; give the state a 'Next' or set 'End' to true."
        : "This state needs 'Next' (the state to go to) or 'End': true.";
      out.error(Code.MISSING_NEXT_OR_END, pointer, message);
    }
    summary.terminal = end === true;
    if (has("Next")) transition("Next", state.Next, at("Next"));
  }

  if (type === "Task") {
    if (requiredFields(state, ["Resource"], pointer, out)) expectString(state.Resource, at("Resource"), out);
    for (const key of ["TimeoutSeconds", "HeartbeatSeconds"]) {
      if (has(key) && !(typeof state[key] === "string" && isJsonata(state[key] as string))) {
        expectInt(state[key], at(key), out, 1, MAX_TIMEOUT_SECONDS);
      }
    }
  }
  if (type === "Choice") checkChoice(state, pointer, out, transition);
  if (type === "Parallel" && requiredFields(state, ["Branches"], pointer, out)) {
    const branches = state.Branches;
    if (!Array.isArray(branches)) {
      out.error(Code.WRONG_FIELD_TYPE, at("Branches"), `'Branches' must be an array, got ${jsonTypeName(branches)}.`);
    } else if (branches.length === 0) {
      out.error(Code.INVALID_FIELD_VALUE, at("Branches"), "'Branches' must not be an empty array.");
    } else {
      branches.forEach((branch, index) => nested(branch, at("Branches", index), out, summary));
    }
  }
  if (type === "Map") {
    const processors = ["ItemProcessor", "Iterator"].filter(has);
    if (processors.length === 0) out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, "These fields are required: [ItemProcessor]");
    if (processors.length === 2) {
      out.error(Code.MUTUALLY_EXCLUSIVE_FIELDS, pointer, "'ItemProcessor' and 'Iterator' cannot be used together; keep only one of them.");
    }
    for (const key of processors) nested(state[key], at(key), out, summary);
  }
  if ((type === "Task" || type === "Parallel" || type === "Map") && has("Catch")) checkCatch(state.Catch, at("Catch"), out, transition);
  return summary;
}

function nested(value: JsonValue | undefined, pointer: string, out: Collector, summary: StateSummary): void {
  if (isJsonObject(value)) summary.nested.push([value, pointer]);
  else out.error(Code.WRONG_FIELD_TYPE, pointer, `'${pointer.slice(pointer.lastIndexOf("/") + 1)}' must be a JSON object, got ${jsonTypeName(value)}.`);
}

type Transition = (field: string, target: JsonValue | undefined, where: string) => void;

function checkChoice(state: JsonObject, pointer: string, out: Collector, transition: Transition): void {
  if (requiredFields(state, ["Choices"], pointer, out)) {
    const choices = state.Choices;
    const here = joinPointer(pointer, "Choices");
    if (!Array.isArray(choices)) {
      out.error(Code.WRONG_FIELD_TYPE, here, `'Choices' must be an array of rules, got ${jsonTypeName(choices)}.`);
    } else if (choices.length === 0) {
      out.error(Code.INVALID_FIELD_VALUE, here, "'Choices' must contain at least one rule.");
    } else {
      choices.forEach((rule, index) => {
        const at = joinPointer(here, index);
        if (!isJsonObject(rule)) {
          out.error(Code.INVALID_CHOICE_RULE, at, `A Choice rule must be a JSON object, got ${jsonTypeName(rule)}.`);
        } else if (!Object.prototype.hasOwnProperty.call(rule, "Next")) {
          out.error(Code.SCHEMA_VALIDATION_FAILED, at, "These fields are required: [Next]");
        } else {
          transition("Next", rule.Next, joinPointer(at, "Next"));
        }
      });
    }
  }
  if (Object.prototype.hasOwnProperty.call(state, "Default")) transition("Default", state.Default, joinPointer(pointer, "Default"));
}

function checkCatch(catchers: JsonValue | undefined, pointer: string, out: Collector, transition: Transition): void {
  if (!Array.isArray(catchers)) {
    out.error(Code.WRONG_FIELD_TYPE, pointer, `'Catch' must be an array, got ${jsonTypeName(catchers)}.`);
    return;
  }
  catchers.forEach((catcher, index) => {
    const here = joinPointer(pointer, index);
    if (!isJsonObject(catcher)) {
      out.error(Code.WRONG_FIELD_TYPE, here, `A catcher must be a JSON object, got ${jsonTypeName(catcher)}.`);
      return;
    }
    requiredFields(catcher, ["ErrorEquals", "Next"], here, out);
    if (Object.prototype.hasOwnProperty.call(catcher, "Next")) transition("Next", catcher.Next, joinPointer(here, "Next"));
  });
}
