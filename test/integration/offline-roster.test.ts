/**
 * Offline sessions: with the server unreachable, a badge on the signed roster starts an
 * offline session with the roster's limits; its rows carry the roster proof, which the
 * server checks again at sync. A kiosk that booted with a wrong clock flags its rows and
 * the server places them sensibly.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTransaction } from '../../src-main/core/outbox/outbox.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
let server: TestServer;
let kiosk: TestKiosk;
let skew = 0;
const clock = { now: () => Date.now() + skew };

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true);
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

describe('offline sessions through the roster', () => {
  it('starts an offline session, enforces the roster limits and syncs later', async () => {
    await server.stop();
    await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[1].badge });
    const view = await kiosk.waitForView((v) => v.screen === 'session', 'an offline session');
    expect(view.session).toMatchObject({ offline: true, user: { displayName: DEMO_PEOPLE[1].displayName } });

    const free = view.items.filter((i) => i.available && !i.blockedFor);
    // At most two items per offline session (the roster's limit): the third is named, the
    // first two may go.
    expect(await kiosk.core.api.borrow({ itemIds: free.slice(0, 3).map((i) => i.id) })).toEqual({
      ok: false,
      code: 'LOAN_LIMIT_REACHED',
      refused: [{ itemId: free[2]!.id, code: 'LOAN_LIMIT_REACHED', limit: 2, have: 0, canTake: 2 }],
    });
    expect(await kiosk.core.api.borrow({ itemIds: [free[0]!.id] })).toEqual({ ok: true });
    await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
    const row = kiosk.outbox.pending(100)[0]!;
    expect(row.auth).toMatchObject({ kind: 'roster' });
    expect(row.clockTrusted).toBe(true);

    await server.start();
    await kiosk.sync.flush();
    expect(kiosk.outbox.stats()).toMatchObject({ pending: 0, needsAttention: 0 });
    const loan = (await server.loans('all')).find((l) => l.itemId === free[0]!.id);
    expect(loan?.userName).toBe(DEMO_PEOPLE[1].displayName);
  });

  it('carries a roster of hundreds of people', async () => {
    const deps = server.deps();
    for (let i = 0; i < 300; i++) {
      const user = await deps.store.createUser({
        email: `person${i}@example.com`,
        displayName: `사람 ${i} Person`,
        role: 'member',
        active: true,
        passwordHash: null,
      });
      const badge = `kbd:${String(9_000_000 + i)}`;
      await deps.store.addBadge(user.id, deps.hashBadge(badge), 'bulk', deps.rosterHash(badge));
    }
    await kiosk.roster.refresh(true);
    expect((await kiosk.roster.lookup('kbd:9000299'))?.entry.displayName).toBe('사람 299 Person');
  });

  it('refuses a badge that is not on the roster while offline', async () => {
    await kiosk.core.api.endSession({});
    await server.stop();
    skew += 5_000;
    await kiosk.core.api.simulateTap({ credential: 'nfc:0badbadbad0001' });
    const denied = await kiosk.waitForView((v) => v.screen === 'denied', 'the denial');
    expect(denied.error).toBe('SERVER_UNREACHABLE');
    await server.start();
  });

  it('rejects a roster proof that was not issued to this kiosk', async () => {
    // Another kiosk's genuine roster and a genuine proof from it, sent by this kiosk (a
    // stolen SD card's rows replayed elsewhere): not this kiosk's roster, refused.
    const other = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
    try {
      await other.roster.refresh(true);
      const match = (await other.roster.lookup(DEMO_PEOPLE[2].badge))!;
      expect(match.auth).toMatchObject({ kind: 'roster' });
      const fields = {
        kind: 'borrow' as const,
        itemId: (await kiosk.core.api.getView({})).items[0]!.id,
        userId: match.entry.userId,
        occurredAt: Date.now(),
        clockTrusted: true,
      };
      const send = async (auth: object) => {
        const tx = toTransaction({ id: randomUUID(), seq: 9_999, ...fields, auth: auth as never });
        const res = await fetch(`${server.url}/v1/sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Kiosk ${await kiosk.assertion()}` },
          body: JSON.stringify({ transactions: [tx] }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { results: { status: string; code?: string }[] }).results[0];
      };
      expect(await send({ ...match.auth, ...match.prove(fields) })).toMatchObject({
        status: 'rejected',
        code: 'TOKEN_INVALID',
      });
      // A roster id that was never issued at all: the same.
      expect(await send({ kind: 'roster', roster: 'not-a-roster', badge: 'A'.repeat(43) })).toMatchObject({
        status: 'rejected',
        code: 'TOKEN_INVALID',
      });
      // Sent by the kiosk it was issued to, the same proof is accepted.
      const tx = toTransaction({
        id: randomUUID(),
        seq: 1,
        ...fields,
        auth: { ...match.auth, ...match.prove(fields) } as never,
      });
      const own = await fetch(`${server.url}/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Kiosk ${await other.assertion()}` },
        body: JSON.stringify({ transactions: [tx] }),
      });
      expect(((await own.json()) as { results: { status: string }[] }).results[0]!.status).not.toBe(
        'rejected',
      );
    } finally {
      await other.dispose();
    }
  });

  it('flags rows written with an untrusted clock and the server places them after trusted ones', async () => {
    // Power cut; the Pi boots a year in the past with the network down.
    const dataDir = kiosk.dataDir;
    await kiosk.close();
    await server.stop();
    skew = -YEAR_MS;
    kiosk = await startTestKiosk({ serverUrl: server.url, dataDir, ports: { clock } });
    await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[3].badge });
    const view = await kiosk.waitForView(
      (v) => v.screen === 'session',
      'an offline session after a bad boot',
    );
    expect(view.session?.offline).toBe(true);
    const item = view.items.find((i) => i.available && !i.blockedFor)!;
    expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
    expect(kiosk.outbox.pending(100)[0]!.clockTrusted).toBe(false);

    const before = Date.now();
    await server.start();
    await kiosk.sync.flush();
    const all = await server.loans('all');
    const loan = all.find((l) => l.itemId === item.id)!;
    const trusted = all.filter((l) => l.itemId !== item.id).map((l) => Date.parse(l.borrowedAt));
    const borrowedAt = Date.parse(loan.borrowedAt);
    // Not a year ago: after everything this kiosk did with a good clock, and not in the future.
    expect(borrowedAt).toBeGreaterThanOrEqual(Math.max(...trusted));
    expect(borrowedAt).toBeLessThanOrEqual(Date.now());
    expect(borrowedAt).toBeGreaterThan(before - 60_000);
  });
});
