/**
 * Live refresh of execution lists: the WebSocket `ws/executions/` (every change to one of
 * the user's executions) when the server has it, else polling. The hook reports which
 * mode is in force so the page can say so; `onChange` is throttled by the caller.
 */
import { useEffect, useRef, useState } from "react";
import type { ExecutionItem } from "../../api/executionsList.ts";
import { socketUrl } from "../../api/live.ts";

export type LiveMode = "off" | "connecting" | "socket" | "polling";

/** A message of the executions channel, if it is one: `{"type": "execution", "execution": {...}}`. */
export function parseExecutionMessage(data: unknown): ExecutionItem | null {
  if (typeof data !== "string") return null;
  try {
    const message = JSON.parse(data) as { type?: unknown; execution?: unknown };
    if (message.type === "execution" && typeof message.execution === "object" && message.execution !== null) {
      return message.execution as ExecutionItem;
    }
  } catch {
    return null;
  }
  return null;
}

const RECONNECT_MS = 15000;

/**
 * While `enabled`: keeps a socket open and calls `onExecution` for each message; when the
 * socket cannot be opened or drops, the mode is "polling" (the page polls) and a new
 * socket is tried every 15 s.
 */
export function useLiveExecutions(enabled: boolean, onExecution: (execution: ExecutionItem) => void, path = "ws/executions/"): LiveMode {
  const [mode, setMode] = useState<LiveMode>(enabled ? "connecting" : "off");
  const callback = useRef(onExecution);
  callback.current = onExecution;

  useEffect(() => {
    if (!enabled) {
      setMode("off");
      return undefined;
    }
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = (): void => {
      if (typeof WebSocket === "undefined") {
        setMode("polling");
        return;
      }
      try {
        socket = new WebSocket(socketUrl(path));
      } catch {
        setMode("polling");
        retry = setTimeout(connect, RECONNECT_MS);
        return;
      }
      socket.onopen = () => setMode("socket");
      socket.onmessage = (event: MessageEvent) => {
        const execution = parseExecutionMessage(event.data);
        if (execution !== null) callback.current(execution);
      };
      socket.onclose = () => {
        if (stopped) return;
        setMode("polling");
        retry = setTimeout(connect, RECONNECT_MS);
      };
    };
    setMode((current) => (current === "polling" ? current : "connecting"));
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      if (socket !== null) {
        socket.onclose = null;
        socket.onmessage = null;
        socket.close();
      }
    };
  }, [enabled, path]);

  return mode;
}
