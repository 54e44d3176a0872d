/**
 * Issue 16, item condition: a return reported damaged or incomplete makes the item "needs
 * check": not lendable, at the kiosk at once (before it syncs) and on the server, with the
 * report in the item's history; staff clear it (audited) and it is lent again. A kiosk that
 * did not know lends it anyway (physical truth) and the server flags ITEM_NEEDS_CHECK.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  KIOSK_AUTH_SCHEME,
  type AdminItem,
  type AuditEntry,
  type ItemDetailResponse,
} from '../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';

let server: TestServer;
let kiosk: TestKiosk;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true); // sessions while the server is away come from the roster
  admin = await server.adminToken();
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

const api = async <T>(method: string, path: string, body?: object): Promise<{ status: number; json: T }> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
};

async function session(badge: string = DEMO_PEOPLE[0].badge) {
  kiosk.core.badge(badge); // straight to the core: a quick second tap is not a repeat here
  const v = await kiosk.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

let itemId = '';

it('a return reported damaged blocks the item at the kiosk at once, then on the server', async () => {
  const s = await session();
  const item = s.items.find((i) => i.available && !i.blockedFor)!;
  itemId = item.id;
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  await session();
  await server.stop(); // the report must hold before the server hears of it
  expect(
    await kiosk.core.api.returnItems({
      itemIds: [item.id],
      reports: [{ itemId: item.id, condition: 'damaged' }],
    }),
  ).toEqual({
    ok: true,
  });

  const next = await session(DEMO_PEOPLE[1].badge);
  expect(next.items.find((i) => i.id === item.id)).toMatchObject({
    available: true,
    blockedFor: 'ITEM_NEEDS_CHECK',
  });
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({
    ok: false,
    code: 'ITEM_NEEDS_CHECK',
  });
  await kiosk.core.api.endSession({});

  await server.start();
  await drainOutbox(kiosk);
  const { json } = await api<ItemDetailResponse>('GET', `/v1/admin/items/${item.id}`);
  expect(json.item).toMatchObject({ condition: 'needs_check', conditionReport: 'damaged', holder: null });
  expect(json.conditions).toEqual([
    expect.objectContaining({
      condition: 'needs_check',
      report: 'damaged',
      by: { kind: 'kiosk', name: expect.any(String) },
    }),
  ]);
  expect(json.conditions[0]!.by.name).not.toMatch(/^ksk_/); // the kiosk's name, not its id
});

it('staff clear the check (audited) and the kiosk lends it again after its next catalog pull', async () => {
  const cleared = await api<{ item: AdminItem }>('POST', `/v1/admin/items/${itemId}/condition`, {
    condition: 'ok',
    note: '외관 점검 완료, 이상 없음',
  });
  expect(cleared.status).toBe(200);
  expect(cleared.json.item).toMatchObject({ condition: 'ok', conditionNote: '외관 점검 완료, 이상 없음' });
  const { json } = await api<{ entries: AuditEntry[] }>('GET', '/v1/admin/audit');
  expect(json.entries.find((e) => e.action === 'item.condition')?.detail).toContain('needs_check -> ok');

  await kiosk.core.pullCatalog();
  const s = await session(DEMO_PEOPLE[1].badge);
  expect(s.items.find((i) => i.id === itemId)?.blockedFor).toBeNull();
  expect(await kiosk.core.api.borrow({ itemIds: [itemId] })).toEqual({ ok: true });
});

it('in repair or lost is not lendable either; a kiosk that did not know lends it, flagged', async () => {
  const s = await session(DEMO_PEOPLE[2].badge);
  const item = s.items.find((i) => i.available && !i.blockedFor)!;
  await kiosk.core.api.endSession({});
  const repair = await api<{ item: AdminItem }>('POST', `/v1/admin/items/${item.id}/condition`, {
    condition: 'in_repair',
    note: '배터리 교체 중',
  });
  expect(repair.json.item.condition).toBe('in_repair');

  // A person at a kiosk that has not pulled the change yet borrows it: physical truth.
  const tap = await fetch(`${server.url}/v1/badge-tap`, {
    method: 'POST',
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ credential: DEMO_PEOPLE[2].badge }),
  });
  const { token, user } = (await tap.json()) as { token: string; user: { id: string } };
  const sync = await fetch(`${server.url}/v1/sync`, {
    method: 'POST',
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      transactions: [
        {
          id: randomUUID(),
          seq: 100_000,
          kind: 'borrow',
          itemId: item.id,
          userId: user.id,
          occurredAt: new Date().toISOString(),
          clockTrusted: true,
          auth: { kind: 'rental', token },
        },
      ],
    }),
  });
  const { results } = (await sync.json()) as { results: { status: string; code?: string }[] };
  expect(results[0]).toMatchObject({ status: 'conflict', code: 'ITEM_NEEDS_CHECK' });
  expect((await server.loans('open')).some((l) => l.itemId === item.id)).toBe(true);
});

it('refuses bad input with a typed error and changes nothing', async () => {
  const bad = await api<{ code: string }>('POST', `/v1/admin/items/${itemId}/condition`, {
    condition: 'broken',
    note: 'x',
  });
  expect(bad.status).toBe(400);
  const noNote = await api<{ code: string }>('POST', `/v1/admin/items/${itemId}/condition`, {
    condition: 'lost',
    note: '',
  });
  expect(noNote.status).toBe(400);
  const unknown = await api<{ code: string }>('POST', '/v1/admin/items/itm_nothing/condition', {
    condition: 'lost',
    note: 'x',
  });
  expect(unknown).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
  const { json } = await api<ItemDetailResponse>('GET', `/v1/admin/items/${itemId}`);
  expect(json.item.condition).toBe('ok');
});
