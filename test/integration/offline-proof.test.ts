/**
 * Issue 13, item 4: a kiosk's own data is not enough to record a borrow in someone's name.
 * The attacker holds an enrolled kiosk (its device key, its signed roster and roster key,
 * its database with the outbox), on a real server on loopback. Offline rows must carry a
 * proof only the physical badge yields, signing that very row once; and their time must lie
 * between the roster's issue (and the kiosk's enrolment) and the sync. What fails either is
 * a conflict for a person, never an applied loan; a flagged return still closes its loan.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIso, type RosterClaims, type Transaction, type TxResult } from '../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { toTransaction } from '../../src-main/core/outbox/outbox.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const Y2K = Date.parse('2000-01-01T00:00:00.000Z');
let server: TestServer;
let kiosk: TestKiosk;
let seq = 1_000_000;
let ids = 0;
const newId = () => `01900000-0000-7000-8000-${String(++ids).padStart(12, '0')}`;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true);
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

/** POST /v1/sync as this kiosk (its device key), as an attacker holding it would. */
async function send(...txs: Transaction[]): Promise<TxResult[]> {
  const res = await fetch(`${server.url}/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Kiosk ${await kiosk.assertion()}` },
    body: JSON.stringify({ transactions: txs }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: TxResult[] }).results;
}

/** What the stolen kiosk holds: its signed roster (and key), as GET /v1/roster gives it. */
async function stolenRoster() {
  const res = await fetch(`${server.url}/v1/roster`, {
    headers: { authorization: `Kiosk ${await kiosk.assertion()}` },
  });
  const body = (await res.json()) as { roster: string; rosterKey: string };
  const claims = decodeJwt(body.roster) as RosterClaims & { jti: string; iat: number };
  return { ...body, claims };
}

const userIdOf = async (displayName: string) => {
  const people = await server.deps().store.listActivePeople();
  return people.find((p) => p.displayName === displayName)!.id;
};

/** Items anyone may borrow, free as the kiosk sees them. */
const freeItems = async () => {
  const open = new Set((await server.loans('open')).map((l) => l.itemId));
  const restricted = new Set(
    (await server.deps().store.itemsSince(null)).items.filter((i) => i.restrictedTo).map((i) => i.id),
  );
  const view = await kiosk.core.api.getView({});
  return view.items.filter((i) => i.available && !open.has(i.id) && !restricted.has(i.id));
};

/** Runs `fn` with the server down (the kiosk offline), and brings it back whatever happens. */
async function whileOffline<T>(fn: () => Promise<T>): Promise<T> {
  await server.stop();
  try {
    return await fn();
  } finally {
    await server.start();
  }
}

const loanOf = async (itemId: string) => (await server.loans('open')).find((l) => l.itemId === itemId);

