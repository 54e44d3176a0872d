/**
 * The offline roster: a server-signed list of who may start a session at one kiosk while
 * the server is unreachable, and the check of offline rows at sync.
 *
 * What a stolen kiosk may hold is worth little (protocol/tokens.ts has the construction):
 * - each kiosk has its own roster key, derived from the server's roster key, the kiosk id
 *   and the kiosk's key generation, which revoking the kiosk moves on;
 * - each entry is a scrypt of the badge secret salted with that key, so every guess at a
 *   badge number costs a full scrypt, for this kiosk's roster only;
 * - an offline row carries a proof under a key that only the badge itself yields (the
 *   second half of the same scrypt): not in the roster, never stored on the kiosk.
 * The server derives all of this from the sealed badge secret it keeps per badge
 * (auth/badge-hash.ts). Rosters are recorded by id so the server can check, at sync,
 * which one a kiosk used and when it was issued.
 */
import { createHmac, hkdfSync, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  ROSTER_KDF,
  ROSTER_TTL_S,
  TOKEN_ALG,
  TOKEN_TYP,
  kioskSubject,
  offlineProofMessage,
  type Clock,
  type RosterClaims,
  type RosterKdf,
  type TxKind,
} from '../../protocol/index.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { OfflineFacts, Store } from '../store/store.ts';
import { badgeSecretOpener } from './badge-hash.ts';

export type RosterService = ReturnType<typeof createRosterService>;

/**
 * Entries and proof keys derived in this process, per (kiosk, generation, badge): a roster
 * of 1000 people is 1000 scrypts. The entries are kept in the store too (shared by replicas,
 * surviving restarts); proof keys only here, worked out again when a sync needs one.
 */
const CACHE_LIMIT = 20_000;

type Derived = { h: string; proofKey: Buffer };

/** This kiosk's roster key for one generation. */
export function kioskRosterKey(rosterKey: Buffer, kioskId: string, generation: number): Buffer {
  return Buffer.from(
    hkdfSync('sha256', rosterKey, 'rental kiosk roster key v1', `${kioskId}\n${generation}`, 32),
  );
}

/** scrypt of a badge secret under a kiosk's roster key: [roster entry, proof key]. */
export function deriveRosterEntry(secret: Buffer, kioskKey: Buffer, kdf: RosterKdf): Promise<Derived> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      kioskKey,
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (err, out) => {
        if (err) reject(err);
        else resolve({ h: out.subarray(0, 32).toString('base64url'), proofKey: out.subarray(32) });
      },
    );
  });
}

