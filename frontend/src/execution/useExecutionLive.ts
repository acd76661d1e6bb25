/**
 * The execution view's data: the execution (REST, then the feed's snapshots and status
 * messages) and its history model, fed by `ExecutionFeed` (WebSocket, else REST polling).
 * Events arriving between two frames are applied together in one animation frame, so
 * 200 events per second cost one model update and one render per frame, and none is dropped.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { getExecution, redriveExecution, stopExecution, type Execution, type HistoryEvent } from "../api/executions.ts";
import { ExecutionFeed, type LiveMode, type LiveOptions } from "../api/live.ts";
import { ExecutionModel } from "./derive.ts";

export interface ExecutionLive {
  execution: Execution | null;
  model: ExecutionModel;
  /** Changes whenever the model took new events (memo key). */
  version: number;
  mode: LiveMode;
  error: unknown;
  stop(): Promise<void>;
  redrive(): Promise<void>;
}

const nextFrame: (callback: () => void) => unknown =
  typeof requestAnimationFrame === "function" ? (callback) => requestAnimationFrame(callback) : (callback) => setTimeout(callback, 16);

export function useExecutionLive(id: number, options: Omit<LiveOptions, "after"> = {}): ExecutionLive {
  const [execution, setExecution] = useState<Execution | null>(null);
  const [model, setModel] = useState(() => new ExecutionModel());
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState<LiveMode>("connecting");
  const [error, setError] = useState<unknown>(null);
  const pending = useRef<HistoryEvent[]>([]);
  const scheduled = useRef(false);
  const optionsRef = useRef(options);

  useEffect(() => {
    const fresh = new ExecutionModel();
    setModel(fresh);
    setExecution(null);
    setError(null);
    pending.current = [];
    let alive = true;
    // The feed's record is the newer one: a REST answer that arrives after it (RUNNING
    // while the feed already said SUCCEEDED) must not overwrite it.
    let fedByFeed = false;
    const flush = (): void => {
      scheduled.current = false;
      if (!alive) return;
      const batch = pending.current;
      pending.current = [];
      if (fresh.apply(batch) > 0) setVersion(fresh.version);
    };
    const feed = new ExecutionFeed(
      id,
      {
        onExecution: (value) => {
          fedByFeed = true;
          if (alive) setExecution(value);
        },
        onEvents: (events) => {
          for (const event of events) pending.current.push(event);
          if (!scheduled.current) {
            scheduled.current = true;
            nextFrame(flush);
          }
        },
        onMode: (value) => alive && setMode(value),
        onError: (value) => alive && setError(value),
      },
      optionsRef.current,
    );
    getExecution(id)
      .then((value) => alive && !fedByFeed && setExecution(value))
      .catch((value: unknown) => alive && setError(value));
    feed.start();
    return () => {
      alive = false;
      feed.close();
    };
  }, [id]);

  const stop = useCallback(async () => setExecution(await stopExecution(id)), [id]);
  const redrive = useCallback(async () => setExecution(await redriveExecution(id)), [id]);

  return { execution, model, version, mode, error, stop, redrive };
}
