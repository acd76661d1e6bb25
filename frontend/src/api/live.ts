/**
 * An execution's live feed: the WebSocket stream of the contract (`/ws/executions/<id>/?after=N`:
 * snapshot, events, status) when it connects, else polling REST (`history?after=N` and the
 * execution) every second. Both paths stay: a dropped socket falls back to polling and is
 * retried with backoff; a reconnect resumes after the last event received, so nothing is
 * missed or repeated. Events are handed on strictly in id order without gaps (a gap is
 * filled from REST before anything after it is delivered).
 */
import { getExecution, historyAfter, TERMINAL_STATUSES, type Execution, type HistoryEvent } from "./executions.ts";

export type LiveMode = "connecting" | "live" | "polling" | "closed";

export interface LiveHandlers {
  onExecution(execution: Execution): void;
  onEvents(events: HistoryEvent[]): void;
  onMode?(mode: LiveMode): void;
  onError?(error: unknown): void;
}

export interface LiveOptions {
  /** Resume after this event id (events up to it are already known). */
  after?: number;
  pollMs?: number;
  /** For tests: how to open a socket (null: never, poll only). */
  socket?: ((url: string) => WebSocket) | null;
  fetchHistory?: (after: number) => Promise<HistoryEvent[]>;
  fetchExecution?: () => Promise<Execution>;
}

/** `ws://host/<path>` for a live path of this server (wss on https). */
export function socketUrl(path: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/${path.replace(/^\//, "")}`;
}

export function executionSocketUrl(id: number, after: number, location: Pick<Location, "protocol" | "host"> = window.location): string {
  return socketUrl(`ws/executions/${id}/?after=${after}`, location);
}

interface Frame {
  type: string;
  execution?: Execution;
  events?: HistoryEvent[];
}

export class ExecutionFeed {
  private lastId: number;
  private mode: LiveMode = "connecting";
  private socket: WebSocket | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = 1000;
  private polling = false;
  private filling: Promise<void> | null = null;
  private closed = false;
  private terminal = false;
  private socketRefused = false;
  private readonly openSocket: ((url: string) => WebSocket) | null;
  private readonly fetchHistory: (after: number) => Promise<HistoryEvent[]>;
  private readonly fetchExecution: () => Promise<Execution>;
  private readonly pollMs: number;

  constructor(private readonly id: number, private readonly handlers: LiveHandlers, options: LiveOptions = {}) {
    this.lastId = options.after ?? 0;
    this.pollMs = options.pollMs ?? 1000;
    this.openSocket =
      options.socket !== undefined ? options.socket : typeof WebSocket === "undefined" ? null : (url: string) => new WebSocket(url);
    this.fetchHistory = options.fetchHistory ?? ((after) => historyAfter(id, after));
    this.fetchExecution = options.fetchExecution ?? (() => getExecution(id));
  }

  start(): this {
    this.connect();
    // Until the socket says it is open, REST keeps the page moving.
    this.startPolling(0);
    return this;
  }

  close(): void {
    this.closed = true;
    this.stopPolling();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
    this.setMode("closed");
  }

  /** The last event id handed on. */
  get after(): number {
    return this.lastId;
  }

  /** Hand on events above lastId in order; a gap is filled from REST first. */
  deliver(events: readonly HistoryEvent[]): void {
    const fresh = events.filter((event) => event.id > this.lastId).sort((a, b) => a.id - b.id);
    if (fresh.length === 0) return;
    const first = fresh[0] as HistoryEvent;
    if (first.id !== this.lastId + 1) {
      void this.fill(); // the REST answer includes these too
      return;
    }
    const ordered: HistoryEvent[] = [];
    let expected = this.lastId + 1;
    for (const event of fresh) {
      if (event.id !== expected) break;
      ordered.push(event);
      expected += 1;
    }
    this.lastId = expected - 1;
    this.handlers.onEvents(ordered);
    if (ordered.length < fresh.length) void this.fill();
  }

  private fill(): Promise<void> {
    if (this.filling !== null) return this.filling;
    this.filling = this.fetchHistory(this.lastId)
      .then((events) => this.deliver(events))
      .catch((error: unknown) => this.handlers.onError?.(error))
      .finally(() => {
        this.filling = null;
      });
    return this.filling;
  }

  private setMode(mode: LiveMode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.handlers.onMode?.(mode);
  }

  private connect(): void {
    if (this.closed || this.openSocket === null || this.socketRefused) {
      if (this.openSocket === null || this.socketRefused) this.setMode("polling");
      return;
    }
    let socket: WebSocket;
    try {
      socket = this.openSocket(executionSocketUrl(this.id, this.lastId));
    } catch {
      this.socketRefused = true;
      this.setMode("polling");
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.retryDelay = 1000;
      this.stopPolling();
      this.setMode("live");
    };
    socket.onmessage = (message: MessageEvent) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(message.data)) as Frame;
      } catch {
        return;
      }
      if ((frame.type === "snapshot" || frame.type === "status") && frame.execution) this.onExecution(frame.execution);
      else if (frame.type === "events" && Array.isArray(frame.events)) this.deliver(frame.events);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      // 4401 (not signed in) / 4404 (not found): the socket will not work; REST only.
      if (event.code === 4401 || event.code === 4404 || event.code === 4403) this.socketRefused = true;
      this.setMode("polling");
      this.startPolling(0);
      if (!this.socketRefused) {
        this.retryTimer = setTimeout(() => this.connect(), this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, 15000);
      }
    };
  }

  private onExecution(execution: Execution): void {
    this.terminal = TERMINAL_STATUSES.has(execution.status);
    this.handlers.onExecution(execution);
  }

  private startPolling(delay: number): void {
    if (this.closed || this.polling) return;
    this.polling = true;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private stopPolling(): void {
    this.polling = false;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private async poll(): Promise<void> {
    if (!this.polling || this.closed) return;
    try {
      const execution = await this.fetchExecution();
      if (!this.polling || this.closed) return;
      await this.fill();
      this.onExecution(execution);
      if (this.socket === null && this.mode !== "live") this.setMode("polling");
    } catch (error) {
      this.handlers.onError?.(error);
    }
    if (!this.polling || this.closed) return;
    // A finished execution changes only on a redrive: look less often.
    this.pollTimer = setTimeout(() => void this.poll(), this.terminal ? this.pollMs * 5 : this.pollMs);
  }
}
