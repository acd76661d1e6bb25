/** The execution feed: WebSocket when it connects, REST polling otherwise; in order, no gaps, no repeats. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Execution, HistoryEvent } from "../src/api/executions.ts";
import { ExecutionFeed, executionSocketUrl } from "../src/api/live.ts";

const ev = (id: number): HistoryEvent => ({ id, previous_event_id: id - 1, type: "PassStateEntered", timestamp: id, details: { name: "A" } });
const range = (from: number, to: number): HistoryEvent[] => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));
const execution = (status: string): Execution => ({ id: 1, status } as Execution);

class FakeSocket {
  static last: FakeSocket | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  close(): void {
    this.closed = true;
  }
  send(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

afterEach(() => vi.useRealTimers());

describe("ExecutionFeed", () => {
  it("builds ws:// and wss:// URLs resuming after an event id", () => {
    expect(executionSocketUrl(7, 12, { protocol: "http:", host: "h:8000" })).toBe("ws://h:8000/ws/executions/7/?after=12");
    expect(executionSocketUrl(7, 0, { protocol: "https:", host: "h" })).toBe("wss://h/ws/executions/7/?after=0");
  });

  it("delivers socket events in order, drops repeats, fills a gap from REST", async () => {
    const got: number[] = [];
    const fetchHistory = vi.fn(async (after: number) => range(after + 1, 6));
    const feed = new ExecutionFeed(1, { onExecution: () => {}, onEvents: (events) => got.push(...events.map((e) => e.id)) }, {
      socket: (url) => new FakeSocket(url) as unknown as WebSocket,
      fetchHistory,
      fetchExecution: async () => execution("RUNNING"),
      pollMs: 1_000_000,
    });
    feed.deliver(range(1, 3));
    feed.deliver(range(2, 4)); // overlap after a reconnect
    feed.deliver([ev(6)]); // 5 is missing: REST fills 5..6
    await vi.waitFor(() => expect(got).toEqual([1, 2, 3, 4, 5, 6]));
    expect(fetchHistory).toHaveBeenCalledWith(4);
    feed.close();
  });

  it("uses the socket once open (polling stops), falls back to polling on close and resumes after the last event", async () => {
    vi.useFakeTimers();
    const modes: string[] = [];
    const got: number[] = [];
    const fetchHistory = vi.fn(async (after: number) => (after < 2 ? range(after + 1, 2) : []));
    const feed = new ExecutionFeed(1, {
      onExecution: () => {},
      onEvents: (events) => got.push(...events.map((e) => e.id)),
      onMode: (mode) => modes.push(mode),
    }, {
      socket: (url) => new FakeSocket(url) as unknown as WebSocket,
      fetchHistory,
      fetchExecution: async () => execution("RUNNING"),
      pollMs: 1000,
    }).start();
    await vi.advanceTimersByTimeAsync(10);
    expect(got).toEqual([1, 2]); // REST while the socket connects
    const socket = FakeSocket.last as FakeSocket;
    expect(socket.url).toContain("after=0");
    socket.onopen?.();
    expect(modes).toContain("live");
    socket.send({ type: "events", events: range(2, 5) });
    expect(got).toEqual([1, 2, 3, 4, 5]);
    const calls = fetchHistory.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchHistory.mock.calls.length).toBe(calls); // no polling while live
    socket.onclose?.({ code: 1006 });
    expect(modes[modes.length - 1]).toBe("polling");
    await vi.advanceTimersByTimeAsync(1100); // reconnect with backoff
    expect((FakeSocket.last as FakeSocket).url).toContain("after=5");
    feed.close();
  });

  it("never retries the socket after 4401/4404 and keeps polling", async () => {
    vi.useFakeTimers();
    let sockets = 0;
    const feed = new ExecutionFeed(1, { onExecution: () => {}, onEvents: () => {} }, {
      socket: (url) => {
        sockets += 1;
        return new FakeSocket(url) as unknown as WebSocket;
      },
      fetchHistory: async () => [],
      fetchExecution: async () => execution("RUNNING"),
    }).start();
    (FakeSocket.last as FakeSocket).onclose?.({ code: 4401 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sockets).toBe(1);
    feed.close();
  });
});
