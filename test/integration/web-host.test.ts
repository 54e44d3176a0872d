/**
 * The web host: the KioskApi over a real WebSocket, with the origin checked, bad frames
 * answered with BAD_REQUEST, and static files confined to the renderer folder.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  KIOSK_EVENT_NAMES,
  type EventPayload,
  type KioskApi,
  type KioskEvent,
  type KioskView,
  type WsServerFrame,
} from '../../protocol/index.ts';
import { silentLogger } from '../../src-main/core/ports.ts';
import { createWebHost, type WebHost } from '../../src-main/web-host/web-host.ts';

const view = { screen: 'idle' } as unknown as KioskView;
const calls: unknown[] = [];
const api: KioskApi = {
  getView: async () => view,
  borrow: async (p) => (calls.push(p), { ok: true }),
  returnItems: async () => ({ ok: true }),
  renew: async () => ({ ok: true }),
  endSession: async () => ({ ok: true }),
  activity: async () => ({ ok: true }),
  simulateTap: async () => ({ ok: true }),
  simulateScan: async () => ({ ok: true }),
  keyboardInput: async () => ({ ok: true }),
  forceSync: async () => ({ ok: true }),
  startEnrol: async () => ({ ok: true }),
  cancelEnrol: async () => ({ ok: true }),
  on(event, listener) {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (p: unknown) => void);
    return () => void set.delete(listener as (p: unknown) => void);
  },
};
const listeners = new Map<KioskEvent, Set<(payload: unknown) => void>>();
/** One payload per event: a new event in KIOSK_EVENTS does not compile here until it has one. */
const SAMPLES: { [E in KioskEvent]: EventPayload<E> } = {
  view,
  scan: { tag: 'LB-002', itemId: null, at: '2026-12-02T10:00:00.000Z' },
};

let host: WebHost;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'nope');
  host = createWebHost({ api, rendererDir: dir, logger: silentLogger });
  ({ url } = await host.listen('127.0.0.1', 0));
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(origin: string | undefined) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}api`, origin ? { origin } : {});
  const frames: WsServerFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as WsServerFrame));
  return { ws, frames };
}
const opened = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
const until = async (pred: () => boolean) => {
  for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(pred()).toBe(true);
};

describe('web host', () => {
  it('serves the UI with a strict CSP and never outside its folder', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect((await fetch(`${url}assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    for (const path of ['..%2fsecret.txt', '%2e%2e/%2e%2e/secret.txt', 'assets/../../secret.txt'])
      expect((await fetch(`${url}${path}`)).status).toBe(404);
  });

  it('refuses WebSockets from other origins', async () => {
    for (const origin of ['http://evil.example', undefined]) {
      const { ws } = connect(origin);
      await expect(opened(ws)).rejects.toThrow(/403/);
    }
  });

  it('pushes the view on connect, runs valid calls and rejects bad ones', async () => {
    const { ws, frames } = connect(url.replace(/\/$/, ''));
    await opened(ws);
    await until(() => frames.some((f) => f.type === 'event'));
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'borrow', params: { itemIds: ['a1'] } }));
    ws.send(JSON.stringify({ type: 'call', id: 2, method: 'borrow', params: { itemIds: [] } }));
    ws.send(JSON.stringify({ type: 'call', id: 3, method: 'constructor', params: {} }));
    ws.send(JSON.stringify({ type: 'call', id: 4, method: 'borrow', params: { itemIds: ['a'], extra: 1 } }));
    ws.send('not json');
    await until(() => frames.length >= 6);
    expect(frames).toContainEqual({ type: 'result', id: 1, value: { ok: true } });
    expect(frames).toContainEqual({ type: 'error', id: 2, code: 'BAD_REQUEST' });
    expect(frames).toContainEqual({ type: 'error', id: 3, code: 'BAD_REQUEST' });
    expect(frames).toContainEqual({ type: 'error', id: 4, code: 'BAD_REQUEST' });
    expect(frames).toContainEqual({ type: 'error', id: -1, code: 'BAD_REQUEST' });
    expect(calls).toEqual([{ itemIds: ['a1'] }]);
    ws.close();
  });

  it('forwards every KioskApi event to the page, and stops when the page goes', async () => {
    const { ws, frames } = connect(url.replace(/\/$/, ''));
    await opened(ws);
    await until(() => frames.some((f) => f.type === 'event'));
    frames.length = 0;
    for (const name of KIOSK_EVENT_NAMES) for (const l of listeners.get(name) ?? []) l(SAMPLES[name]);
    await until(() => frames.length === KIOSK_EVENT_NAMES.length);
    expect(frames).toEqual(
      KIOSK_EVENT_NAMES.map((name) => ({ type: 'event', name, payload: SAMPLES[name] })),
    );
    ws.close();
    await until(() => KIOSK_EVENT_NAMES.every((name) => (listeners.get(name)?.size ?? 0) === 0));
  });
});
