/**
 * Issue 16, reservations at the kiosk with the real kiosk core and the real server: a
 * reservation made on the server reaches the kiosk with the catalog; its holder sees it first
 * and takes it with one touch, and the server marks it picked up by that loan; anyone else is
 * refused at the kiosk with the reason and when the item is free again; and two kiosks, both
 * offline, each lending one of a category that a reservation needs the last of: each alone was
 * right, both items did leave, and the sync makes the second a conflict naming the reservation.
 * A renewal that would keep an item into someone else's reservation is refused at the kiosk,
 * with the rule, before anything is written. A holder who comes a little early takes their
 * reservation as such.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toIso } from '../../protocol/index.ts';
import { currentPolicies } from '../../server/policies/policies.ts';
import { RESERVATION_DEFAULTS, createReservation } from '../../server/reservations/reserve.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const HOUR = 60 * 60_000;
const [MINJUN, SEOYEON, , YUNA] = DEMO_PEOPLE;
let server: TestServer;
const st = () => server.deps().store;
let a: TestKiosk;
let b: TestKiosk;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const add = async (tag: string, name: string, category: string) =>
    (ids[tag] = (
      await st().createItem({ tag, name, category, loanDays: 3, restrictedTo: null, lockerSlot: null })
    ).id);
  await add('DR-1', 'DJI Mini 4', '드론 Drones');
  await add('GB-1', 'DJI RS 3', '짐벌 Gimbals');
  await add('GB-2', 'Zhiyun Weebill', '짐벌 Gimbals');
  a = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode('A') });
  b = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode('B') });
  for (const k of [a, b]) {
    await k.waitForView((v) => v.items.some((i) => i.tag === 'GB-2'), 'the catalog');
    await k.roster.refresh(true);
  }
});
afterAll(async () => {
  await a?.dispose();
  await b?.dispose();
  await server?.dispose();
});

const userId = async (p: (typeof DEMO_PEOPLE)[number]) => (await st().findUserByEmail(p.email))!.id;

/** A reservation made on the server (as the dashboard makes it), from now for three hours. */
async function reserve(who: (typeof DEMO_PEOPLE)[number], what: { itemId: string } | { category: string }) {
  const now = Date.now();
  return createReservation(st(), {
    ...what,
    userId: await userId(who),
    startsAt: now,
    endsAt: now + 3 * HOUR,
    actor: { kind: 'user', id: null, name: 'test', via: null },
    now,
    policies: (await currentPolicies(st(), 5)).policies,
    settings: RESERVATION_DEFAULTS,
  });
}

async function tap(k: TestKiosk, who: (typeof DEMO_PEOPLE)[number]) {
  k.core.badge(who.badge);
  const v = await k.waitForView((v) => v.screen === 'session' || v.screen === 'denied', 'a session');
  expect(v.error ?? v.screen).toBe('session');
  return v;
}

it('reaches the kiosk with the catalog: another person is refused with when it is free; the holder takes it with one touch and the server marks it picked up', async () => {
  const r = await reserve(MINJUN, { itemId: ids['DR-1']! });
  await a.core.pullCatalog();

  // Someone else: the drone is marked reserved, and a borrow of it is refused with the reason.
  const other = await tap(a, SEOYEON);
  expect(other.session!.reservedForYou).toBeUndefined();
  expect(other.items.find((i) => i.id === ids['DR-1'])).toMatchObject({
    available: true,
    blockedFor: 'ITEM_RESERVED',
    freeAt: toIso(r.endsAt),
  });
  expect(await a.core.api.borrow({ itemIds: [ids['DR-1']!] })).toEqual({
    ok: false,
    code: 'ITEM_RESERVED',
    refused: [{ itemId: ids['DR-1'], code: 'ITEM_RESERVED', freeAt: toIso(r.endsAt) }],
  });
  expect(a.outbox.stats().pending).toBe(0);
  await a.core.api.endSession({});

  // The holder: first in their session, with the item one touch borrows.
  const mine = await tap(a, MINJUN);
  expect(mine.session!.reservedForYou).toEqual([
    expect.objectContaining({
      reservationId: r.id,
      itemId: ids['DR-1'],
      itemName: 'DJI Mini 4',
      byName: true,
    }),
  ]);
  expect(mine.items.find((i) => i.id === ids['DR-1'])!.blockedFor).toBeNull();
  const touch = mine.session!.reservedForYou![0]!;
  expect(await a.core.api.borrow({ itemIds: [touch.itemId!] })).toEqual({ ok: true });
  await a.waitForView((v) => v.screen === 'receipt', 'the receipt');
  await a.core.api.endSession({});
  await drainOutbox(a);
  const loan = await st().openLoanOfItem(ids['DR-1']!);
  expect(loan?.userId).toBe(await userId(MINJUN));
  expect(await st().findReservation(r.id)).toMatchObject({ status: 'picked_up', loanId: loan!.id });
  expect(await st().conflicts('open')).toEqual([]);

  // Picked up: the next pull no longer holds anything back for it.
  await a.core.pullCatalog();
  const after = await tap(a, MINJUN);
  expect(after.session!.reservedForYou).toBeUndefined();
  await a.core.api.endSession({});
});

