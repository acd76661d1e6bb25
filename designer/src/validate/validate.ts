/**
 * Structural validation in the browser, mirroring the server's checks with the same
 * codes and JSON-pointer locations: StartAt, missing/dangling Next, Choice and Catch
 * targets, unreachable states, duplicate names (machine-wide and duplicate JSON keys),
 * missing terminal state, unknown Type, nesting depth and basic field types. The
 * server validator remains the authority (full field matrix, expression syntax); feed
 * its answer to `mapDiagnostics` to show both the same way.
 */
import { parseJson, JsonSyntaxError, type DuplicateKey } from "../json/parse.ts";
import { isJsonObject, type JsonValue } from "../json/types.ts";
import { toGraph } from "../parse/toGraph.ts";
import { Code, type Diagnostic } from "./codes.ts";
import { checkMachine, ROOT_LOCATION } from "./machine.ts";
import { Collector } from "./values.ts";

export interface ValidateOptions {
  /** Strict ASL: unreachable states are errors instead of warnings. */
  strict?: boolean;
  /** Repeated member names found while parsing the text (see `validateText`). */
  duplicateKeys?: readonly DuplicateKey[];
}

export function validateDefinition(definition: JsonValue, options: ValidateOptions = {}): Diagnostic[] {
  const out = new Collector();
  if (!isJsonObject(definition)) {
    out.error(Code.SCHEMA_VALIDATION_FAILED, ROOT_LOCATION, "Definition must be a valid JSON object");
    return out.diagnostics;
  }
  reportDuplicateKeys(definition, options.duplicateKeys ?? [], out);
  checkMachine(definition, { out, strict: options.strict ?? false, stateNames: new Map() });
  return out.diagnostics;
}

/** Parse and validate definition text (the code pane): syntax errors become INVALID_JSON_DESCRIPTION. */
export function validateText(text: string, options: Omit<ValidateOptions, "duplicateKeys"> = {}): Diagnostic[] {
  if (text.trim() === "") {
    return [{ severity: "ERROR", code: Code.SCHEMA_VALIDATION_FAILED, message: "Definition must be a valid JSON object", location: ROOT_LOCATION }];
  }
  const duplicateKeys: DuplicateKey[] = [];
  let definition: JsonValue;
  try {
    definition = parseJson(text, { onDuplicateKey: (duplicate) => duplicateKeys.push(duplicate) });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return [{ severity: "ERROR", code: Code.INVALID_JSON_DESCRIPTION, message: `Invalid JSON: ${error.message}`, location: ROOT_LOCATION }];
  }
  return validateDefinition(definition, { ...options, duplicateKeys });
}

/** A repeated state name inside one `States` object is DUPLICATE_STATE_NAME, any other repeat DUPLICATE_FIELD. */
function reportDuplicateKeys(definition: JsonValue, duplicates: readonly DuplicateKey[], out: Collector): void {
  if (duplicates.length === 0) return;
  const statesObjects = new Set([...toGraph(definition).containers.keys()].map((id) => `${id}/States`));
  for (const { pointer, key } of duplicates) {
    if (statesObjects.has(pointer.slice(0, pointer.lastIndexOf("/")))) {
      out.error(Code.DUPLICATE_STATE_NAME, pointer, `State name '${key}' appears more than once in this 'States' object.`);
    } else {
      out.error(Code.DUPLICATE_FIELD, pointer, `Field '${key}' appears more than once in the same object; only the last value would be used.`);
    }
  }
}
