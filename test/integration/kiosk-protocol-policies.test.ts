/**
 * Issue 16, lending policies on the kiosk wire: kiosks of protocol 3 get the policies with
 * the catalog and a person's suspension with the tap, and a borrow the policies refuse is a
 * conflict naming the rule; kiosks of protocol 2 get exactly what they got before
 * (test/fixtures/wire-v2.ts), the rule named in a code they know.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KIOSK_AUTH_SCHEME, KIOSK_PROTOCOL_HEADER, defaultPolicies } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { CatalogResponseV2, SyncResponseV2, TapResponseV2 } from '../fixtures/wire-v2.ts';

let server: TestServer;
let kiosk: TestKiosk;
const CAMERAS = '카메라 Cameras';

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  const { store } = server.deps();
  await savePolicies(
    store,
    { ...defaultPolicies(5), rules: [{ category: CAMERAS, role: 'member', mayBorrow: false }] },
    { kind: 'user', id: null, name: 'test', via: null },
    Date.now(),
  );
  const seoyeon = await store.findUserByEmail(DEMO_PEOPLE[1].email);
  await store.setSuspension(seoyeon!.id, { until: '2999-01-01', note: '테스트' });
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

async function kioskCall(path: string, version: number, body?: object) {
  const res = await fetch(`${server.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      [KIOSK_PROTOCOL_HEADER]: String(version),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

it('a version 2 kiosk gets the catalog and the tap it got before; version 3 gets the policies', async () => {
  const v2 = await kioskCall('/v1/catalog', 2);
  expect(check(CatalogResponseV2, v2)).toBe(true);
  const v3 = await kioskCall('/v1/catalog', 3);
  expect(check(CatalogResponseV2, v3)).toBe(false);
  expect(v3.policies).toMatchObject({ rules: [{ category: CAMERAS, role: 'member', mayBorrow: false }] });

  const tap2 = await kioskCall('/v1/badge-tap', 2, { credential: DEMO_PEOPLE[1].badge });
  expect(check(TapResponseV2, tap2)).toBe(true);
  const tap3 = await kioskCall('/v1/badge-tap', 3, { credential: DEMO_PEOPLE[1].badge });
  expect(tap3.suspension).toEqual({ until: '2999-01-01', note: '테스트' });
  const other = await kioskCall('/v1/badge-tap', 3, { credential: DEMO_PEOPLE[0].badge });
  expect(other.suspension).toBeNull();
});

it('a borrow the policies refuse is a conflict naming the rule, in a code each kiosk knows', async () => {
  const { items } = (await kioskCall('/v1/catalog', 3)) as {
    items: { id: string; category: string; onLoan: boolean }[];
  };
  const cameras = items.filter((i) => i.category === CAMERAS && !i.onLoan);
  const borrow = async (version: number, itemId: string, seq: number) => {
    const tap = await kioskCall('/v1/badge-tap', version, { credential: DEMO_PEOPLE[0].badge });
    return kioskCall('/v1/sync', version, {
      transactions: [
        {
          id: randomUUID(),
          seq,
          kind: 'borrow',
          itemId,
          userId: (tap.user as { id: string }).id,
          occurredAt: new Date().toISOString(),
          clockTrusted: true,
          auth: { kind: 'rental', token: tap.token as string },
        },
      ],
    });
  };
  const v3 = await borrow(3, cameras[0]!.id, 101);
  expect(v3.results).toEqual([expect.objectContaining({ status: 'conflict', code: 'CATEGORY_NOT_ALLOWED' })]);
  const v2 = await borrow(2, cameras[1]!.id, 102);
  expect(check(SyncResponseV2, v2)).toBe(true);
  expect(v2.results).toEqual([expect.objectContaining({ status: 'conflict', code: 'ITEM_NOT_ALLOWED' })]);
  // The server keeps the rule's own code for the dashboard.
  const conflicts = await server.deps().store.conflicts('open');
  expect(conflicts.map((c) => c.code)).toEqual(expect.arrayContaining(['CATEGORY_NOT_ALLOWED']));
});
