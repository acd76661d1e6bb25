/** Short, human-readable labels for transition edges. */
import { orderedKeys } from "../json/object.ts";
import { stringifyJson } from "../json/stringify.ts";
import { isJsonObject, type JsonValue } from "../json/types.ts";

const MAX_LABEL = 60;

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const SYMBOL: Record<string, string> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
};
const TYPE_TEST = /^Is(Null|Present|Numeric|String|Boolean|Timestamp)$/;

function truncate(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function operand(value: JsonValue | undefined, isPath: boolean): string {
  if (isPath && typeof value === "string") return value;
  return value === undefined ? "?" : stringifyJson(value, 0);
}

function summarize(rule: JsonValue | undefined): string | null {
  if (!isJsonObject(rule)) return null;
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And) || Array.isArray(rule.Or)) {
    const joiner = Array.isArray(rule.And) ? " && " : " || ";
    const parts = ((rule.And ?? rule.Or) as JsonValue[]).map((sub) => `(${summarize(sub) ?? "?"})`);
    return parts.join(joiner);
  }
  if (rule.Not !== undefined) return `!(${summarize(rule.Not) ?? "?"})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  for (const key of orderedKeys(rule)) {
    const comparison = COMPARISON.exec(key);
    if (comparison) {
      return `${variable} ${SYMBOL[comparison[2] as string]} ${operand(rule[key], comparison[3] !== undefined)}`;
    }
    if (key === "StringMatches") return `${variable} matches ${operand(rule[key], false)}`;
    const test = TYPE_TEST.exec(key);
    if (test) return `${variable} is ${rule[key] === false ? "not " : ""}${(test[1] as string).toLowerCase()}`;
  }
  return null;
}

/** Label of the edge of Choice rule `index`: its condition in short, else "Rule n". */
export function choiceRuleLabel(rule: JsonValue | undefined, index: number): string {
  return truncate(summarize(rule) ?? `Rule ${index + 1}`);
}

/** Label of a Catch edge: the catcher's error names. */
export function catchLabel(catcher: JsonValue | undefined): string {
  const names = isJsonObject(catcher) && Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals : [];
  const text = names.filter((name): name is string => typeof name === "string").join(", ");
  return truncate(text === "" ? "Catch" : text);
}
