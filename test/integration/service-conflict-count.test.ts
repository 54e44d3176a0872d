/**
 * Issue 15: service mode went on counting a conflict after staff resolved it on the
 * dashboard (the kiosk only knew its own outbox). Now each heartbeat answer says how many of
 * this kiosk's transactions still wait for a person, and the count follows it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminConflict } from '../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { drainOutbox, quickScheduler } from '../fixtures/kiosk-driver.ts';

let server: TestServer;
let kiosk: TestKiosk;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { scheduler: quickScheduler },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

it('counts a conflict until staff resolve it on the dashboard', async () => {
  const { api } = kiosk.core;
  // 김민준 borrows; 이서연 brings it back: returned by someone else, a conflict to look at.
  kiosk.core.badge(DEMO_PEOPLE[0].badge);
  const s = await kiosk.waitForView((v) => v.screen === 'session', 'a session');
  const item = s.items.find((i) => i.available && !i.blockedFor)!;
  expect(await api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  kiosk.core.badge(DEMO_PEOPLE[1].badge);
  await kiosk.waitForView((v) => v.screen === 'session', 'the second session');
  expect(await api.returnItems({ itemIds: [item.id] })).toEqual({ ok: true });
  await drainOutbox(kiosk);

  await kiosk.waitForView((v) => v.status.needsAttention === 1, 'one conflict counted');
  // Heartbeats come and go: still one while it is open.
  await new Promise((r) => setTimeout(r, 700));
  expect((await api.getView({})).status.needsAttention).toBe(1);

  const admin = await server.adminToken();
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const { conflicts } = (await (await fetch(`${server.url}/v1/admin/conflicts`, { headers })).json()) as {
    conflicts: AdminConflict[];
  };
  expect(conflicts.map((c) => c.code)).toEqual(['RETURNED_BY_OTHER']);
  const res = await fetch(`${server.url}/v1/admin/conflicts/${conflicts[0]!.id}/resolve`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ note: '본인 대신 반납함, 확인 완료' }),
  });
  expect(res.status).toBe(200);
  await kiosk.waitForView((v) => v.status.needsAttention === 0, 'the count after the next heartbeat');
});
