/**
 * KioskApi over the web host's WebSocket (/api), for the UI running in a plain browser.
 *
 * Speaks WsClientFrame/WsServerFrame as JSON. Reconnects forever with capped, jittered
 * backoff: a kiosk screen has nobody to press "retry". Calls made while disconnected wait
 * for the next connection (up to a timeout) instead of failing at once, so a tap during a
 * brief web-host restart still goes through.
 */
import { AppError, isErrorCode } from '../../protocol/errors.ts';
import type {
  CommandParams,
  CommandReturn,
  EventPayload,
  KioskApi,
  KioskCommand,
  KioskEvent,
  WsClientFrame,
} from '../../protocol/kiosk-api.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The subset of the browser WebSocket this client uses (Node's `ws` fits too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export type WsClientOptions = {
  /** Defaults to the global WebSocket. */
  createSocket?: (url: string) => SocketLike;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a call waits for a connection and then for its answer. */
  callTimeoutMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
};

export type WsKioskClient = {
  api: KioskApi;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
};

const OPEN = 1;

type Pending = {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  timer: unknown;
};

/** The URL of the web host's API on the page's own origin. */
export function apiUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

export function createWsKioskClient(url: string, options: WsClientOptions = {}): WsKioskClient {
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const callTimeout = options.callTimeoutMs ?? 10_000;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let closedByUs = false;
  let reconnectTimer: unknown = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** Frames waiting for a connection, keyed by call id so a timed-out call drops its frame. */
  const outbox = new Map<number, string>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  function setState(next: ConnectionState) {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  }

  function connect() {
    reconnectTimer = null;
    setState('connecting');
    let s: SocketLike;
    try {
      s = createSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setState('open');
      for (const [id, frame] of outbox) {
        s.send(frame);
        outbox.delete(id);
      }
    };
    s.onmessage = (ev) => handleMessage(ev.data);
    s.onerror = () => {
      /* onclose follows; reconnecting happens there */
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // Calls already sent cannot be answered on a new socket: fail them now rather than hang.
      for (const [id, p] of pending) {
        if (outbox.has(id)) continue;
        pending.delete(id);
        clearTimer(p.timer);
        p.reject(new AppError('INTERNAL', 'connection to the kiosk lost'));
      }
      if (closedByUs) {
        setState('closed');
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    setState('connecting');
    const base = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    attempt += 1;
    // Full jitter between half and all of the base: many kiosk screens restarting together spread out.
    reconnectTimer = setTimer(connect, base / 2 + random() * (base / 2));
  }

  function handleMessage(data: unknown) {
    let frame: unknown;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // not ours to crash on; the web host only sends JSON
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Record<string, unknown>;
    if (f.type === 'event' && typeof f.name === 'string') {
      for (const l of [...(eventListeners.get(f.name) ?? [])]) l(f.payload);
      return;
    }
    if ((f.type === 'result' || f.type === 'error') && typeof f.id === 'number') {
      const p = pending.get(f.id);
      if (!p) return;
      pending.delete(f.id);
      clearTimer(p.timer);
      if (f.type === 'result') p.resolve(f.value);
      else p.reject(new AppError(isErrorCode(f.code) ? f.code : 'INTERNAL'));
    }
  }

  function call<C extends KioskCommand>(method: C, params: CommandParams<C>): Promise<CommandReturn<C>> {
    if (closedByUs) return Promise.reject(new AppError('INTERNAL', 'client closed'));
    const id = nextId++;
    const frame: WsClientFrame = { type: 'call', id, method, params };
    const text = JSON.stringify(frame);
    return new Promise<CommandReturn<C>>((resolve, reject) => {
      const timer = setTimer(() => {
        pending.delete(id);
        outbox.delete(id);
        reject(new AppError('INTERNAL', `no answer to ${method}`));
      }, callTimeout);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (socket && socket.readyState === OPEN) socket.send(text);
      else outbox.set(id, text);
    });
  }

  const api = new Proxy({} as KioskApi, {
    get(_target, prop) {
      if (prop === 'on') {
        return <E extends KioskEvent>(event: E, listener: (payload: EventPayload<E>) => void) => {
          let set = eventListeners.get(event);
          if (!set) eventListeners.set(event, (set = new Set()));
          const l = listener as (payload: unknown) => void;
          set.add(l);
          return () => set.delete(l);
        };
      }
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (params: unknown) => call(prop as KioskCommand, params as never);
    },
  });

  connect();

  return {
    api,
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      if (reconnectTimer !== null) clearTimer(reconnectTimer);
      for (const [id, p] of pending) {
        pending.delete(id);
        clearTimer(p.timer);
        p.reject(new AppError('INTERNAL', 'client closed'));
      }
      outbox.clear();
      if (socket) socket.close();
      else setState('closed');
    },
  };
}
