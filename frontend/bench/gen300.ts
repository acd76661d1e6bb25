/** Prints the designer bench's 300-state definition (nested Parallel and Map) as JSON. */
import { generateDefinition } from "../../designer/bench/generate.ts";

process.stdout.write(JSON.stringify(generateDefinition(300), null, 2));
