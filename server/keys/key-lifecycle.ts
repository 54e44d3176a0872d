/**
 * When a signing key is published, signs, and is retired: the one rule both key stores (files,
 * database) apply, as a pure function of the keys' creation times and the clock.
 *
 * - A key is published (in the JWKS, verifiable) from the moment a server reads it.
 * - It signs from `createdAt + publishAheadMs`. Replicas read the keys table every few
 *   seconds, so a new key waits until every replica publishes it before any signs with it:
 *   a kiosk fetching the JWKS from any replica then knows the kid of any token it is given.
 *   The first key (nothing to hand over from) signs at once. One process with its own files
 *   publishes and signs at the same moment, so there it is 0.
 * - The newest key whose time has come signs; the others are superseded.
 * - A key superseded at S (when the next newer key starts to sign) may have signed, up to S,
 *   a token that lives as long as the longest-lived token the server issues (the offline
 *   roster, ROSTER_TTL_S). It stays verifiable until S + that lifetime + a margin (replicas'
 *   clocks, a replica that missed a refresh, clock tolerance), then is retired: left out of the
 *   JWKS and of verification, and deleted where the store can delete.
 */
import { ROSTER_TTL_S } from '../../protocol/index.ts';

/** The longest lifetime of any token a server key signs (rental 120 s, access 15 min, roster 24 h). */
export const LONGEST_TOKEN_LIFETIME_MS = ROSTER_TTL_S * 1000;
/** Slack after that: clock skew between replicas, a replica that missed refreshes for a while. */
export const RETIREMENT_MARGIN_MS = 60 * 60 * 1000;
/** A superseded key stays verifiable this long. */
export const KEY_RETIREMENT_MS = LONGEST_TOKEN_LIFETIME_MS + RETIREMENT_MARGIN_MS;

export type KeyPhase =
  /** Published and verifiable, not signing yet (waiting for every replica to publish it). */
  | 'pending'
  | 'signing'
  /** Superseded; still verifiable and published until `retiresAt`. */
  | 'retiring'
  /** Past `retiresAt`: not published, not verifiable, deleted from the database. */
  | 'retired';

export type KeyTimes = { kid: string; createdAt: number };

export type KeyLifecycle<K extends KeyTimes = KeyTimes> = {
  key: K;
  phase: KeyPhase;
  /** When it starts (started) to sign, unless a newer key takes over first. */
  signsFrom: number;
  /** When the next newer key starts to sign; null for the newest. */
  supersededAt: number | null;
  /** supersededAt + the retirement period; null for the newest. */
  retiresAt: number | null;
};

export type KeyRule = {
  /** How long a new key is published before it signs (0 for one process on its own files). */
  publishAheadMs: number;
  /** How long a superseded key stays verifiable; KEY_RETIREMENT_MS unless a test says otherwise. */
  retireAfterMs?: number;
};

/** Oldest first, ties broken by kid, so every replica orders the same keys the same way. */
export function byAge<K extends KeyTimes>(a: K, b: K): number {
  return a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0);
}

/** Each key's phase at `now`, oldest first. Exactly one key signs when there is any. */
export function keyLifecycle<K extends KeyTimes>(
  keys: readonly K[],
  now: number,
  rule: KeyRule,
): KeyLifecycle<K>[] {
  const retireAfterMs = rule.retireAfterMs ?? KEY_RETIREMENT_MS;
  const sorted = [...keys].sort(byAge);
  const signsFrom = sorted.map((k, i) => (i === 0 ? k.createdAt : k.createdAt + rule.publishAheadMs));
  // The newest key whose time has come; when none has (this clock is behind the one that
  // made the first key), the oldest: a server must sign with something it knows.
  let signer = 0;
  for (let i = 0; i < sorted.length; i++) if (signsFrom[i]! <= now) signer = i;
  return sorted.map((key, i) => {
    const supersededAt = i + 1 < sorted.length ? signsFrom[i + 1]! : null;
    const retiresAt = supersededAt === null ? null : supersededAt + retireAfterMs;
    const phase: KeyPhase =
      i === signer ? 'signing' : i > signer ? 'pending' : now >= retiresAt! ? 'retired' : 'retiring';
    return { key, phase, signsFrom: signsFrom[i]!, supersededAt, retiresAt };
  });
}

const MAX_SUFFIX = 0xffffffff;

/**
 * The kid and creation time of a new key, made to sort after `newest` (byAge): a rotation
 * from a machine whose clock is behind the one that made the newest key, or in the same
 * millisecond, must still make the newest key, or it would never sign. Kids are
 * `<date>-<8 hex>`; `random` gives the 32-bit suffix.
 */
export function nextKeyId(now: number, newest: KeyTimes | undefined, random: () => number): KeyTimes {
  const kidAt = (createdAt: number, suffix: number) =>
    `${new Date(createdAt).toISOString().slice(0, 10)}-${(suffix >>> 0).toString(16).padStart(8, '0')}`;
  if (!newest || now > newest.createdAt) return { kid: kidAt(now, random()), createdAt: now };
  const createdAt = newest.createdAt;
  const m = /^(.*)-([0-9a-f]{8})$/.exec(newest.kid);
  const prefix = kidAt(createdAt, 0).slice(0, -9);
  const last = m && m[1] === prefix ? parseInt(m[2]!, 16) : MAX_SUFFIX;
  // Same time: a suffix above the newest's. (None left, or a kid of another shape: a millisecond later.)
  if (last < MAX_SUFFIX)
    return { kid: kidAt(createdAt, last + 1 + ((random() >>> 0) % (MAX_SUFFIX - last))), createdAt };
  return { kid: kidAt(createdAt + 1, random()), createdAt: createdAt + 1 };
}
