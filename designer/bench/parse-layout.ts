/**
 * npm run -s bench --workspace designer [-- STATES [RUNS]]
 *
 * Times the designer's hot paths on a generated definition with nested Parallel and Map
 * (default 300 states, 7 runs after one warm-up; median and min in ms). A benchmark,
 * never a test: nothing here asserts a time.
 */
import { performance } from "node:perf_hooks";
import { layout } from "../src/layout/elk.ts";
import { parseDefinition } from "../src/parse/parseDefinition.ts";
import { toGraph } from "../src/parse/toGraph.ts";
import { stringifyDefinition, toDefinition } from "../src/serialize/toDefinition.ts";
import { validateDefinition } from "../src/validate/validate.ts";
import { generateDefinition } from "./generate.ts";

const count = Number(process.argv[2] ?? 300);
const runs = Number(process.argv[3] ?? 7);
const text = JSON.stringify(generateDefinition(count), null, 2);

async function time(run: () => unknown): Promise<number[]> {
  await run(); // warm-up (JIT, ELK's GWT bootstrap)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

const graph = toGraph(parseDefinition(text));
const rows: [string, () => unknown][] = [
  ["parse (text -> graph)", () => toGraph(parseDefinition(text))],
  ["serialize (graph -> text)", () => stringifyDefinition(toDefinition(graph))],
  ["validate", () => validateDefinition(parseDefinition(text))],
  ["layout (elkjs)", () => layout(graph)],
  ["parse + layout", async () => layout(toGraph(parseDefinition(text)))],
];

console.log(`designer bench: ${graph.states.size} states, ${graph.containers.size - 1} nested containers, ${graph.edges.length} edges, ${text.length} chars; ${runs} runs`);
for (const [name, run] of rows) {
  const samples = await time(run);
  const median = samples[Math.floor(samples.length / 2)] as number;
  console.log(`${name.padEnd(28)} median ${median.toFixed(1).padStart(8)} ms   min ${(samples[0] as number).toFixed(1).padStart(8)} ms`);
}
