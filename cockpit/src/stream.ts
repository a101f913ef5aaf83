// WebSocket client for /api/stream with exponential reconnect backoff.
import type { StreamMessage } from './types';

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  | { status: 'disconnected'; attempt: number; retryAt: number; reason: string };

export interface StreamHandlers {
  onMessage(msg: StreamMessage): void;
  onConnection(state: ConnectionState): void;
}

export interface StreamOptions {
  /** Override the URL (default: ws(s)://<same host>/api/stream, relative to the page). */
  url?: string;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export function streamUrl(loc: Location = window.location): string {
  const url = new URL('api/stream', loc.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return url.toString();
}

/** Delay before reconnect attempt `attempt` (1-based): min·2^(n-1), capped, ±20% jitter. */
export function backoffDelay(attempt: number, minMs = 500, maxMs = 10_000, rand = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * rand()));
}

export class StreamClient {
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly opts: StreamOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  private connect(): void {
    if (this.stopped) return;
    this.handlers.onConnection({ status: 'connecting', attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url ?? streamUrl());
    } catch (e) {
      this.scheduleReconnect(String((e as Error).message ?? e));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.handlers.onConnection({ status: 'open' });
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      let msg: StreamMessage;
      try {
        msg = JSON.parse(ev.data) as StreamMessage;
      } catch {
        return;
      }
      // A snapshot means the connection is really usable: reset the backoff.
      if (msg.type === 'snapshot') this.attempt = 0;
      this.handlers.onMessage(msg);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleReconnect(ev.reason || (ev.code ? `code ${ev.code}` : 'connection closed'));
    };
    ws.onerror = () => {
      /* onclose follows and handles reconnecting */
    };
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.opts.minDelayMs, this.opts.maxDelayMs);
    this.handlers.onConnection({ status: 'disconnected', attempt: this.attempt, retryAt: Date.now() + delay, reason });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
