/**
 * Issue 14.1: resolving a conflict on the dashboard must be able to correct the loans, not
 * only add a note. Staff say where the item really is (back, or with a person); the server
 * records that on the item's timeline and the loans follow, now and after a late row from
 * an offline kiosk is placed before it. Bad input changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AdminConflict, AdminItem, AdminLoan, AuditEntry } from '../../../protocol/index.ts';
import { bearer, enrollKiosk, kioskDoes, startFixture, type Fixture } from './fixture.ts';

let f: Fixture;
let admin: string;
let staff: string;
beforeEach(async () => {
  f = await startFixture({ logger: false });
  admin = await f.login('admin');
  staff = await f.login('staff');
});
afterEach(() => f.close());

const get = async <T>(url: string) => {
  const res = await f.app.inject({ method: 'GET', url, headers: bearer(admin) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};
const post = (url: string, payload: object, token = staff) =>
  f.app.inject({ method: 'POST', url, headers: bearer(token), payload });

async function person(displayName: string, badge: string) {
  const res = await post('/v1/admin/people', { displayName, role: 'member', badge }, admin);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { person: { id: string } }).person.id;
}

/** A and B; A borrowed the oscilloscope at K1, B then borrowed it at K2: a conflict. */
async function conflictOverOneItem() {
  const a = await person('김민준', 'kbd:22220001');
  const b = await person('이서연', 'kbd:22220002');
  const res = await post(
    '/v1/admin/items',
    { tag: 'LB-001', name: '오실로스코프', category: '계측', loanDays: 7 },
    admin,
  );
  const item = (res.json() as { item: AdminItem }).item;
  const k1 = await enrollKiosk(f, 'K1');
  const k2 = await enrollKiosk(f, 'K2');
  await kioskDoes(f, k1, 'kbd:22220001', 'borrow', item.id);
  f.clock.advance(60_000);
  expect(await kioskDoes(f, k2, 'kbd:22220002', 'borrow', item.id)).toMatchObject({
    status: 'conflict',
    code: 'ITEM_UNAVAILABLE',
  });
  const [c] = (await get<{ conflicts: AdminConflict[] }>('/v1/admin/conflicts')).conflicts;
  return { a, b, item, k1, k2, c: c! };
}

const openLoans = async (itemId: string) =>
  (await get<{ loans: AdminLoan[] }>('/v1/admin/loans?status=open')).loans.filter((l) => l.itemId === itemId);

it('shows who holds the item now, and "with this person" moves the loan to them from now', async () => {
  const { b, item, c } = await conflictOverOneItem();
  const before = (await openLoans(item.id))[0]!;
  expect(c.holder).toEqual({ userId: before.userId, userName: before.userName, since: before.borrowedAt });
  const other = before.userId === b ? c.other!.userId : b;

  f.clock.advance(60_000);
  const res = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: '직접 확인함', holder: other });
  expect(res.statusCode, res.body).toBe(200);
  const now = new Date(f.clock.now()).toISOString();
  expect((res.json() as { conflict: AdminConflict }).conflict).toMatchObject({
    resolvedAt: now,
    holder: { userId: other, since: now },
  });
  const open = await openLoans(item.id);
  expect(open).toEqual([expect.objectContaining({ userId: other, borrowedAt: now })]);
  const all = (await get<{ loans: AdminLoan[] }>('/v1/admin/loans?status=all')).loans;
  expect(all.find((l) => l.id === before.id)).toMatchObject({ returnedAt: now });

  const { items } = await get<{ items: AdminItem[] }>('/v1/admin/items');
  expect(items.find((i) => i.id === item.id)?.holder).toMatchObject({ userId: other });
  const { entries } = await get<{ entries: AuditEntry[] }>('/v1/admin/audit');
  expect(entries.find((e) => e.action === 'conflict.resolve')?.detail).toMatch(/직접 확인함 · now: with /);
});

it('"it is back" closes the open loan, and the correction holds after a late row is placed before it', async () => {
  const { a, item, c, k1 } = await conflictOverOneItem();
  // K1 was offline: a return by A, made earlier than the correction, arrives after it.
  const tap = await f.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: { authorization: await k1.auth() },
    payload: { credential: 'kbd:22220001' },
  });
  const { token } = tap.json() as { token: string };
  const returnedAt = f.clock.now() + 1_000;

  f.clock.advance(120_000);
  const res = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: '선반에 있음', holder: null });
  expect(res.statusCode, res.body).toBe(200);
  expect((res.json() as { conflict: AdminConflict }).conflict.holder).toBeNull();
  expect(await openLoans(item.id)).toEqual([]);

  f.clock.advance(60_000);
  const late = await f.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { authorization: await k1.auth() },
    payload: {
      transactions: [
        {
          id: randomUUID(),
          seq: 1000,
          kind: 'return',
          itemId: item.id,
          userId: a,
          occurredAt: new Date(returnedAt).toISOString(),
          clockTrusted: true,
          auth: { kind: 'rental', token },
        },
      ],
    },
  });
  expect(late.statusCode, late.body).toBe(200);
  // Re-derived from the whole timeline, the staff correction is still the last word.
  expect(await openLoans(item.id)).toEqual([]);
});

it('refuses bad input and changes nothing', async () => {
  const { item, c } = await conflictOverOneItem();
  const before = await openLoans(item.id);

  const unknown = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: 'x', holder: 'usr_nobody' });
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
  const malformed = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: 'x', holder: '../etc' });
  expect(malformed.statusCode).toBe(400);
  // Nothing half-saved: still open, loans unchanged.
  expect((await get<{ conflicts: AdminConflict[] }>('/v1/admin/conflicts')).conflicts).toHaveLength(1);
  expect(await openLoans(item.id)).toEqual(before);

  // Saying what the loans already say records no correction.
  const same = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: '맞음', holder: before[0]!.userId });
  expect(same.statusCode, same.body).toBe(200);
  expect(await openLoans(item.id)).toEqual(before);
  const { entries } = await get<{ entries: AuditEntry[] }>('/v1/admin/audit');
  expect(entries.find((e) => e.action === 'conflict.resolve')?.detail).toMatch(/loans already right/);

  // A resolved conflict cannot be used to move the item again.
  const again = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: 'again', holder: null });
  expect(again.json()).toMatchObject({ code: 'ALREADY_EXISTS' });
  expect(await openLoans(item.id)).toEqual(before);
});

it('is for staff and admins only', async () => {
  const { c } = await conflictOverOneItem();
  const member = await f.login('member');
  const res = await post(`/v1/admin/conflicts/${c.id}/resolve`, { note: 'mine now', holder: null }, member);
  expect(res.statusCode).toBe(403);
});
