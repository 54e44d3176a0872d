/**
 * Issue 16: the server judges the lending rules again at sync. Two kiosks, both offline, each
 * lend a camera to the same member, whose rule allows one at a time: each kiosk alone was
 * right, so both borrows stand (the cameras did leave), and the one synced second is a
 * conflict naming the rule, for staff to see.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultPolicies } from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const CAMERAS = '카메라 Cameras';
let server: TestServer;
let a: TestKiosk;
let b: TestKiosk;

beforeAll(async () => {
  server = await startTestServer();
  await savePolicies(
    server.deps().store,
    { ...defaultPolicies(5), rules: [{ category: CAMERAS, role: 'member', maxPerCategory: 1 }] },
    { kind: 'user', id: null, name: 'test', via: null },
    Date.now(),
  );
  a = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode('A') });
  b = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode('B') });
  for (const k of [a, b]) {
    await k.waitForView((v) => v.items.length > 0, 'the catalog');
    await k.roster.refresh(true);
  }
});
afterAll(async () => {
  await a?.dispose();
  await b?.dispose();
  await server?.dispose();
});

async function offlineBorrowCamera(k: TestKiosk, tag: string) {
  k.core.badge(DEMO_PEOPLE[0].badge);
  const v = await k.waitForView((v) => v.screen === 'session', 'an offline session');
  expect(v.session!.offline).toBe(true);
  const camera = v.items.find((i) => i.tag === tag)!;
  expect(await k.core.api.borrow({ itemIds: [camera.id] })).toEqual({ ok: true });
  await k.waitForView((v) => v.screen === 'receipt', 'the receipt');
  return camera.id;
}

it('each offline kiosk lends one camera; the second to sync is a conflict naming the rule', async () => {
  await server.stop();
  const first = await offlineBorrowCamera(a, 'CM-001');
  const second = await offlineBorrowCamera(b, 'CM-002');
  await server.start();
  await drainOutbox(a);
  await drainOutbox(b);
  const { store } = server.deps();
  const conflicts = await store.conflicts('open');
  // Whichever kiosk's sync came second (both kiosks sync by themselves once the server is back).
  expect(conflicts).toEqual([expect.objectContaining({ kind: 'borrow', code: 'CATEGORY_LIMIT_REACHED' })]);
  expect([first, second]).toContain(conflicts[0]!.itemId);
  // Physical truth: both cameras are with the member.
  const minjun = await store.findUserByEmail(DEMO_PEOPLE[0].email);
  const held = (await store.openLoansOf(minjun!.id)).map((l) => l.itemId);
  expect(held).toEqual(expect.arrayContaining([first, second]));
});
