/**
 * Issue 14.6: a damaged outbox crashed the kiosk process (an unhandled SqliteError from the
 * heartbeat's outbox.stats()) within a heartbeat while nobody was at the kiosk. Now every
 * periodic task catches and reports; the kiosk shows "out of service, call staff", tells the
 * dashboard which part failed, refuses to record anything, and an admin badge still opens
 * service mode, which names the fault.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminKiosksResponse } from '../../protocol/index.ts';
import { DEMO_ADMIN_BADGE, DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { quickScheduler } from '../fixtures/kiosk-driver.ts';

let server: TestServer;
let kiosk: TestKiosk;
let skew = 0;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { scheduler: quickScheduler, clock: { now: () => Date.now() + skew } },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

it('goes out of service when its outbox is damaged, keeps running, and says so to staff', async () => {
  // Another process damages the database under the running kiosk: its outbox table is gone.
  const other = new Database(join(kiosk.dataDir, 'kiosk.db'));
  other.exec('DROP TABLE outbox');
  other.close();

  const out = await kiosk.waitForView((v) => v.screen === 'outOfService', 'out of service');
  expect(out.status.storageFault).toMatch(/no such table: outbox/);
  expect(out.items).toEqual([]);
  // Several heartbeats and catalog pulls later the process is still here (an unhandled
  // rejection would fail this file), and the dashboard shows the failed part.
  await new Promise((r) => setTimeout(r, 1_500));
  const res = await fetch(`${server.url}/v1/admin/kiosks`, {
    headers: { authorization: `Bearer ${await server.adminToken()}` },
  });
  const { kiosks } = (await res.json()) as AdminKiosksResponse;
  const mine = kiosks.find((k) => k.id === kiosk.enrollment.kioskId)!;
  expect(JSON.stringify(mine)).toContain('kiosk-database');

  // A person's badge does not open a session the kiosk could not record.
  await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  await new Promise((r) => setTimeout(r, 500));
  const after = await kiosk.core.api.getView({});
  expect(after.screen).toBe('outOfService');
  expect((await kiosk.core.api.borrow({ itemIds: [out.items[0]?.id ?? 'itm_x'] })).ok).toBe(false);

  // An admin badge opens service mode, which names the fault.
  await kiosk.core.api.endSession({});
  skew += 5_000;
  await kiosk.core.api.simulateTap({ credential: DEMO_ADMIN_BADGE });
  const service = await kiosk.waitForView((v) => v.screen === 'service', 'service mode');
  expect(service.status.storageFault).toMatch(/no such table: outbox/);
});