export function createRosterService(deps: {
  store: Store;
  keys: KeyStore;
  issuer: string;
  clock: Clock;
  rosterKey: Buffer;
  maxLoansPerPerson: number;
  /** Items one person may borrow in one offline session. */
  maxOfflineBorrows?: number;
  ttlS?: number;
  kdf?: RosterKdf;
}) {
  const ttlS = deps.ttlS ?? ROSTER_TTL_S;
  const kdf: RosterKdf = deps.kdf ?? { ...ROSTER_KDF };
  const openSecret = badgeSecretOpener(deps.rosterKey);
  const cache = new Map<string, Promise<Derived>>();
  // One scrypt at a time: libuv's four threads are shared with password hashing (two) and
  // Ed25519 signing, which a badge tap waits on; a roster build must not take them all.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  /** The entry and proof key of one sealed badge secret at one kiosk; null if it does not open. */
  function derive(kioskId: string, generation: number, sealed: string): Promise<Derived> | null {
    const id = `${kioskId}\n${generation}\n${sealed}`;
    const known = cache.get(id);
    if (known) return known;
    const secret = openSecret(sealed);
    if (!secret) return null;
    const key = kioskRosterKey(deps.rosterKey, kioskId, generation);
    const p = serially(() => deriveRosterEntry(secret, key, kdf));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(id, p);
    p.catch(() => cache.delete(id));
    return p;
  }

  /** Open loans per person, so the kiosk can hold each to the loan limit offline. */
  const openLoanCounts = async () => {
    const counts = new Map<string, number>();
    for (const loan of await deps.store.loans({ status: 'open' }))
      counts.set(loan.userId, (counts.get(loan.userId) ?? 0) + 1);
    return counts;
  };

  const generationOf = async (kioskId: string) => {
    const g = await deps.store.kioskRosterGeneration(kioskId);
    if (g === null) throw new Error(`no kiosk ${kioskId}`);
    return g;
  };

  return {
    async issue(kioskId: string) {
      const generation = await generationOf(kioskId);
      const people = await deps.store.rosterEntries();
      const counts = people.length ? await openLoanCounts() : new Map<string, number>();
      const stored = new Map(
        (await deps.store.derivedRosterEntries(kioskId, generation)).map((e) => [e.secret, e.entry]),
      );
      const fresh: { secret: string; entry: string }[] = [];
      const hashes = await Promise.all(
        people.map(async (e) => {
          const known = stored.get(e.rosterHash);
          if (known) return known;
          const d = await derive(kioskId, generation, e.rosterHash);
          if (d) fresh.push({ secret: e.rosterHash, entry: d.h });
          return d?.h ?? null;
        }),
      );
      if (fresh.length) await deps.store.saveRosterEntries(kioskId, generation, fresh);
      const entries: RosterClaims['entries'] = [];
      people.forEach((e, i) => {
        const h = hashes[i];
        // A badge without a sealed secret (an old hash, not yet tapped online) is not offline-ready.
        if (!h) return;
        entries.push({
          h,
          userId: e.userId,
          displayName: e.displayName,
          role: e.role,
          openLoans: counts.get(e.userId) ?? 0,
        });
      });
      const claims: RosterClaims = {
        entries,
        maxLoans: deps.maxLoansPerPerson,
        maxOfflineBorrows: deps.maxOfflineBorrows ?? 2,
        kdf,
      };
      // Signed after the hashing, so issuedAt is not earlier than the roster could exist.
      const key = deps.keys.current();
      const iat = Math.floor(deps.clock.now() / 1000);
      const exp = iat + ttlS;
      const jti = randomUUID();
      const roster = await new SignJWT(claims)
        .setProtectedHeader({ alg: TOKEN_ALG, typ: TOKEN_TYP.roster, kid: key.kid })
        .setIssuer(deps.issuer)
        .setAudience(kioskSubject(kioskId))
        .setSubject(kioskSubject(kioskId))
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(key.privateKey);
      await deps.store.recordRoster(jti, kioskId, iat * 1000, exp * 1000);
      return {
        roster,
        rosterKey: kioskRosterKey(deps.rosterKey, kioskId, generation).toString('base64url'),
        expiresAtMs: exp * 1000,
      };
    },

    /**
     * An offline row checked again now. Rejected (TOKEN_INVALID) when the roster was not
     * issued to this kiosk: nothing to attribute it to. Otherwise the facts the sync needs to
     * place the row in time, and whether its proof shows the person's badge was here:
     * the roster entry is one of this person's badges at this kiosk, and the proof signs
     * exactly this row. Whether the proof was used before is the sync's to check.
     */
    async check(
      kioskId: string,
      auth: { roster: string; badge: string; nonce?: string | undefined; proof?: string | undefined },
      tx: { kind: TxKind; itemId: string; userId: string; occurredAt: number; clockTrusted: boolean },
    ): Promise<{ authError: 'TOKEN_INVALID' } | { authError: null; offline: OfflineFacts }> {
      const roster = await deps.store.findRoster(auth.roster);
      if (!roster || roster.kioskId !== kioskId) return { authError: 'TOKEN_INVALID' };
      const facts = (proofError: OfflineFacts['proofError']): OfflineFacts => ({
        rosterIssuedAt: roster.issuedAt,
        rosterExpiresAt: roster.expiresAt,
        proof: auth.proof ?? null,
        proofError,
      });
      if (!auth.proof || !auth.nonce) return { authError: null, offline: facts('OFFLINE_PROOF_INVALID') };
      const generation = await generationOf(kioskId);
      const expected = Buffer.from(auth.proof, 'base64url');
      const message = offlineProofMessage({ roster: auth.roster, nonce: auth.nonce, ...tx });
      for (const sealed of await deps.store.rosterSecretsOf(tx.userId)) {
        const d = await derive(kioskId, generation, sealed);
        if (!d || d.h !== auth.badge) continue;
        const actual = createHmac('sha256', d.proofKey).update(message).digest();
        if (actual.length === expected.length && timingSafeEqual(actual, expected))
          return { authError: null, offline: facts(null) };
      }
      return { authError: null, offline: facts('OFFLINE_PROOF_INVALID') };
    },
  };
}
