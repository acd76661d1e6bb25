/**
 * From an execution's history events to what the execution view shows: one "activity"
 * per state entry (its input, output, error, events, start and end), Map iterations,
 * and a status per state name (not run, running, succeeded, failed, caught, aborted).
 *
 * Framework-free and incremental: `apply` takes the next events in id order (O(new
 * events)), so the view can feed it 200 events per second and re-derive once per frame.
 *
 * How events are attributed: every event's `previous_event_id` is the last event of the
 * same frame (the state's own chain), so an event belongs to the activity its previous
 * event belongs to. State-level events of a Parallel or Map that follow its branches or
 * iterations (ParallelStateFailed, MapStateSucceeded, ...Exited) walk up to the nearest
 * open Parallel/Map (or the open state of that name). A state entered right after an
 * open Parallel/Map's own event is inside it (a branch); right after a MapIterationStarted,
 * inside that iteration; otherwise it follows its predecessor (same parent, same iteration).
 */
import type { HistoryEvent } from "../api/executions.ts";

export type NodeStatus = "notRun" | "running" | "succeeded" | "failed" | "caught" | "aborted";

export const NODE_STATUSES: NodeStatus[] = ["notRun", "running", "succeeded", "failed", "caught", "aborted"];

export interface Iteration {
  index: number;
  status: NodeStatus;
  start: number;
  end: number | null;
}

export interface Activity {
  /** The StateEntered event's id. */
  id: number;
  name: string;
  /** Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map. */
  stateType: string;
  parent: Activity | null;
  /** The Map iteration (of `parent`) this activity runs in, null outside Map iterations. */
  iteration: number | null;
  status: NodeStatus;
  open: boolean;
  /** An error was seen since the last (re)start: exiting after it means it was caught. */
  errorSeen: boolean;
  error: string | null;
  cause: string | null;
  input: unknown;
  output: unknown;
  hasOutput: boolean;
  start: number;
  end: number | null;
  events: HistoryEvent[];
  children: Activity[];
  /** Map activities: iterations by index, the item count, whether it is a Distributed Map. */
  iterations: Map<number, Iteration>;
  length: number | null;
  distributed: boolean;
}

interface Position {
  activity: Activity | null;
  /** Set on a MapIterationStarted: the states entered next run inside this iteration. */
  iterationOf?: { map: Activity; index: number };
}

const STATE_EVENT = /^(Task|Pass|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited|Aborted|Started|Succeeded|Failed)$/;
const ROOT: Position = { activity: null };

export interface ExecutionSummary {
  status: NodeStatus | null;
  error: string | null;
  cause: string | null;
  output: unknown;
  hasOutput: boolean;
  start: number | null;
  end: number | null;
}

export class ExecutionModel {
  readonly events: HistoryEvent[] = [];
  readonly activities: Activity[] = [];
  readonly execution: ExecutionSummary = { status: null, error: null, cause: null, output: undefined, hasOutput: false, start: null, end: null };
  /** Event id -> the name of the state it belongs to (events of no state are absent). */
  readonly eventState = new Map<number, string>();
  private readonly positions = new Map<number, Position>();
  private readonly byId = new Map<number, Activity>();
  /** Bumped on every apply (memo key for derived views). */
  version = 0;

  get lastId(): number {
    return this.events.length === 0 ? 0 : (this.events[this.events.length - 1] as HistoryEvent).id;
  }

  activity(id: number): Activity | undefined {
    return this.byId.get(id);
  }

  /** Add the next events (ids above `lastId`, in order; older ones are ignored). */
  apply(events: readonly HistoryEvent[]): number {
    let added = 0;
    for (const event of events) {
      if (event.id <= this.lastId) continue;
      this.events.push(event);
      this.one(event);
      added += 1;
    }
    if (added > 0) this.version += 1;
    return added;
  }

