/**
 * Outages: a borrow made while the server is down is committed locally, shown as pending,
 * and applied exactly once when the server is back, even if the kiosk restarts in between
 * or the same batch reaches the server twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTransaction } from '../../src-main/core/outbox/outbox.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

let server: TestServer;
let kiosk: TestKiosk;
const clock = { now: () => Date.now() };

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
});

afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

describe('offline borrow', () => {
  it('commits while the server is down and applies exactly once when it is back', async () => {
    await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
    const session = await kiosk.waitForView((v) => v.screen === 'session', 'the session');
    const item = session.items.find((i) => i.available && !i.blockedFor)!;

    await server.stop();
    expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
    const receipt = await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
    expect(receipt.receipt?.pendingSync).toBe(true);

    // The sync attempt fails: the row stays, the kiosk says it is offline.
    await kiosk.sync.flush();
    const offline = await kiosk.core.api.getView({});
    expect(offline.status.online).toBe(false);
    expect(offline.status.pending).toBe(1);
    expect(offline.items.find((i) => i.id === item.id)?.available).toBe(false);

    // Power cut: the kiosk process goes away with the row unsynced, and comes back.
    const dataDir = kiosk.dataDir;
    await kiosk.close();
    await server.start();
    kiosk = await startTestKiosk({ serverUrl: server.url, dataDir, ports: { clock } });
    await kiosk.sync.flush();
    expect(kiosk.outbox.stats().pending).toBe(0);

    const loans = await server.loans('all');
    expect(loans.filter((l) => l.itemId === item.id)).toHaveLength(1);
    expect((await kiosk.core.api.getView({})).status.online).toBe(true);
  });

  it('answers a replayed batch with duplicate and the first result, changing nothing', async () => {
    const before = await server.loans('all');
    const db = (await import('better-sqlite3')).default(`${kiosk.dataDir}/kiosk.db`, { readonly: true });
    const row = db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT 1').get() as {
      id: string;
      seq: number;
      kind: 'borrow';
      item_id: string;
      user_id: string;
      occurred_at: number;
      clock_trusted: number;
      auth: string;
      note: string | null;
    };
    db.close();
    const tx = toTransaction({
      id: row.id,
      seq: row.seq,
      kind: row.kind,
      itemId: row.item_id,
      userId: row.user_id,
      occurredAt: row.occurred_at,
      clockTrusted: row.clock_trusted === 1,
      auth: JSON.parse(row.auth),
      note: row.note,
    });
    const client = (await import('../../src-main/core/server-client.ts')).createServerClient({
      baseUrl: server.url,
      local: clock,
      serverClock: kiosk.serverClock,
      assertion: () => kiosk.assertion(),
    });
    const res = await client.sync([tx]);
    expect(res.results).toEqual([
      expect.objectContaining({
        id: tx.id,
        status: 'duplicate',
        first: expect.objectContaining({ status: 'applied' }),
      }),
    ]);
    expect(await server.loans('all')).toEqual(before);
  });
});
