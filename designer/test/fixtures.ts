import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDefinition } from "../src/parse/parseDefinition.ts";
import type { JsonObject } from "../src/json/types.ts";

const here = dirname(fileURLToPath(import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(join(here, "fixtures", name), "utf8");
}

export function fixture(name: string): JsonObject {
  return parseDefinition(fixtureText(name));
}
