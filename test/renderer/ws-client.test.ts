/**
 * The renderer's WebSocket KioskApi client against a real `ws` server on loopback:
 * calls and answers, coded errors, events, waiting through a reconnect, and timeouts.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { AppError } from '../../protocol/errors.ts';
import type { WsClientFrame, WsServerFrame } from '../../protocol/kiosk-api.ts';
import {
  apiUrlFor,
  createWsKioskClient,
  type SocketLike,
  type WsKioskClient,
} from '../../src-renderer/api/ws-client.ts';

type Handler = (frame: WsClientFrame, reply: (f: WsServerFrame) => void) => void;

async function startServer(handler: Handler, port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) =>
      handler(JSON.parse(String(data)) as WsClientFrame, (f) => ws.send(JSON.stringify(f))),
    );
  });
  const actual = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${actual}/api`,
    port: actual,
    sockets,
    broadcast: (f: WsServerFrame) => sockets.forEach((s) => s.send(JSON.stringify(f))),
    dropAll: () => sockets.forEach((s) => s.terminate()),
    close: () =>
      new Promise<void>((r) => {
        // ws 8 waits for open connections before calling back: end them first.
        sockets.forEach((s) => s.terminate());
        wss.close(() => r());
      }),
  };
}

const nodeSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;
const echo: Handler = (f, reply) =>
  reply({ type: 'result', id: f.id, value: { ok: true, method: f.method } });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(url: string, opts: Parameters<typeof createWsKioskClient>[1] = {}): WsKioskClient {
  const c = createWsKioskClient(url, {
    createSocket: nodeSocket,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    ...opts,
  });
  cleanups.push(() => c.close());
  return c;
}

const opened = (c: WsKioskClient) =>
  new Promise<void>((resolve) => {
    if (c.state() === 'open') return resolve();
    const off = c.onState((s) => s === 'open' && (off(), resolve()));
  });

describe('WebSocket KioskApi client', () => {
  it('derives the API URL from the page origin', () => {
    expect(apiUrlFor({ protocol: 'http:', host: '127.0.0.1:8421' })).toBe('ws://127.0.0.1:8421/api');
    expect(apiUrlFor({ protocol: 'https:', host: 'kiosk.local' })).toBe('wss://kiosk.local/api');
  });

  it('sends calls as frames and resolves with the answer', async () => {
    const seen: WsClientFrame[] = [];
    const srv = await startServer((f, reply) => (seen.push(f), echo(f, reply)));
    cleanups.push(srv.close);
    const c = client(srv.url);
    expect(await c.api.borrow({ itemIds: ['a', 'b'] })).toEqual({ ok: true, method: 'borrow' });
    expect(seen).toEqual([{ type: 'call', id: 1, method: 'borrow', params: { itemIds: ['a', 'b'] } }]);
  });

  it('rejects with the coded error the host sent', async () => {
    const srv = await startServer((f, reply) => reply({ type: 'error', id: f.id, code: 'FORBIDDEN' }));
    cleanups.push(srv.close);
    const err = await client(srv.url)
      .api.forceSync({})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('FORBIDDEN');
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const srv = await startServer(echo);
    cleanups.push(srv.close);
    const c = client(srv.url);
    await opened(c);
    const got: unknown[] = [];
    const off = c.api.on('view', (v) => got.push(v));
    srv.broadcast({ type: 'event', name: 'view', payload: { screen: 'idle' } });
    await expect.poll(() => got.length).toBe(1);
    off();
    srv.broadcast({ type: 'event', name: 'view', payload: { screen: 'session' } });
    await c.api.getView({}); // a round trip after the second event: it has been seen and dropped
    expect(got).toEqual([{ screen: 'idle' }]);
  });

  it('reconnects after the host drops it, and a call made meanwhile goes through', async () => {
    const srv = await startServer(echo);
    cleanups.push(srv.close);
    const c = client(srv.url);
    await opened(c);
    const states: string[] = [];
    c.onState((s) => states.push(s));
    srv.dropAll();
    await expect.poll(() => states.includes('connecting')).toBe(true);
    const answer = c.api.endSession({});
    await expect(answer).resolves.toEqual({ ok: true, method: 'endSession' });
    expect(c.state()).toBe('open');
  });

  it('keeps trying while the host is down and connects when it comes back', async () => {
    const srv = await startServer(echo);
    const port = srv.port;
    await srv.close();
    const c = client(`ws://127.0.0.1:${port}/api`);
    await new Promise((r) => setTimeout(r, 150)); // a few refused attempts
    expect(c.state()).toBe('connecting');
    const back = await startServer(echo, port);
    cleanups.push(back.close);
    await opened(c);
    expect(await c.api.activity({})).toEqual({ ok: true, method: 'activity' });
  });

  it('fails a call that gets no answer, with a code rather than hanging', async () => {
    const srv = await startServer(() => {});
    cleanups.push(srv.close);
    const err = await client(srv.url, { callTimeoutMs: 100 })
      .api.getView({})
      .catch((e: unknown) => e);
    expect((err as AppError).code).toBe('INTERNAL');
  });

  it('ignores frames that are not JSON or answer nothing it asked', async () => {
    const srv = await startServer((f, reply) => {
      srv.sockets.forEach((s) => s.send('not json'));
      reply({ type: 'result', id: 999, value: 'stray' });
      echo(f, reply);
    });
    cleanups.push(srv.close);
    expect(await client(srv.url).api.getView({})).toEqual({ ok: true, method: 'getView' });
  });
});
