/** Where the shared reference material lives: $SHARED_DIR, default <repo>/../shared. */
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHARED_DIR = process.env.SHARED_DIR ?? resolve(REPO_ROOT, "..", "shared");
export const CASES_DIR = join(SHARED_DIR, "conformance", "cases");

export function conformanceCaseFiles(): string[] {
  return readdirSync(CASES_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(CASES_DIR, name));
}
