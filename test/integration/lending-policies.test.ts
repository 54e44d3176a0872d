/**
 * Issue 16, lending policies at the kiosk: the rules reach the kiosk with the catalog; a
 * cart some of whose items a rule stops keeps the rest, each stopped item named with its
 * rule and numbers; the receipt's due date skips closed days; an offline kiosk (restarted
 * too) enforces the same rules; the server judges them again at sync.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY_MS, defaultPolicies, localDate, type PolicySet } from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

let server: TestServer;
let kiosk: TestKiosk;
/** Kept across the kiosk's restart. */
const kioskDir = mkdtempSync(join(tmpdir(), 'rental-kiosk-policies-'));
const LAPTOPS = '노트북 Laptops';
const CAMERAS = '카메라 Cameras';
const TZ = 'Asia/Seoul';

/** Tomorrow and the day after (room time) are closed: any loan falls due later. */
const today = localDate(Date.now(), TZ);
const closed = [1, 2, 3].map((n) => localDate(Date.now() + n * DAY_MS, TZ));
const policies: PolicySet = {
  ...defaultPolicies(3),
  timeZone: TZ,
  hours: Array.from({ length: 7 }, () => ({ open: '09:00', close: '18:00' })),
  closedDays: closed,
  rules: [
    { category: LAPTOPS, role: null, maxPerCategory: 1, loanDays: 1 },
    { category: CAMERAS, role: 'member', mayBorrow: false },
  ],
};

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    dataDir: kioskDir,
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await savePolicies(
    server.deps().store,
    policies,
    { kind: 'user', id: null, name: 't', via: null },
    Date.now(),
  );
  await kiosk.core.pullCatalog();
  await kiosk.roster.refresh(true);
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
  rmSync(kioskDir, { recursive: true, force: true });
});

async function session(badge: string = DEMO_PEOPLE[0].badge) {
  kiosk.core.badge(badge);
  const v = await kiosk.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

it('keeps the rest of the cart, naming each stopped item with its rule and numbers', async () => {
  const s = await session();
  const laptops = s.items.filter((i) => i.category === LAPTOPS && i.available && !i.blockedFor).slice(0, 2);
  const camera = s.items.find((i) => i.category === CAMERAS && i.available)!;
  // A member may not borrow cameras: the list says so before anything is tried.
  expect(camera.blockedFor).toBe('CATEGORY_NOT_ALLOWED');
  // Laptops are lent for a day by the rule (the items say 7): the list shows the rule's.
  expect(laptops.map((i) => i.loanDays)).toEqual([1, 1]);
  const tablet = s.items.find((i) => i.category.includes('Tablets') && i.available)!;
  const cart = [laptops[0]!.id, laptops[1]!.id, camera.id, tablet.id];
  expect(await kiosk.core.api.borrow({ itemIds: cart })).toEqual({
    ok: false,
    code: 'CATEGORY_LIMIT_REACHED',
    refused: [
      {
        itemId: laptops[1]!.id,
        code: 'CATEGORY_LIMIT_REACHED',
        category: LAPTOPS,
        limit: 1,
        have: 0,
        canTake: 1,
      },
      { itemId: camera.id, code: 'CATEGORY_NOT_ALLOWED', category: CAMERAS },
    ],
  });
  // What the rules allow goes; the receipt's due date skips the closed days.
  expect(await kiosk.core.api.borrow({ itemIds: [laptops[0]!.id, tablet.id] })).toEqual({ ok: true });
  const state = kiosk.core.state();
  if (state.screen !== 'receipt') throw new Error(state.screen);
  const due = state.receipt.lines.find((l) => l.itemId === laptops[0]!.id)!.dueAt!;
  const dueDay = localDate(due, TZ);
  expect(closed).not.toContain(dueDay);
  expect(dueDay > closed.at(-1)! || dueDay === today).toBe(true);
  expect(new Date(due).toLocaleTimeString('en-GB', { timeZone: TZ, hour12: false })).toBe('18:00:00');
  await drainOutbox(kiosk);
  // The server's loan is due at the same moment.
  const loans = await server.deps().store.openLoansOf(s.session!.user.id);
  expect(loans.find((l) => l.itemId === laptops[0]!.id)?.dueAt).toBe(due);
});

it('overall limit with numbers: you may have 3; you have 2, so you can take 1 more', async () => {
  const s = await session();
  const free = s.items.filter((i) => i.available && !i.blockedFor && i.category !== LAPTOPS).slice(0, 2);
  expect(await kiosk.core.api.borrow({ itemIds: free.map((i) => i.id) })).toEqual({
    ok: false,
    code: 'LOAN_LIMIT_REACHED',
    refused: [{ itemId: free[1]!.id, code: 'LOAN_LIMIT_REACHED', limit: 3, have: 2, canTake: 1 }],
  });
  await kiosk.core.api.endSession({});
});

it('offline, after a restart, the kiosk enforces the same rules from what the catalog brought', async () => {
  await server.stop();
  await kiosk.dispose();
  kiosk = await startTestKiosk({ serverUrl: server.url, dataDir: kioskDir });
  try {
    const s = await session(DEMO_PEOPLE[1].badge);
    expect(s.session!.offline).toBe(true);
    const laptops = s.items.filter((i) => i.category === LAPTOPS && i.available && !i.blockedFor).slice(0, 2);
    const result = await kiosk.core.api.borrow({ itemIds: laptops.map((i) => i.id) });
    expect(result).toMatchObject({
      ok: false,
      refused: [{ itemId: laptops[1]!.id, code: 'CATEGORY_LIMIT_REACHED', limit: 1 }],
    });
    await kiosk.core.api.endSession({});
  } finally {
    await server.start();
  }
});

it('a suspension reaches the kiosk with the tap and stops every item', async () => {
  const { store } = server.deps();
  const yuna = await store.findUserByEmail(DEMO_PEOPLE[3].email);
  await store.setSuspension(yuna!.id, { until: '2999-12-31', note: '장비 파손' });
  const s = await session(DEMO_PEOPLE[3].badge);
  // Said as the session opens, before anything is put in the cart.
  expect(s.session!.block).toEqual({ code: 'PERSON_SUSPENDED', until: '2999-12-31', note: '장비 파손' });
  const free = s.items.filter((i) => i.available && !i.blockedFor).slice(0, 2);
  const result = await kiosk.core.api.borrow({ itemIds: free.map((i) => i.id) });
  expect(result).toEqual({
    ok: false,
    code: 'PERSON_SUSPENDED',
    refused: free.map((i) => ({
      itemId: i.id,
      code: 'PERSON_SUSPENDED',
      until: '2999-12-31',
      note: '장비 파손',
    })),
  });
  await kiosk.core.api.endSession({});
  await store.setSuspension(yuna!.id, null);
});
