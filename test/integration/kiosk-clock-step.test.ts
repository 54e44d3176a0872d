/**
 * Issue 14.2, the kiosk's side: with the kiosk offline, its wall clock set back a day or
 * forward a year. Before, the receipt showed due dates a day (or a year) off, the rows were
 * stamped with the wrong time as if it were trusted, and a forward jump made the roster look
 * expired. Now the kiosk reads server time from its last sample plus the monotonic time since,
 * so the session opens, the receipt's due date is a loan period from the real time, and the
 * server applies the rows as they are (not TIME_DOUBTFUL).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';

const DAY = 86_400_000;
let server: TestServer;
let kiosk: TestKiosk;
/** The kiosk's wall clock: real time plus whatever the test sets it to. */
const wall = { jump: 0 };

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock: { now: () => Date.now() + wall.jump }, monotonic: () => performance.now() },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true);
  await server.stop();
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

it.each([
  ['set back a day', -DAY],
  ['set forward a year', 365 * DAY],
])('wall clock %s while offline: a session, true due dates and times', async (_, jump) => {
  wall.jump = jump;
  const person = jump < 0 ? DEMO_PEOPLE[0] : DEMO_PEOPLE[1];
  await kiosk.core.api.simulateTap({ credential: person.badge });
  const session = await kiosk.waitForView(
    (v) => v.screen === 'session' || v.screen === 'denied',
    'the offline session',
  );
  expect(session.screen).toBe('session');
  expect(Math.abs(Date.parse(session.now) - Date.now())).toBeLessThan(5_000);

  const item = session.items.find((i) => i.available && !i.blockedFor)!;
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  const receipt = (await kiosk.core.api.getView({})).receipt!;
  const due = Date.parse(receipt.lines[0]!.dueAt!);
  expect(Math.abs(due - (Date.now() + item.loanDays * DAY))).toBeLessThan(5_000);

  const [row] = kiosk.outbox.pending(100).filter((r) => r.itemId === item.id);
  expect(Math.abs(row!.occurredAt - Date.now())).toBeLessThan(5_000);
});

it('syncs those rows as they are once the server is back', async () => {
  await server.start();
  await drainOutbox(kiosk);
  const db = new Database(join(kiosk.dataDir, 'kiosk.db'), { readonly: true });
  const answered = db.prepare('SELECT state, result_code AS code FROM outbox').all();
  db.close();
  expect(answered).toEqual([
    { state: 'applied', code: null },
    { state: 'applied', code: null },
  ]);
  expect(kiosk.outbox.stats()).toMatchObject({ pending: 0, needsAttention: 0 });
  const open = await server.loans('open');
  expect(open).toHaveLength(2);
  for (const loan of open) expect(Math.abs(Date.parse(loan.borrowedAt) - Date.now())).toBeLessThan(60_000);
});
