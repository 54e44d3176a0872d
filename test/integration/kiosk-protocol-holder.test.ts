/**
 * Issue 17, whose item is being returned: kiosks of protocol 4 get the first name (only) of
 * whoever holds each item on loan with the catalog, and the kiosk core shows it on the item
 * to the next person; kiosks of protocol 3 and 2 get exactly what they got before
 * (test/fixtures/wire-v3.ts, wire-v2.ts). Protocol 4 also brings what tells two people of one
 * name apart to the service mode's enrol list.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KIOSK_AUTH_SCHEME, KIOSK_PROTOCOL_HEADER } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { DEMO_ADMIN_BADGE, DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { CatalogResponseV2 } from '../fixtures/wire-v2.ts';
import { CatalogResponseV3 } from '../fixtures/wire-v3.ts';

let server: TestServer;
let kiosk: TestKiosk;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

async function kioskPost(path: string, version: number, body: object) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      [KIOSK_PROTOCOL_HEADER]: String(version),
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function catalog(version: number) {
  const res = await fetch(`${server.url}/v1/catalog`, {
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      [KIOSK_PROTOCOL_HEADER]: String(version),
    },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Array<Record<string, unknown>> };
}

async function session(badge: string) {
  kiosk.core.badge(badge);
  const v = await kiosk.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

it("a return of someone else's item names them by first name, at the kiosk, before it is committed", async () => {
  // 김민준 borrows an item here; it syncs, and the kiosk pulls the catalog again.
  const mine = await session(DEMO_PEOPLE[0].badge);
  const item = mine.items.find((i) => i.available && !i.blockedFor)!;
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  await drainOutbox(kiosk);
  await kiosk.core.pullCatalog();

  // 최유나 sees whose it is, by first name only.
  const next = await session(DEMO_PEOPLE[3].badge);
  expect(next.items.find((i) => i.id === item.id)).toMatchObject({ available: false, heldBy: '민준' });
  // Items nobody holds carry no name.
  expect(next.items.filter((i) => i.available).every((i) => i.heldBy === undefined)).toBe(true);
  await kiosk.core.api.endSession({});

  // On the wire: the first name, never the whole name; null for an item not on loan.
  const v4 = await catalog(4);
  const onWire = v4.items.find((i) => i.id === item.id)!;
  expect(onWire.heldBy).toBe('민준');
  expect(JSON.stringify(v4)).not.toContain('김민준');
  expect(v4.items.filter((i) => !i.onLoan).every((i) => i.heldBy === null)).toBe(true);

  // Once returned, the name goes with the next pull.
  await session(DEMO_PEOPLE[0].badge);
  expect(await kiosk.core.api.returnItems({ itemIds: [item.id] })).toEqual({ ok: true });
  await drainOutbox(kiosk);
  await kiosk.core.pullCatalog();
  await kiosk.core.api.endSession({});
  const after = await kiosk.waitForView((v) => v.screen === 'idle', 'idle');
  expect(after.items.find((i) => i.id === item.id)).toMatchObject({ available: true });
  expect(after.items.find((i) => i.id === item.id)!.heldBy).toBeUndefined();
});

it('kiosks of protocol 3 and 2 get the catalog they got before, with no holder', async () => {
  const v3 = await catalog(3);
  expect(check(CatalogResponseV3, v3)).toBe(true);
  expect(v3.items.some((i) => 'heldBy' in i)).toBe(false);
  const v2 = await catalog(2);
  expect(check(CatalogResponseV2, v2)).toBe(true);
  // A version 4 answer is one a version 3 kiosk would refuse: the gate matters.
  expect(check(CatalogResponseV3, await catalog(4))).toBe(false);
});

it('the enrol list tells people apart for protocol 4 and is as before for protocol 3', async () => {
  const { token } = (await kioskPost('/v1/badge-tap', 4, { credential: DEMO_ADMIN_BADGE })) as {
    token: string;
  };
  const v4 = (await kioskPost('/v1/kiosk/people', 4, { token })) as { people: Record<string, unknown>[] };
  expect(v4.people.find((p) => p.displayName === '김민준')).toEqual({
    id: expect.any(String),
    displayName: '김민준',
    department: null,
    employeeNumber: null,
    email: DEMO_PEOPLE[0].email,
  });
  const v3 = (await kioskPost('/v1/kiosk/people', 3, { token })) as { people: Record<string, unknown>[] };
  for (const p of v3.people) expect(Object.keys(p).sort()).toEqual(['displayName', 'id']);
});
