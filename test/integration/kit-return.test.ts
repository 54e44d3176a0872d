/**
 * Issue 16, kits and a report per item: a kit's named parts reach the kiosk with the catalog;
 * at its return the person says which parts came back, and a missing one makes the kit
 * "needs check" (incomplete) with the list, at the kiosk at once (offline too) and on the
 * server, in the item and its history. What is said of one item of a return is said of that
 * item only: the rest of the same return stays lendable.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminItem, ItemDetailResponse } from '../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

let server: TestServer;
let kiosk: TestKiosk;
let admin: string;
const PARTS = ['카메라 본체', '배터리 1', '배터리 2', '충전기'];

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true); // the return below happens while the server is away
  admin = await server.adminToken();
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

const api = async <T>(method: string, path: string, body?: object): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

async function session(badge: string = DEMO_PEOPLE[0].badge) {
  kiosk.core.badge(badge);
  const v = await kiosk.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

it('a kit returned with a part missing waits for a check with the list; the other item of the return does not', async () => {
  const { item: kit } = await api<{ item: AdminItem }>('POST', '/v1/admin/items', {
    tag: 'KIT-A7',
    name: 'Sony A7 IV 키트',
    category: '카메라 Cameras',
    loanDays: 3,
    parts: PARTS,
  });
  await kiosk.core.pullCatalog();
  const before = await session();
  expect(before.items.find((i) => i.id === kit.id)).toMatchObject({ parts: PARTS, blockedFor: null });
  const other = before.items.find((i) => i.available && !i.blockedFor && i.id !== kit.id && !i.parts)!;
  expect(other.parts).toBeUndefined();
  expect(await kiosk.core.api.borrow({ itemIds: [kit.id, other.id] })).toEqual({ ok: true });
  await session();

  // A report naming an item that is not being returned is the screen's mistake: nothing is written.
  expect(
    await kiosk.core.api.returnItems({
      itemIds: [kit.id],
      reports: [{ itemId: other.id, condition: 'damaged' }],
    }),
  ).toEqual({ ok: false, code: 'BAD_REQUEST' });

  await server.stop(); // the report must hold before the server hears of it
  expect(
    await kiosk.core.api.returnItems({
      itemIds: [kit.id, other.id],
      reports: [{ itemId: kit.id, missingParts: ['배터리 2'], note: ' 배터리 하나는 내일 가져올게요 ' }],
    }),
  ).toEqual({ ok: true });

  const next = await session(DEMO_PEOPLE[1].badge);
  expect(next.items.find((i) => i.id === kit.id)).toMatchObject({
    available: true,
    blockedFor: 'ITEM_NEEDS_CHECK',
  });
  expect(next.items.find((i) => i.id === other.id)).toMatchObject({ available: true, blockedFor: null });
  await kiosk.core.api.endSession({});

  await server.start();
  await drainOutbox(kiosk);
  const detail = await api<ItemDetailResponse>('GET', `/v1/admin/items/${kit.id}`);
  expect(detail.item).toMatchObject({
    condition: 'needs_check',
    conditionReport: 'incomplete',
    conditionNote: '배터리 하나는 내일 가져올게요',
    missingParts: ['배터리 2'],
    parts: PARTS,
    holder: null,
  });
  expect(detail.conditions).toEqual([
    expect.objectContaining({ condition: 'needs_check', report: 'incomplete', missingParts: ['배터리 2'] }),
  ]);
  const plain = await api<ItemDetailResponse>('GET', `/v1/admin/items/${other.id}`);
  expect(plain.item).toMatchObject({ condition: 'ok', missingParts: null, holder: null });

  // Staff find the battery and clear the check: the list goes with it.
  const cleared = await api<{ item: AdminItem }>('POST', `/v1/admin/items/${kit.id}/condition`, {
    condition: 'ok',
    note: '배터리 2 반납 확인',
  });
  expect(cleared.item).toMatchObject({ condition: 'ok', conditionReport: null, missingParts: null });
});
