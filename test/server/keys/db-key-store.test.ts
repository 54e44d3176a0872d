/**
 * The database key store as several replicas see it: two key stores on one SQLite file are
 * two replicas. Rotation on one reaches the other by its timer or by an unknown kid, and
 * retired keys leave the JWKS and the table; the clock is driven by hand, nothing sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, ROSTER_TTL_S, type Role } from '../../../protocol/index.ts';
import { createTokenService } from '../../../server/auth/tokens.ts';
import { openDbKeyStore } from '../../../server/keys/db-key-store.ts';
import { KEY_RETIREMENT_MS } from '../../../server/keys/key-lifecycle.ts';
import { KEY_REFRESH_MS } from '../../../server/keys/key-ring.ts';
import type { KeyStore } from '../../../server/keys/key-store.ts';
import { sealer, SealedSecretError } from '../../../server/keys/sealed.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { fakeClock, ISSUER, T0, type FakeClock } from '../fixtures.ts';
import { fakeTimer, MASTER_KEY, type FakeTimer } from './fixtures.ts';

const PUBLISH_AHEAD_MS = 2 * KEY_REFRESH_MS;

type Replica = {
  store: Store;
  keys: KeyStore;
  timer: FakeTimer;
  tokens: ReturnType<typeof createTokenService>;
};

let dir: string;
let clock: FakeClock;
const open: Replica[] = [];

async function replica(masterKey = MASTER_KEY): Promise<Replica> {
  const store = openSqliteStore({ file: join(dir, 'server.db') });
  const timer = fakeTimer();
  try {
    const keys = await openDbKeyStore({
      secrets: store,
      sealer: sealer(masterKey),
      clock,
      setTimer: timer.setTimer,
    });
    const r = {
      store,
      keys,
      timer,
      tokens: createTokenService({ keys, issuer: ISSUER, clock, rentalTtlS: 120 }),
    };
    open.push(r);
    return r;
  } catch (err) {
    await store.close();
    throw err;
  }
}

const kids = (keys: KeyStore) =>
  keys
    .jwks()
    .keys.map((k) => k.kid)
    .sort();
const headerKid = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const access = (r: Replica) => r.tokens.issueAccess('usr_1', 'member' as Role, 'ses_1');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rental-db-keys-'));
  clock = fakeClock(T0);
});
afterEach(async () => {
  for (const r of open.splice(0)) {
    r.keys.close();
    await r.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('database key store', () => {
  it('makes one key on first open; a second replica uses it, sealed in the table', async () => {
    const a = await replica();
    const b = await replica();
    const rows = await a.store.signingKeys();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealedJwk).toMatch(/^v1\./);
    expect(a.keys.current().kid).toBe(rows[0]!.kid);
    expect(b.keys.current().kid).toBe(rows[0]!.kid);
    expect(JSON.stringify(a.keys.jwks())).not.toContain('"d"');
    // A timer is armed, unref'd by the real one; close() disarms it.
    expect(a.timer.armed()).toBe(1);
    a.keys.close();
    expect(a.timer.armed()).toBe(0);
  });

  it('two replicas starting on an empty database at once end up signing with the same key', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    await a!.keys.refresh();
    await b!.keys.refresh();
    expect(a!.keys.current().kid).toBe(b!.keys.current().kid);
    expect(kids(a!.keys)).toEqual(kids(b!.keys));
  });

  it('rotation on one replica: the other publishes it after refresh, and both sign with it once every replica has', async () => {
    const a = await replica();
    const b = await replica();
    const old = a.keys.current().kid;
    clock.advance(60_000);
    const next = await a.keys.rotate(clock.now());
    await b.keys.refresh();
    expect(kids(b.keys)).toEqual([old, next.kid].sort());
    expect(kids(a.keys)).toEqual([old, next.kid].sort());
    // Published everywhere first; nobody signs with it yet.
    expect(a.keys.current().kid).toBe(old);
    expect(b.keys.current().kid).toBe(old);
    expect(b.keys.list().map((k) => k.phase)).toEqual(['signing', 'pending']);
    clock.advance(PUBLISH_AHEAD_MS);
    expect(a.keys.current().kid).toBe(next.kid);
    expect(b.keys.current().kid).toBe(next.kid);
    expect(headerKid((await access(b)).token)).toBe(next.kid);
    expect(b.keys.list().map((k) => k.phase)).toEqual(['retiring', 'signing']);
  });

  it("a replica's timer picks up a rotation made elsewhere (by the admin CLI)", async () => {
    const server = await replica();
    const cli = await replica();
    clock.advance(60_000);
    const rotated = await cli.keys.rotate(clock.now());
    cli.keys.close();
    expect(kids(server.keys)).not.toContain(rotated.kid);
    await server.timer.fire();
    expect(kids(server.keys)).toContain(rotated.kid);
    expect(server.timer.armed()).toBe(1); // re-armed for the next refresh
    clock.advance(PUBLISH_AHEAD_MS);
    expect(server.keys.current().kid).toBe(rotated.kid);
  });

  it('a token signed with a key another replica has not read yet is verified (unknown kid: re-read once)', async () => {
    const a = await replica();
    const b = await replica();
    const old = a.keys.current().kid;
    clock.advance(60_000);
    await a.keys.rotate(clock.now());
    clock.advance(PUBLISH_AHEAD_MS);
    const { token } = await access(a);
    expect(headerKid(token)).not.toBe(old);
    expect(kids(b.keys)).toEqual([old]); // B's timer has not fired
    const read = vi.spyOn(b.store, 'signingKeys');
    await expect(b.tokens.verifyAccess(token)).resolves.toMatchObject({ userId: 'usr_1', sid: 'ses_1' });
    expect(read).toHaveBeenCalledTimes(1);
    expect(b.keys.current().kid).toBe(headerKid(token));
    // Known now: no more reads.
    await b.tokens.verifyAccess(token);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('unknown kids make at most one read a second', async () => {
    const a = await replica();
    const read = vi.spyOn(a.store, 'signingKeys');
    for (let i = 0; i < 5; i++) expect(await a.keys.publicKey(`2026-03-02-0000000${i}`)).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    clock.advance(999);
    expect(await a.keys.publicKey('2026-03-02-99999999')).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await a.keys.publicKey('2026-03-02-99999999')).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(2);
    // A kid we could never have made is not worth a read.
    clock.advance(5_000);
    expect(await a.keys.publicKey('../../etc/passwd')).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('an unknown kid while the database cannot be read is not a bad token: the error goes up', async () => {
    const a = await replica();
    const token = (await access(a)).token;
    const b = await replica();
    clock.advance(60_000);
    await a.keys.rotate(clock.now());
    clock.advance(PUBLISH_AHEAD_MS);
    const fresh = (await access(a)).token;
    const down = new AppError('SERVICE_UNAVAILABLE', 'database away');
    vi.spyOn(b.store, 'signingKeys').mockRejectedValue(down);
    await expect(b.tokens.verifyAccess(fresh)).rejects.toBe(down);
    // Tokens with a kid B knows do not touch the database.
    await expect(b.tokens.verifyAccess(token)).resolves.toMatchObject({ userId: 'usr_1' });
  });

  it('retires the old key from the JWKS, verification and the table after the rule says, not before', async () => {
    const a = await replica();
    const b = await replica();
    const old = a.keys.current();
    clock.advance(60_000);
    const rotated = await a.keys.rotate(clock.now());
    await b.keys.refresh();
    const handOver = rotated.createdAt + PUBLISH_AHEAD_MS;
    clock.set(handOver - 1);
    const oldToken = (await access(b)).token;
    expect(headerKid(oldToken)).toBe(old.kid); // the old key signs up to the hand-over

    // An offline roster signed at the hand-over lives ROSTER_TTL_S; the key outlives it by the margin.
    clock.set(handOver + ROSTER_TTL_S * 1000);
    await a.keys.refresh();
    expect(kids(a.keys)).toContain(old.kid);
    expect(await b.keys.publicKey(old.kid)).toBeDefined();

    clock.set(handOver + KEY_RETIREMENT_MS - 1);
    await a.keys.refresh();
    expect(kids(a.keys)).toContain(old.kid);
    expect((await a.store.signingKeys()).map((k) => k.kid)).toContain(old.kid);

    clock.set(handOver + KEY_RETIREMENT_MS);
    // Left out at once by the rule, even before a replica re-reads...
    expect(kids(b.keys)).not.toContain(old.kid);
    expect(await b.keys.publicKey(old.kid)).toBeUndefined();
    expect(b.keys.list().find((k) => k.kid === old.kid)?.phase).toBe('retired');
    // ...and deleted from the table by the next refresh of any replica.
    await a.keys.refresh();
    expect((await a.store.signingKeys()).map((k) => k.kid)).toEqual([a.keys.current().kid]);
    await b.keys.refresh();
    expect(b.keys.list().map((k) => k.kid)).toEqual([a.keys.current().kid]);
    await expect(b.tokens.verifyAccess(oldToken)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('a rotation from a machine whose clock is behind still makes the newest key', async () => {
    const a = await replica();
    const first = a.keys.current();
    clock.advance(-3_600_000);
    const next = await a.keys.rotate(clock.now());
    expect(next.createdAt).toBe(first.createdAt);
    expect(next.kid > first.kid).toBe(true);
    expect(a.keys.list().map((k) => [k.kid, k.phase])).toEqual([
      [first.kid, 'signing'],
      [next.kid, 'pending'],
    ]);
    clock.set(next.createdAt + PUBLISH_AHEAD_MS);
    expect(a.keys.current().kid).toBe(next.kid);
  });

  it('a replica with another master key refuses to start, with a one-line reason', async () => {
    await replica();
    const err = await replica(Buffer.from('a different master key of sufficient length!!')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SealedSecretError);
    expect((err as Error).message).toMatch(/was RENTAL_MASTER_KEY changed\?/);
  });

  it('a timed refresh that fails keeps the keys it had and reports the error', async () => {
    const store = openSqliteStore({ file: join(dir, 'server.db') });
    const timer = fakeTimer();
    const errors: unknown[] = [];
    const keys = await openDbKeyStore({
      secrets: store,
      sealer: sealer(MASTER_KEY),
      clock,
      setTimer: timer.setTimer,
      onError: (e) => errors.push(e),
    });
    open.push({
      store,
      keys,
      timer,
      tokens: createTokenService({ keys, issuer: ISSUER, clock, rentalTtlS: 120 }),
    });
    const kid = keys.current().kid;
    vi.spyOn(store, 'signingKeys').mockRejectedValueOnce(new Error('connection reset'));
    await timer.fire();
    expect(errors).toHaveLength(1);
    expect(keys.current().kid).toBe(kid);
    expect(timer.armed()).toBe(1);
  });
});