  private one(event: HistoryEvent): void {
    const details = (event.details ?? {}) as Record<string, unknown>;
    const pos = this.positions.get(event.previous_event_id) ?? ROOT;
    const type = event.type;
    const ts = event.timestamp;
    const match = STATE_EVENT.exec(type);

    if (type.startsWith("Execution")) {
      this.positions.set(event.id, ROOT);
      this.onExecution(type, details, ts);
      return;
    }
    if (match !== null && match[2] === "Entered") {
      this.enter(event, match[1] as string, details, pos);
      return;
    }
    if (type === "MapIterationStarted" || type === "MapIterationSucceeded" || type === "MapIterationFailed" || type === "MapIterationAborted") {
      const map = this.nearest(pos, (a) => a.stateType === "Map" && (details.name === undefined || a.name === details.name)) ?? pos.iterationOf?.map ?? null;
      const index = typeof details.index === "number" ? details.index : 0;
      if (map === null) {
        this.positions.set(event.id, pos);
        return;
      }
      map.events.push(event);
      this.eventState.set(event.id, map.name);
      if (type === "MapIterationStarted") {
        map.iterations.set(index, { index, status: "running", start: ts, end: null });
        this.positions.set(event.id, { activity: map, iterationOf: { map, index } });
        return;
      }
      const iteration = map.iterations.get(index) ?? { index, status: "running" as NodeStatus, start: ts, end: null };
      iteration.status = type === "MapIterationSucceeded" ? "succeeded" : type === "MapIterationFailed" ? "failed" : "aborted";
      iteration.end = ts;
      map.iterations.set(index, iteration);
      this.positions.set(event.id, { activity: map });
      return;
    }
    if (match !== null) {
      // Exited / Aborted / Started / Succeeded / Failed of a state: find that state's open activity.
      const [, stateType, what] = match as unknown as [string, string, string];
      const name = typeof details.name === "string" ? details.name : undefined;
      const target = this.nearest(pos, (a) => a.open && (name !== undefined ? a.name === name : a.stateType === stateType));
      if (!this.attach(event, pos, target)) return;
      if (what === "Exited") {
        target.output = details.output;
        target.hasOutput = "output" in details;
        this.close(target, target.errorSeen ? "caught" : "succeeded", ts);
      } else if (what === "Aborted") {
        this.close(target, "aborted", ts);
      } else if (what === "Started") {
        target.errorSeen = false; // a (re)start, e.g. a retried Parallel or Map
        if (stateType === "Map" && typeof details.length === "number") target.length = details.length;
      } else if (what === "Failed") {
        this.fail(target, details);
      }
      return;
    }
    // Task*, LambdaFunction*, Activity*, MapRun*, EvaluationFailed ...: the frame's open state.
    const wantsMap = type.startsWith("MapRun");
    const target =
      type === "EvaluationFailed" && typeof details.state === "string"
        ? this.nearest(pos, (a) => a.open && a.name === details.state)
        : this.nearest(pos, (a) => a.open && (!wantsMap || a.stateType === "Map"));
    if (!this.attach(event, pos, target)) return;
    if (type === "MapRunStarted") target.distributed = true;
    if (/Scheduled$|Submitted$/.test(type) && !wantsMap) target.errorSeen = false;
    else if (/Succeeded$/.test(type)) target.errorSeen = false;
    else if (/(Failed|TimedOut)$/.test(type)) this.fail(target, details);
  }

  private fail(target: Activity, details: Record<string, unknown>): void {
    target.errorSeen = true;
    if (typeof details.error === "string") target.error = details.error;
    if (typeof details.cause === "string") target.cause = details.cause;
  }

  /** The innermost activity from the position upwards (itself included) that passes `test`. */
  /** Files the event under `target`, the activity of its state; false (the event left at `pos`) where there is none. */
  private attach(event: HistoryEvent, pos: Position, target: Activity | null): target is Activity {
    if (target === null) {
      this.positions.set(event.id, pos);
      return false;
    }
    target.events.push(event);
    this.eventState.set(event.id, target.name);
    this.positions.set(event.id, { activity: target });
    return true;
  }

  private nearest(pos: Position, test: (activity: Activity) => boolean): Activity | null {
    for (let a = pos.activity; a !== null; a = a.parent) if (test(a)) return a;
    return null;
  }

  private enter(event: HistoryEvent, stateType: string, details: Record<string, unknown>, pos: Position): void {
    let parent: Activity | null = null;
    let iteration: number | null = null;
    const before = pos.activity;
    if (pos.iterationOf !== undefined) {
      parent = pos.iterationOf.map;
      iteration = pos.iterationOf.index;
    } else if (before !== null && before.open && (before.stateType === "Parallel" || before.stateType === "Map")) {
      parent = before; // the first state of a branch
    } else if (before !== null) {
      parent = before.parent;
      iteration = before.iteration;
    }
    const activity: Activity = {
      id: event.id,
      name: typeof details.name === "string" ? details.name : "?",
      stateType,
      parent,
      iteration,
      status: stateType === "Fail" ? "failed" : "running",
      open: stateType !== "Fail",
      errorSeen: false,
      error: null,
      cause: null,
      input: details.input,
      output: undefined,
      hasOutput: false,
      start: event.timestamp,
      end: stateType === "Fail" ? event.timestamp : null,
      events: [event],
      children: [],
      iterations: new Map(),
      length: null,
      distributed: false,
    };
    parent?.children.push(activity);
    this.activities.push(activity);
    this.byId.set(activity.id, activity);
    this.eventState.set(event.id, activity.name);
    this.positions.set(event.id, { activity });
  }

