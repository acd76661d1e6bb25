/** Definition text -> lossless JSON value (see json/parse.ts). */
import { parseJson, type ParseJsonOptions } from "../json/parse.ts";
import { isJsonObject, type JsonObject } from "../json/types.ts";
import { NotADefinitionError } from "./toGraph.ts";

export function parseDefinition(text: string, options: ParseJsonOptions = {}): JsonObject {
  const value = parseJson(text, options);
  if (!isJsonObject(value)) throw new NotADefinitionError();
  return value;
}
