/**
 * Issue 14.2: a return must never be rejected. After a kiosk's clock jumped back a day (or
 * forward a year) while it was offline, a return and a borrow both showed "done" and the
 * server rejected both with TOKEN_EXPIRED: the returned item stayed on loan and the borrowed
 * one had no loan. Now a row made with a genuine rental token is applied at a time inside
 * that token's life and flagged TIME_DOUBTFUL for a person; a token that is not genuine is
 * still refused whatever the time.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { toIso, type Transaction } from '../../../protocol/index.ts';
import { addPerson, enrolledKiosk, testServer, type TestKiosk, type TestServer } from '../fixtures.ts';

const DAY = 86_400_000;
let s: TestServer;
let k: TestKiosk;
beforeEach(async () => {
  s = await testServer();
  k = await enrolledKiosk(s, 'Front desk');
});
afterEach(async () => {
  await s.close();
});

const item = (tag: string) =>
  s.deps.store.createItem({
    tag,
    name: tag,
    category: 'Photo',
    loanDays: 7,
    restrictedTo: null,
    lockerSlot: null,
  });

async function tap(credential: string) {
  const res = await s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: await k.auth(),
    payload: { credential },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { token: string; user: { id: string } };
}

let seq = 0;
const row = (
  kind: 'borrow' | 'return',
  itemId: string,
  who: { token: string; user: { id: string } },
  at: number,
) =>
  ({
    id: randomUUID(),
    seq: ++seq,
    kind,
    itemId,
    userId: who.user.id,
    occurredAt: toIso(at),
    clockTrusted: true,
    auth: { kind: 'rental', token: who.token },
  }) satisfies Transaction;

const sync = async (transactions: Transaction[]) => {
  const res = await s.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: await k.auth(),
    payload: { transactions },
  });
  expect(res.statusCode).toBe(200);
  return res.json().results as { id: string; status: string; code?: string }[];
};

it.each([
  ['back a day', -DAY],
  ['forward a year', 365 * DAY],
])(
  'applies a return and a borrow made after the kiosk clock jumped %s, flagged for a person',
  async (_, jump) => {
    await addPerson(s, { role: 'member', badge: 'nfc:0a0a0a0a' });
    const cam = await item('CAM-1');
    const tri = await item('TRI-1');
    // Online: the camera is borrowed and synced.
    const first = await tap('nfc:0a0a0a0a');
    expect((await sync([row('borrow', cam.id, first, s.clock.now())]))[0]?.status).toBe('applied');

    // The next session's token, then the kiosk goes offline and its clock jumps.
    s.clock.advance(60_000);
    const second = await tap('nfc:0a0a0a0a');
    const issued = s.clock.now();
    const kioskNow = issued + 30_000 + jump;
    const back = row('return', cam.id, second, kioskNow);
    const out = row('borrow', tri.id, second, kioskNow + 1_000);
    s.clock.advance(2 * 3_600_000); // it syncs hours later
    const results = await sync([back, out]);
    expect(results).toEqual([
      expect.objectContaining({ id: back.id, status: 'conflict', code: 'TIME_DOUBTFUL' }),
      expect.objectContaining({ id: out.id, status: 'conflict', code: 'TIME_DOUBTFUL' }),
    ]);

    // Physically: the camera is back, the tripod is out, both placed inside the token's life.
    const loans = await s.deps.store.loans({ status: 'all' });
    const camLoan = loans.find((l) => l.itemId === cam.id)!;
    const triLoan = loans.find((l) => l.itemId === tri.id)!;
    expect(camLoan.returnedAt).not.toBeNull();
    expect(triLoan.returnedAt).toBeNull();
    for (const t of [camLoan.returnedAt!, triLoan.borrowedAt]) {
      expect(t).toBeGreaterThanOrEqual(issued - 1_000);
      expect(t).toBeLessThanOrEqual(s.clock.now());
    }
    // Due a loan period after that time, not a day or a year off.
    expect(triLoan.dueAt - triLoan.borrowedAt).toBe(7 * DAY);
    expect(Math.abs(triLoan.borrowedAt - issued)).toBeLessThan(DAY);
  },
);

it('still refuses a token that is not genuine, whatever the time', async () => {
  await addPerson(s, { role: 'member', badge: 'nfc:0a0a0a0a' });
  const cam = await item('CAM-1');
  const who = await tap('nfc:0a0a0a0a');
  const [h, p, sig] = who.token.split('.');
  // One character of the signature changed where every bit counts: the last characters carry
  // padding bits, so overwriting them left the signature whole once in 256 runs.
  const flipped = sig!.slice(0, 10) + (sig![10] === 'A' ? 'B' : 'A') + sig!.slice(11);
  const forged = { ...who, token: `${h}.${p}.${flipped}` };
  const results = await sync([row('return', cam.id, forged, s.clock.now() - DAY)]);
  expect(results[0]).toEqual(expect.objectContaining({ status: 'rejected', code: 'TOKEN_INVALID' }));
  expect(await s.deps.store.loans({ status: 'all' })).toEqual([]);
});
