/**
 * Issue 21, upgrades: kiosks one version older keep working against a newer server. They
 * validate answers strictly, so a server that added fields (item condition, open conflicts,
 * lastSeq) sends them only to kiosks that name version 2; a kiosk that names no version gets
 * answers the previous release's schemas (test/fixtures/wire-v1.ts) accept, and its
 * transactions, without the new fields, are applied.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KIOSK_AUTH_SCHEME, KIOSK_PROTOCOL_HEADER } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { CatalogResponseV1, HeartbeatResponseV1 } from '../fixtures/wire-v1.ts';

let server: TestServer;
let kiosk: TestKiosk;
let checkedItemId = '';

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  // One item waits for a check: a field version 1 does not know.
  const [item] = (await server.deps().store.itemsSince(null)).items;
  checkedItemId = item!.id;
  await server.deps().store.setItemCondition({
    itemId: checkedItemId,
    at: Date.now(),
    condition: 'needs_check',
    report: 'damaged',
    note: null,
    by: { kind: 'user', name: 'test' },
    txId: null,
  });
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

/** A request as a kiosk of `version` sends it (none: the previous release sent no header). */
async function kioskCall(path: string, version: number | null, body?: object) {
  const res = await fetch(`${server.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
      ...(version === null ? {} : { [KIOSK_PROTOCOL_HEADER]: String(version) }),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

const heartbeat = {
  appVersion: '0.1.0',
  queueDepth: 0,
  oldestUnsyncedAgeS: null,
  readers: [],
  clockOffsetMs: 0,
};

it('answers a kiosk that names no version in the previous release format', async () => {
  const catalog = await kioskCall('/v1/catalog', null);
  expect(check(CatalogResponseV1, catalog)).toBe(true);
  expect(check(HeartbeatResponseV1, await kioskCall('/v1/kiosk/heartbeat', null, heartbeat))).toBe(true);
  // A header with a version this server does not know yet is answered as the newest it knows.
  expect(await kioskCall('/v1/kiosk/heartbeat', 99, heartbeat)).toHaveProperty('lastSeq');
});

it('sends the new fields to a version 2 kiosk (what the previous release would refuse)', async () => {
  const catalog = await kioskCall('/v1/catalog', 2);
  expect(check(CatalogResponseV1, catalog)).toBe(false);
  expect((catalog.items as { condition?: string }[]).some((i) => i.condition === 'needs_check')).toBe(true);
  expect(await kioskCall('/v1/kiosk/heartbeat', 2, heartbeat)).toMatchObject({
    openConflicts: 0,
    lastSeq: 0,
  });
});

it('applies a previous-release transaction (no condition field) from a kiosk that names no version', async () => {
  const tap = await kioskCall('/v1/badge-tap', null, { credential: DEMO_PEOPLE[0].badge });
  const { items } = (await kioskCall('/v1/catalog', null)) as { items: { id: string; onLoan: boolean }[] };
  const free = items.filter((i) => !i.onLoan && i.id !== checkedItemId).at(-1)!;
  const { results } = (await kioskCall('/v1/sync', null, {
    transactions: [
      {
        id: randomUUID(),
        seq: 1,
        kind: 'borrow',
        itemId: free.id,
        userId: (tap.user as { id: string }).id,
        occurredAt: new Date().toISOString(),
        clockTrusted: true,
        auth: { kind: 'rental', token: tap.token as string },
      },
    ],
  })) as { results: { status: string }[] };
  expect(results[0]!.status).toBe('applied');
});