  /** An activity ends; states still open inside it ended with it (they raised its error). */
  private close(activity: Activity, status: NodeStatus, ts: number): void {
    activity.status = status;
    activity.open = false;
    activity.end = ts;
    for (const child of activity.children) if (child.open) this.close(child, status === "aborted" ? "aborted" : "failed", ts);
    for (const iteration of activity.iterations.values()) {
      if (iteration.status === "running") {
        iteration.status = status === "aborted" ? "aborted" : "failed";
        iteration.end = ts;
      }
    }
  }

  private onExecution(type: string, details: Record<string, unknown>, ts: number): void {
    const summary = this.execution;
    if (type === "ExecutionStarted" || type === "ExecutionRedriven") {
      summary.status = "running";
      summary.start ??= ts;
      summary.end = null;
      return;
    }
    const status: NodeStatus | null =
      type === "ExecutionSucceeded" ? "succeeded"
      : type === "ExecutionFailed" || type === "ExecutionTimedOut" ? "failed"
      : type === "ExecutionAborted" ? "aborted"
      : null;
    if (status === null) return;
    summary.status = status;
    summary.end = ts;
    if (typeof details.error === "string") summary.error = details.error;
    if (typeof details.cause === "string") summary.cause = details.cause;
    if ("output" in details) {
      summary.output = details.output;
      summary.hasOutput = true;
    }
    for (const activity of this.activities) if (activity.open && activity.parent === null) this.close(activity, status, ts);
    for (const activity of this.activities) if (activity.open) this.close(activity, status, ts);
  }
}

/** Picked Map iterations: Map activity id -> iteration index. */
export type IterationSelection = ReadonlyMap<number, number>;

/** False when the activity runs in another iteration than a picked one of an enclosing Map. */
export function isVisible(activity: Activity, selection: IterationSelection): boolean {
  for (let a: Activity | null = activity; a !== null && a.parent !== null; a = a.parent) {
    const picked = selection.get(a.parent.id);
    if (picked !== undefined && a.iteration !== null && a.iteration !== picked) return false;
  }
  return true;
}

/** Where an activity runs: the chain of (Map name, iteration) pairs above it. */
function iterationKey(activity: Activity): string {
  const parts: string[] = [];
  for (let a: Activity | null = activity; a !== null && a.parent !== null; a = a.parent) {
    if (a.iteration !== null) parts.push(`${a.parent.name}[${a.iteration}]`);
  }
  return parts.join("/");
}

const PRIORITY: Record<NodeStatus, number> = { running: 5, failed: 4, aborted: 3, caught: 2, succeeded: 1, notRun: 0 };

/** Combine statuses of the same state in several iterations: running, then the worst outcome. */
export function worst(statuses: Iterable<NodeStatus>): NodeStatus {
  let best: NodeStatus = "notRun";
  for (const status of statuses) if (PRIORITY[status] > PRIORITY[best]) best = status;
  return best;
}

/**
 * Status per state name. Within one place (same Map iterations) the latest entry wins
 * (a loop or a redrive ran it again); across iterations the worst one shows.
 */
export function nodeStatuses(model: ExecutionModel, selection: IterationSelection = new Map()): Map<string, NodeStatus> {
  const latest = new Map<string, Map<string, Activity>>();
  for (const activity of model.activities) {
    if (!isVisible(activity, selection)) continue;
    let places = latest.get(activity.name);
    if (places === undefined) latest.set(activity.name, (places = new Map()));
    places.set(iterationKey(activity), activity);
  }
  const out = new Map<string, NodeStatus>();
  for (const [name, places] of latest) out.set(name, worst([...places.values()].map((a) => a.status)));
  return out;
}

/** The activities of one state (visible under the selection), in order. */
export function activitiesOf(model: ExecutionModel, name: string, selection: IterationSelection = new Map()): Activity[] {
  return model.activities.filter((a) => a.name === name && isVisible(a, selection));
}

/** Child-history scope of a Distributed Map iteration (the engine's key: name/entered id/index). */
export function distributedScope(map: Activity, index: number): string {
  // A Distributed Map nested in another one's iteration lives in that child's history; v1 shows top-level ones.
  return `${map.name}/${map.id}/${index}`;
}

/** The iteration indices of a Map activity: those seen, or 0..length-1 for a Distributed Map. */
export function iterationList(map: Activity): Iteration[] {
  if (map.iterations.size > 0) return [...map.iterations.values()].sort((a, b) => a.index - b.index);
  if (map.length === null) return [];
  const status: NodeStatus = map.open ? "running" : map.status === "caught" ? "failed" : map.status;
  return Array.from({ length: map.length }, (_, index) => ({ index, status, start: map.start, end: map.end }));
}