describe('offline proof', () => {
  it('a real offline session still syncs as applied, each row with its own proof', async () => {
    const items = (await freeItems()).slice(0, 2).map((i) => i.id);
    await whileOffline(async () => {
      await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
      const view = await kiosk.waitForView((v) => v.screen === 'session', 'an offline session');
      expect(view.session?.offline).toBe(true);
      expect(await kiosk.core.api.borrow({ itemIds: items })).toEqual({ ok: true });
      await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
      const rows = kiosk.outbox.pending(100);
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.auth).toMatchObject({ kind: 'roster', proof: expect.any(String) });
      const proofs = rows.map((r) => (r.auth as { proof: string }).proof);
      expect(new Set(proofs).size).toBe(2);
    });
    // Until the outbox is empty: under emulation a send may outlast the client's 5 s limit and
    // go again (answered as a duplicate), which is the exactly-once path, not a failure.
    await drainOutbox(kiosk);
    expect(kiosk.outbox.stats()).toMatchObject({ pending: 0, needsAttention: 0 });
    for (const id of items) expect((await loanOf(id))?.userName).toBe(DEMO_PEOPLE[0].displayName);
  });

  it('the issue’s forged borrow (roster id + roster hash, no badge, dated 2000-01-01) is no loan', async () => {
    const { claims } = await stolenRoster();
    const victim = DEMO_PEOPLE[2];
    const userId = await userIdOf(victim.displayName);
    const entry = claims.entries.find((e) => e.userId === userId)!;
    const [item] = await freeItems();
    const forged = (over: { nonce?: string; proof?: string } = {}, clockTrusted = false): Transaction => ({
      id: newId(),
      seq: ++seq,
      kind: 'borrow',
      itemId: item!.id,
      userId,
      occurredAt: toIso(Y2K),
      clockTrusted,
      auth: { kind: 'roster', roster: claims.jti, badge: entry.h, ...over },
    });
    const refused = (results: TxResult[]) => {
      for (const r of results) {
        expect(r).toMatchObject({ status: 'conflict', code: 'OFFLINE_PROOF_INVALID' });
        expect(r.loanId).toBeUndefined();
      }
    };
    // Exactly as in the issue: no proof at all, an untrusted clock.
    refused(await send(forged()));
    expect(await loanOf(item!.id)).toBeUndefined();
    refused(await send(forged({}, true)));
    // A made-up proof.
    refused(
      await send(
        forged({ nonce: 'A'.repeat(22), proof: 'B'.repeat(43) }),
        forged({ nonce: 'A'.repeat(22), proof: 'B'.repeat(43) }, true),
      ),
    );
    expect(await loanOf(item!.id)).toBeUndefined();
    const all = await server.loans('all');
    expect(all.filter((l) => Date.parse(l.borrowedAt) < Date.parse('2020-01-01'))).toEqual([]);
  });

  it('the kiosk’s own outbox does not help: a copied proof under a new id, or a changed row, is refused', async () => {
    // The proofs of the real session, as they sit in the kiosk's database.
    const [item, other] = await freeItems();
    await kiosk.core.api.endSession({});
    const row = await whileOffline(async () => {
      await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[3].badge });
      await kiosk.waitForView((v) => v.screen === 'session' && !!v.session?.offline, 'an offline session');
      expect(await kiosk.core.api.borrow({ itemIds: [item!.id] })).toEqual({ ok: true });
      await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
      return kiosk.outbox.pending(100)[0];
    });
    // Until the outbox is empty: under emulation a send may outlast the client's 5 s limit and
    // go again (answered as a duplicate), which is the exactly-once path, not a failure.
    await drainOutbox(kiosk);
    expect(kiosk.outbox.stats()).toMatchObject({ pending: 0, needsAttention: 0 });

    const real = toTransaction(row!);
    // The same borrow again under a new id (after it was returned, it would lend again).
    const replay = { ...real, id: newId(), seq: ++seq };
    // The proof with another item, another person, another time, or another trust flag.
    const changed: Transaction[] = [
      { ...real, id: newId(), seq: ++seq, itemId: other!.id },
      { ...real, id: newId(), seq: ++seq, userId: await userIdOf(DEMO_PEOPLE[1].displayName) },
      { ...real, id: newId(), seq: ++seq, occurredAt: toIso(Date.parse(real.occurredAt) + 1) },
      { ...real, id: newId(), seq: ++seq, clockTrusted: !real.clockTrusted },
    ];
    for (const r of await send(replay, ...changed)) {
      expect(r).toMatchObject({ status: 'conflict', code: 'OFFLINE_PROOF_INVALID' });
      expect(r.loanId).toBeUndefined();
    }
    expect((await loanOf(other!.id))?.userName).toBeUndefined();
    expect((await loanOf(item!.id))?.userName).toBe(DEMO_PEOPLE[3].displayName);
    // The first, real row is still what its id answers.
    expect(await send(real)).toEqual([
      { id: real.id, status: 'duplicate', first: { status: 'applied', loanId: expect.any(String) } },
    ]);
  });

  it('bounds the time: a badge-proven row dated before its roster is a conflict (trusted clock) or placed after it (untrusted)', async () => {
    const { claims } = await stolenRoster();
    const person = DEMO_PEOPLE[1];
    const userId = await userIdOf(person.displayName);
    // The badge is really here this time: the kiosk's own code makes the proof.
    const match = (await kiosk.roster.lookup(person.badge))!;
    // The kiosk's own roster, fetched before the one the attacker just asked for.
    expect(match.auth.roster).not.toBe(claims.jti);
    const [a, b, c] = await freeItems();
    const signed = (itemId: string, occurredAt: number, clockTrusted: boolean): Transaction => {
      const fields = { kind: 'borrow' as const, itemId, userId, occurredAt, clockTrusted };
      return {
        ...fields,
        id: newId(),
        seq: ++seq,
        occurredAt: toIso(occurredAt),
        auth: { ...match.auth, ...match.prove(fields) },
      };
    };
    const before = Date.now();
    const [trustedY2k, untrustedY2k, future] = await send(
      signed(a!.id, Y2K, true),
      signed(b!.id, Y2K, false),
      signed(c!.id, Date.now() + 24 * 60 * 60 * 1000, true),
    );
    expect(trustedY2k).toMatchObject({ status: 'conflict', code: 'OFFLINE_TIME_UNBOUNDED' });
    expect(trustedY2k!.loanId).toBeUndefined();
    expect(future).toMatchObject({ status: 'conflict', code: 'OFFLINE_TIME_UNBOUNDED' });
    expect(await loanOf(a!.id)).toBeUndefined();
    expect(await loanOf(c!.id)).toBeUndefined();
    // A clock known to be wrong: placed no earlier than the roster, the enrolment and the
    // kiosk's last trusted row, no later than the sync.
    expect(untrustedY2k).toMatchObject({ status: 'applied', loanId: expect.any(String) });
    const placed = Date.parse((await loanOf(b!.id))!.borrowedAt);
    const roster = (await server.deps().store.findRoster(match.auth.roster))!;
    expect(placed).toBeGreaterThanOrEqual(roster.issuedAt);
    expect(placed).toBeGreaterThan(before - 10 * 60_000);
    expect(placed).toBeLessThanOrEqual(Date.now());
  });

  it('a return without a valid proof still brings the item back, flagged', async () => {
    const person = DEMO_PEOPLE[0];
    const userId = await userIdOf(person.displayName);
    const onLoan = (await server.loans('open')).find((l) => l.userName === person.displayName)!;
    const { claims } = await stolenRoster();
    const entry = claims.entries.find((e) => e.userId === userId)!;
    const [r] = await send({
      id: newId(),
      seq: ++seq,
      kind: 'return',
      itemId: onLoan.itemId,
      userId,
      occurredAt: toIso(Date.now()),
      clockTrusted: true,
      auth: { kind: 'roster', roster: claims.jti, badge: entry.h },
    });
    // Physical truth wins: the item is on the shelf again; a person checks the flag.
    expect(r).toMatchObject({ status: 'conflict', code: 'OFFLINE_PROOF_INVALID', loanId: onLoan.id });
    expect(await loanOf(onLoan.itemId)).toBeUndefined();
    const conflicts = await server.deps().store.conflicts('open');
    expect(conflicts.map((x) => [x.id, x.code])).toContainEqual([r!.id, 'OFFLINE_PROOF_INVALID']);
  });
});
