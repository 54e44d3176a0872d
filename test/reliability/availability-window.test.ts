/**
 * A bug found by the crash suite (its `conflict:ITEM_UNAVAILABLE` outcomes): when the sync
 * loop settled a borrow, the row left the pending set at once, but the catalog cache still
 * said "in" until the next catalog pull came back. In that window the kiosk showed the item
 * as available and let the next person borrow it, which the server recorded as a conflict.
 * Fixed in the outbox: settling a row moves the item in the cached catalog in the same
 * transaction (src-main/core/outbox/outbox.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

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

it('an item just borrowed never shows as available while the sync settles it', async () => {
  await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  const session = await kiosk.waitForView((v) => v.screen === 'session', 'the session');
  const item = session.items.find((i) => i.available && !i.blockedFor)!;
  const shown: boolean[] = [];
  const off = kiosk.core.api.on('view', (v) => shown.push(v.items.find((i) => i.id === item.id)!.available));
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  await kiosk.sync.flush();
  // Let the catalog pull that follows a delivery come back.
  await kiosk.core.pullCatalog();
  off();
  expect(shown.length).toBeGreaterThan(2);
  expect(shown.filter((available) => available)).toEqual([]);
});
