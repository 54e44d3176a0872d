/**
 * Issue 13, item 10: transaction ids belong to the kiosk that sent them. Kiosk B sending an
 * id kiosk A already used is refused with TX_ID_CLASH (it does not get A's result, nor A's
 * loan id, as a "duplicate"); A sending it again still does. And the numbers of a sync row
 * stay where JSON numbers are exact: seq at most 2^53 - 1, occurredAt a real date.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toIso, type Transaction } from '../../../protocol/index.ts';
import { addPerson, enrolledKiosk, testServer, type TestKiosk, type TestServer } from '../fixtures.ts';

let s: TestServer;
let a: TestKiosk;
let b: TestKiosk;
beforeEach(async () => {
  s = await testServer();
  a = await enrolledKiosk(s, 'Front desk');
  b = await enrolledKiosk(s, 'Workshop');
});
afterEach(async () => {
  await s.close();
});

async function rentalToken(kiosk: TestKiosk, credential: string) {
  const res = await s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: await kiosk.auth(),
    payload: { credential },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { token: string; user: { id: string } };
}

const sync = async (kiosk: TestKiosk, transactions: unknown[]) =>
  s.app.inject({ method: 'POST', url: '/v1/sync', headers: await kiosk.auth(), payload: { transactions } });

async function borrowRow(
  kiosk: TestKiosk,
  credential: string,
  itemId: string,
  over: Partial<Transaction> = {},
) {
  const { token, user } = await rentalToken(kiosk, credential);
  return {
    id: randomUUID(),
    seq: 1,
    kind: 'borrow',
    itemId,
    userId: user.id,
    occurredAt: toIso(s.clock.now()),
    clockTrusted: true,
    auth: { kind: 'rental', token },
    ...over,
  } satisfies Transaction;
}

describe('transaction ids are scoped to their kiosk', () => {
  it('kiosk B reusing kiosk A’s id gets TX_ID_CLASH, not A’s result or loan id', async () => {
    await addPerson(s, { role: 'member', badge: 'nfc:0a0a0a0a' });
    await addPerson(s, { role: 'member', badge: 'nfc:0b0b0b0b' });
    const cam = await s.deps.store.createItem({
      tag: 'CAM-1',
      name: 'Camera',
      category: 'Photo',
      loanDays: 7,
      restrictedTo: null,
      lockerSlot: null,
    });
    const tri = await s.deps.store.createItem({
      tag: 'TRI-1',
      name: 'Tripod',
      category: 'Photo',
      loanDays: 7,
      restrictedTo: null,
      lockerSlot: null,
    });
    const fromA = await borrowRow(a, 'nfc:0a0a0a0a', cam.id);
    const first = await sync(a, [fromA]);
    expect(first.statusCode).toBe(200);
    const loanId = first.json().results[0].loanId as string;
    expect(first.json().results[0]).toEqual({ id: fromA.id, status: 'applied', loanId });

    // B sends A's id, with its own valid token, for another item and person.
    const clash = await sync(b, [await borrowRow(b, 'nfc:0b0b0b0b', tri.id, { id: fromA.id })]);
    expect(clash.statusCode).toBe(200);
    expect(clash.json().results).toEqual([{ id: fromA.id, status: 'rejected', code: 'TX_ID_CLASH' }]);
    expect(clash.body).not.toContain(loanId);
    // B also cannot learn A's result by replaying A's own row (token, item and all).
    const copied = await sync(b, [fromA]);
    expect(copied.json().results).toEqual([{ id: fromA.id, status: 'rejected', code: 'TX_ID_CLASH' }]);
    expect(copied.body).not.toContain(loanId);

    // Nothing of A's changed; B's row did not apply; A's own retry is still a duplicate.
    expect((await s.deps.store.loans({ status: 'all' })).map((l) => [l.id, l.itemId, l.kioskId])).toEqual([
      [loanId, cam.id, a.id],
    ]);
    expect((await sync(a, [fromA])).json().results).toEqual([
      { id: fromA.id, status: 'duplicate', first: { status: 'applied', loanId } },
    ]);
  });

  it('refuses seq beyond the safe integers and dates that do not exist, before anything is judged', async () => {
    await addPerson(s, { role: 'member', badge: 'nfc:0c0c0c0c' });
    const cam = await s.deps.store.createItem({
      tag: 'CAM-2',
      name: 'Camera',
      category: 'Photo',
      loanDays: 7,
      restrictedTo: null,
      lockerSlot: null,
    });
    const row = await borrowRow(a, 'nfc:0c0c0c0c', cam.id);
    // 2^53 and 2^53 + 1 are the same JSON number: two rows could not be told apart by seq.
    for (const seq of ['9007199254740992', '9007199254740993', '1e300']) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/v1/sync',
        headers: { ...(await a.auth()), 'content-type': 'application/json' },
        payload: JSON.stringify({ transactions: [row] }).replace('"seq":1', `"seq":${seq}`),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('BAD_REQUEST');
    }
    // Month 13 matches the timestamp pattern but is no date.
    const noDate = await sync(a, [{ ...row, occurredAt: '2026-13-01T00:00:00.000Z' }]);
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().code).toBe('BAD_REQUEST');
    expect(await s.deps.store.loans({ status: 'all' })).toEqual([]);

    const ok = await sync(a, [{ ...row, seq: Number.MAX_SAFE_INTEGER }]);
    expect(ok.json().results[0]).toMatchObject({ status: 'applied' });
  });
});