it('two kiosks offline each lend one of a category a reservation needs: the second to sync is a conflict naming the reservation', async () => {
  const r = await reserve(MINJUN, { category: '짐벌 Gimbals' });
  for (const k of [a, b]) await k.core.pullCatalog();

  await server.stop();
  // Each kiosk alone sees two gimbals free and one reserved: one may go.
  for (const [k, who, tag] of [
    [a, SEOYEON, 'GB-1'],
    [b, YUNA, 'GB-2'],
  ] as const) {
    const v = await tap(k, who);
    expect(v.session!.offline).toBe(true);
    expect(v.items.find((i) => i.tag === tag)!.blockedFor).toBeNull();
    expect(await k.core.api.borrow({ itemIds: [ids[tag]!] })).toEqual({ ok: true });
    await k.waitForView((v) => v.screen === 'receipt', 'the receipt');
    await k.core.api.endSession({});
  }
  await server.start();
  await drainOutbox(a);
  await drainOutbox(b);

  const conflicts = (await st().conflicts('open')).filter((c) => c.kind === 'borrow');
  expect(conflicts).toEqual([expect.objectContaining({ code: 'ITEM_RESERVED' })]);
  expect([ids['GB-1'], ids['GB-2']]).toContain(conflicts[0]!.itemId);
  const log = await st().auditPage({ kind: 'reservation', limit: 20 });
  const named = log.rows.find((e) => e.action === 'reservation.conflict' && e.targetId === r.id);
  expect(named?.detail).toContain(conflicts[0]!.id);
  // Physical truth: both gimbals left; the reservation still waits for 민준 (staff sort it out).
  expect((await st().openLoanOfItem(ids['GB-1']!))?.userId).toBe(await userId(SEOYEON));
  expect((await st().openLoanOfItem(ids['GB-2']!))?.userId).toBe(await userId(YUNA));
  expect(await st().findReservation(r.id)).toMatchObject({ status: 'active' });
});

it('a renewal that would keep the drone into someone else’s reservation is refused at the kiosk, nothing written', async () => {
  // 민준 holds the drone (the first test). 서연 reserves it for the day after it is due back.
  const loan = (await st().openLoanOfItem(ids['DR-1']!))!;
  const now = Date.now();
  const startsAt = loan.dueAt + 24 * HOUR;
  await createReservation(st(), {
    itemId: ids['DR-1']!,
    userId: await userId(SEOYEON),
    startsAt,
    endsAt: startsAt + 3 * HOUR,
    actor: { kind: 'user', id: null, name: 'test', via: null },
    now,
    policies: (await currentPolicies(st(), 5)).policies,
    settings: RESERVATION_DEFAULTS,
  });
  await a.core.pullCatalog();
  const v = await tap(a, MINJUN);
  expect(v.session!.renewals!.find((o) => o.itemId === ids['DR-1'])).toEqual({
    itemId: ids['DR-1'],
    newDueAt: null,
    refusal: { code: 'RENEWAL_RESERVED' },
  });
  const pending = a.outbox.stats().pending;
  expect(await a.core.api.renew({ itemIds: [ids['DR-1']!] })).toMatchObject({
    ok: false,
    code: 'RENEWAL_RESERVED',
  });
  expect(a.outbox.stats().pending).toBe(pending);
  await a.core.api.endSession({});
  expect((await st().openLoanOfItem(ids['DR-1']!))!.dueAt).toBe(loan.dueAt);
});

it('a holder who comes an hour early is shown the reservation first, and the borrow picks it up', async () => {
  const mic = await st().createItem({
    tag: 'MC-1',
    name: 'Rode Wireless GO',
    category: '마이크 Microphones',
    loanDays: 3,
    restrictedTo: null,
    lockerSlot: null,
  });
  const now = Date.now();
  const r = await createReservation(st(), {
    itemId: mic.id,
    userId: await userId(YUNA),
    startsAt: now + HOUR,
    endsAt: now + 4 * HOUR,
    actor: { kind: 'user', id: null, name: 'test', via: null },
    now,
    policies: (await currentPolicies(st(), 5)).policies,
    settings: RESERVATION_DEFAULTS,
  });
  await a.core.pullCatalog();
  const v = await tap(a, YUNA);
  expect(v.session!.reservedForYou).toEqual([
    expect.objectContaining({ reservationId: r.id, itemId: mic.id, byName: true }),
  ]);
  expect(await a.core.api.borrow({ itemIds: [mic.id] })).toEqual({ ok: true });
  await a.waitForView((v) => v.screen === 'receipt', 'the receipt');
  await a.core.api.endSession({});
  await drainOutbox(a);
  const loan = await st().openLoanOfItem(mic.id);
  expect(loan?.userId).toBe(await userId(YUNA));
  expect(await st().findReservation(r.id)).toMatchObject({ status: 'picked_up', loanId: loan!.id });
  expect((await st().conflicts('open')).filter((c) => c.itemId === mic.id)).toEqual([]);
});
