/**
 * Issue 16, renewals with the real kiosk core and the real server: after a tap the kiosk
 * offers a renewal per loan with the new due date (from the old one, by the policies), a
 * renewal made while the server is down is committed to the outbox and applied exactly once
 * when it is back (due date moved, count up), a renewal the server judges against the rules
 * (renewals used up meanwhile) becomes a conflict naming the rule with the loan unchanged,
 * and kiosks of protocol 4 get the tap answer they validate (no renewal counts).
 */
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DAY_MS,
  KIOSK_AUTH_SCHEME,
  KIOSK_PROTOCOL_HEADER,
  defaultPolicies,
  type PolicySet,
} from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { renewFromDashboard } from '../../server/sync/renewal.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { TapResponseV4 } from '../fixtures/wire-v4.ts';

let server: TestServer;
/** The server's store now (a stopped and started server has a new one). */
const st = () => server.deps().store;
let kiosk: TestKiosk;
const clock = { now: () => Date.now() };
/** No hours, no closed days: a renewal adds exactly one loan period to the old due date. */
const policies: PolicySet = {
  ...defaultPolicies(5),
  timeZone: 'UTC',
  default: { ...defaultPolicies(5).default, maxRenewals: 1 },
};
const actor = { kind: 'user' as const, id: null, name: 't', via: null };

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await savePolicies(st(), policies, actor, Date.now());
  await kiosk.core.pullCatalog();
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

async function session(badge = DEMO_PEOPLE[0].badge) {
  kiosk.core.badge(badge);
  const v = await kiosk.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

/** Borrow `n` free items and sync them; returns their ids. */
async function borrow(n: number): Promise<string[]> {
  const s = await session();
  const held = new Set(s.session!.loans.map((l) => l.itemId));
  const ids = s.items
    .filter((i) => i.available && !i.blockedFor && !held.has(i.id))
    .slice(0, n)
    .map((i) => i.id);
  expect(await kiosk.core.api.borrow({ itemIds: ids })).toEqual({ ok: true });
  await drainOutbox(kiosk);
  await kiosk.core.api.endSession({});
  return ids;
}

it('offline: a renewal is committed, shown with its new due date, and applied once when the server is back', async () => {
  const [itemId] = await borrow(1);
  const before = (await st().openLoanOfItem(itemId!))!;
  expect(before.renewals).toBe(0);

  const s = await session();
  const loan = s.session!.loans.find((l) => l.itemId === itemId)!;
  expect(loan.renewals).toBe(0);
  const option = s.session!.renewals!.find((o) => o.itemId === itemId)!;
  // Shown before anyone confirms: from the old due date, one loan period (the item's) on.
  const item = s.items.find((i) => i.id === itemId)!;
  expect(option).toEqual({
    itemId,
    newDueAt: new Date(before.dueAt + item.loanDays * DAY_MS).toISOString(),
    refusal: null,
  });

  await server.stop();
  expect(await kiosk.core.api.renew({ itemIds: [itemId!] })).toEqual({ ok: true });
  const receipt = await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
  expect(receipt.receipt).toMatchObject({
    kind: 'renew',
    pendingSync: true,
    lines: [{ itemId, dueAt: option.newDueAt }],
  });
  await kiosk.sync.flush();
  expect(kiosk.outbox.stats().pending).toBe(1);
  await kiosk.core.api.endSession({});

  await server.start();
  await kiosk.sync.flush();
  expect(kiosk.outbox.stats().pending).toBe(0);
  const after = (await st().findLoan(before.id))!;
  expect(after).toMatchObject({
    dueAt: before.dueAt + item.loanDays * DAY_MS,
    renewals: 1,
    returnedAt: null,
  });
  expect(new Date(after.dueAt).toISOString()).toBe(option.newDueAt);

  // Sent again (a lost acknowledgement): answered as a duplicate, nothing moves twice.
  kiosk.outbox.reopenAfter(0);
  await kiosk.sync.flush();
  expect(kiosk.outbox.stats().pending).toBe(0);
  expect(await st().findLoan(before.id)).toMatchObject({ dueAt: after.dueAt, renewals: 1 });

  // The next tap shows the renewed loan, with no renewal left (the rule allows one).
  const next = await session();
  expect(next.session!.loans.find((l) => l.itemId === itemId)).toMatchObject({
    dueAt: new Date(after.dueAt).toISOString(),
    renewals: 1,
  });
  expect(next.session!.renewals!.find((o) => o.itemId === itemId)).toEqual({
    itemId,
    newDueAt: null,
    refusal: { code: 'RENEWAL_LIMIT_REACHED', limit: 1, used: 1 },
  });
  expect(await kiosk.core.api.renew({ itemIds: [itemId!] })).toEqual({
    ok: false,
    code: 'RENEWAL_LIMIT_REACHED',
    refused: [{ itemId, code: 'RENEWAL_LIMIT_REACHED', limit: 1, used: 1 }],
  });
  await kiosk.core.api.endSession({});
});

it('a renewal the server judges exhausted at sync is a conflict naming the rule; the loan stays as it was', async () => {
  const [itemId] = await borrow(1);
  await session();
  await server.stop();
  expect(await kiosk.core.api.renew({ itemIds: [itemId!] })).toEqual({ ok: true });
  await kiosk.core.api.endSession({});
  // Meanwhile staff renewed the same loan on the dashboard: the one renewal is used.
  await server.start();
  const loan = (await st().openLoanOfItem(itemId!))!;
  await renewFromDashboard(st(), {
    loanId: loan.id,
    ownerOnly: null,
    actor,
    now: Date.now(),
    policies,
    maxLoans: 5,
  });
  const staffDue = (await st().findLoan(loan.id))!.dueAt;
  await drainOutbox(kiosk);
  expect(kiosk.outbox.stats()).toMatchObject({ pending: 0, needsAttention: 1 });
  const conflicts = (await st().conflicts('all')).filter((c) => c.kind === 'renew' && c.itemId === itemId);
  expect(conflicts).toMatchObject([{ status: 'conflict', code: 'RENEWAL_LIMIT_REACHED' }]);
  expect(await st().findRecordedTx(conflicts[0]!.id)).toMatchObject({ loanId: loan.id });
  // Physical truth: the person still has it; the due date is the one staff gave, once.
  expect(await st().findLoan(loan.id)).toMatchObject({ dueAt: staffDue, renewals: 1, returnedAt: null });
});

it('a kiosk of protocol 4 gets loans without renewal counts (its strict schema), 5 with them', async () => {
  const tap = async (version: number) => {
    const res = await fetch(`${server.url}/v1/badge-tap`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}`,
        [KIOSK_PROTOCOL_HEADER]: String(version),
      },
      body: JSON.stringify({ credential: DEMO_PEOPLE[0].badge }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { loans: { renewals?: number }[] };
  };
  const v4 = await tap(4);
  expect(v4.loans.length).toBeGreaterThan(0);
  expect(Value.Check(TapResponseV4, v4)).toBe(true);
  const v5 = await tap(5);
  expect(v5.loans.every((l) => typeof l.renewals === 'number')).toBe(true);
  expect(Value.Check(TapResponseV4, v5)).toBe(false);
});
