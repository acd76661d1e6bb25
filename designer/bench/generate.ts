/**
 * A synthetic definition of `count` states (nested included) for the bench: repeated
 * segments Task -> Choice -> Parallel (two 2-state branches) -> Map (ItemProcessor with
 * a nested Parallel), padded with Pass states to the exact count.
 */
import type { JsonObject } from "../src/json/types.ts";

const SEGMENT_SIZE = 11;

export function generateDefinition(count: number): JsonObject {
  const segments = Math.floor(count / SEGMENT_SIZE);
  const padding = count - segments * SEGMENT_SIZE;
  const states: JsonObject = {};
  const after = (k: number) => (k + 1 < segments ? `Task ${k + 1}` : padding > 0 ? "Pad 0" : null);
  const flow = (next: string | null): JsonObject => (next === null ? { End: true } : { Next: next });

  for (let k = 0; k < segments; k++) {
    states[`Task ${k}`] = { Type: "Task", Resource: "arn:aws:states:::http:invoke", Next: `Route ${k}`, Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ["States.ALL"], Next: `Fan ${k}` }] };
    states[`Route ${k}`] = { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: k, Next: `Fan ${k}` }], Default: `Each ${k}` };
    states[`Fan ${k}`] = {
      Type: "Parallel",
      Branches: ["a", "b"].map((side): JsonObject => {
        const branchStates: JsonObject = {};
        branchStates[`B${k}${side}1`] = { Type: "Pass", Next: `B${k}${side}2` };
        branchStates[`B${k}${side}2`] = { Type: "Pass", End: true };
        return { StartAt: `B${k}${side}1`, States: branchStates };
      }),
      Next: `Each ${k}`,
    };
    states[`Each ${k}`] = {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: `Item ${k}`,
        States: {
          [`Item ${k}`]: { Type: "Pass", Next: `Inner fan ${k}` },
          [`Inner fan ${k}`]: { Type: "Parallel", Branches: [{ StartAt: `Leaf ${k}`, States: { [`Leaf ${k}`]: { Type: "Pass", End: true } } }], End: true },
        },
      },
      ...flow(after(k)),
    };
  }
  for (let p = 0; p < padding; p++) states[`Pad ${p}`] = { Type: "Pass", ...flow(p + 1 < padding ? `Pad ${p + 1}` : null) };
  return { Comment: `synthetic, ${count} states`, StartAt: segments > 0 ? "Task 0" : "Pad 0", States: states };
}
