/** Node statuses and activities derived from real engine histories (test/fixtures/histories.json, made by the engine). */
import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../src/api/executions.ts";
import { ExecutionModel, activitiesOf, iterationList, nodeStatuses, worst } from "../src/execution/derive.ts";
import histories from "./fixtures/histories.json";

const events = (name: keyof typeof histories): HistoryEvent[] => histories[name].events as HistoryEvent[];

function modelOf(list: HistoryEvent[], chunk = list.length): ExecutionModel {
  const model = new ExecutionModel();
  for (let i = 0; i < list.length; i += chunk) model.apply(list.slice(i, i + chunk));
  return model;
}

describe("ExecutionModel", () => {
  it("Parallel branches, Map iterations and a caught Parallel (Fail state inside) in a succeeded run", () => {
    const model = modelOf(events("nested"));
    const statuses = Object.fromEntries(nodeStatuses(model));
    expect(statuses).toEqual({ P: "succeeded", A: "succeeded", B: "succeeded", M: "succeeded", I: "succeeded", F: "caught", X: "failed", Done: "succeeded" });
    expect(model.execution.status).toBe("succeeded");
    const [a] = activitiesOf(model, "A");
    expect(a?.parent?.name).toBe("P");
    const [map] = activitiesOf(model, "M");
    expect(iterationList(map!).map((it) => [it.index, it.status])).toEqual([[0, "succeeded"], [1, "succeeded"]]);
    const items = activitiesOf(model, "I");
    expect(items.map((item) => [item.iteration, item.input, item.output])).toEqual([[0, 1, 1], [1, 2, 2]]);
    // Picking iteration 1 shows only that iteration's entry of I.
    expect(activitiesOf(model, "I", new Map([[map!.id, 1]])).map((item) => item.input)).toEqual([2]);
    expect(activitiesOf(model, "F")[0]?.output).toEqual({ Error: "Boom" });
  });

  it("a Task failing after its retries and caught is 'caught'; its events and error are its own", () => {
    const model = modelOf(events("taskCatch"));
    expect(Object.fromEntries(nodeStatuses(model))).toEqual({ T: "caught", Ok: "succeeded" });
    const [t] = activitiesOf(model, "T");
    expect(t?.error).toBe("ValueError");
    expect(t?.events.map((e) => e.type)).toEqual([
      "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited",
    ]);
    expect(activitiesOf(model, "Ok")[0]?.error).toBeNull();
  });

  it("a failing Map iteration: the Task failed, its iteration failed, the rest aborted, the Map failed", () => {
    const model = modelOf(events("taskFail"));
    const statuses = Object.fromEntries(nodeStatuses(model));
    expect(statuses).toMatchObject({ A: "succeeded", M: "failed", T: "succeeded", Bad: "failed", Good: "succeeded" });
    const [map] = activitiesOf(model, "M");
    expect(iterationList(map!).map((it) => [it.index, it.status])).toEqual([[0, "succeeded"], [1, "failed"], [2, "aborted"]]);
    expect(model.execution).toMatchObject({ status: "failed", error: "ValueError" });
    // Iteration 0 alone: Bad never ran there.
    const first = nodeStatuses(model, new Map([[map!.id, 0]]));
    expect(first.get("Bad")).toBeUndefined();
    expect(first.get("Good")).toBe("succeeded");
  });

  it("gives the same result fed one event at a time, ignores repeats, and shows running states meanwhile", () => {
    const all = events("nested");
    const whole = nodeStatuses(modelOf(all));
    const model = new ExecutionModel();
    for (const event of all) {
      model.apply([event]);
      model.apply([event]); // a duplicate (reconnect overlap) changes nothing
      if (event.id === 12) expect(nodeStatuses(model).get("M")).toBe("running");
    }
    expect(model.events).toHaveLength(all.length);
    expect(nodeStatuses(model)).toEqual(whole);
  });

  it("an aborted execution aborts the running states", () => {
    const model = new ExecutionModel();
    model.apply([
      { id: 1, previous_event_id: 0, type: "ExecutionStarted", timestamp: 1, details: { input: {} } },
      { id: 2, previous_event_id: 1, type: "WaitStateEntered", timestamp: 2, details: { name: "W", input: {} } },
      { id: 3, previous_event_id: 2, type: "ExecutionAborted", timestamp: 3, details: null },
    ]);
    expect(nodeStatuses(model).get("W")).toBe("aborted");
    expect(model.execution.status).toBe("aborted");
  });

  it("worst() prefers running, then failures", () => {
    expect(worst(["succeeded", "caught"])).toBe("caught");
    expect(worst(["failed", "running"])).toBe("running");
    expect(worst([])).toBe("notRun");
  });
});

describe("ExecutionModel at volume", () => {
  it("takes a 30,000-event Map history in small batches (as 200 events/s arrive per frame) without losing any", () => {
    const events: HistoryEvent[] = [
      { id: 1, previous_event_id: 0, type: "ExecutionStarted", timestamp: 0, details: { input: {} } },
      { id: 2, previous_event_id: 1, type: "MapStateEntered", timestamp: 0, details: { name: "M", input: {} } },
      { id: 3, previous_event_id: 2, type: "MapStateStarted", timestamp: 0, details: { length: 5000 } },
    ];
    let id = 3;
    for (let index = 0; index < 5000; index += 1) {
      const start = ++id;
      events.push({ id: start, previous_event_id: 3, type: "MapIterationStarted", timestamp: index, details: { name: "M", index } });
      events.push({ id: ++id, previous_event_id: start, type: "PassStateEntered", timestamp: index, details: { name: "A", input: index } });
      events.push({ id: ++id, previous_event_id: id - 1, type: "PassStateExited", timestamp: index, details: { name: "A", output: index } });
      events.push({ id: ++id, previous_event_id: id - 1, type: "TaskStateEntered", timestamp: index, details: { name: "B", input: index } });
      events.push({ id: ++id, previous_event_id: id - 1, type: "TaskStateExited", timestamp: index, details: { name: "B", output: index } });
      events.push({ id: ++id, previous_event_id: id - 1, type: "MapIterationSucceeded", timestamp: index, details: { name: "M", index } });
    }
    const model = new ExecutionModel();
    const started = performance.now();
    for (let i = 0; i < events.length; i += 4) model.apply(events.slice(i, i + 4));
    const statuses = nodeStatuses(model);
    const elapsed = performance.now() - started;
    expect(model.events).toHaveLength(events.length);
    expect(statuses.get("B")).toBe("succeeded");
    expect(statuses.get("M")).toBe("running");
    expect(iterationList(activitiesOf(model, "M")[0]!)).toHaveLength(5000);
    expect(elapsed).toBeLessThan(2000);
  });
});
