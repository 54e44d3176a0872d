/**
 * The part both key stores share: the keys a server has read, which one signs and which are
 * published (by the rule in key-lifecycle.ts, judged at the clock's now), and re-reading the
 * keys from where they are kept — every `refreshMs` on an injected timer, and when a token
 * names a kid this server does not know (at most once a second), so a key rotated by the
 * admin CLI on any machine is published and signed with without a restart.
 */
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { BugError, type Clock } from '../../protocol/index.ts';
import { realTimer, type SetTimer } from '../notify/daily-schedule.ts';
import { byAge, keyLifecycle, nextKeyId, type KeyRule, type KeyTimes } from './key-lifecycle.ts';
import type { KeyInfo, KeyStore, SigningKey } from './key-store.ts';

/** How often a server re-reads its keys, and so how soon a rotation reaches every server. */
export const KEY_REFRESH_MS = 10_000;
/** A token naming an unknown kid makes the server re-read its keys at most this often. */
export const UNKNOWN_KID_REFRESH_MS = 1_000;

/** A key as it is kept: its private JWK is read (unsealed) only for a kid not loaded yet. */
export type StoredKey = { kid: string; createdAt: number; open(): JWK | Promise<JWK> };

/** Where a ring's keys are kept: files in a directory, or sealed rows in the database. */
export type KeySource = {
  read(): Promise<StoredKey[]>;
  write(key: { kid: string; createdAt: number; jwk: JWK }): Promise<void>;
  /** Forgets a retired key for good; without it, retired keys are only left out. */
  remove?(kid: string): Promise<void>;
};

export type KeyRingOptions = {
  clock: Clock;
  rule: KeyRule;
  setTimer?: SetTimer;
  refreshMs?: number;
  /** A timed refresh that failed (database away, a key that does not open); the old keys stay. */
  onError?: (err: unknown) => void;
};

type LoadedKey = SigningKey & { publicKey: CryptoKey };

/** A kid as this server makes them (`2026-03-02-1a2b3c4d`); anything else never causes a read. */
const KID = /^[A-Za-z0-9_-]{1,64}$/;

export async function loadKey(kid: string, createdAt: number, jwk: JWK): Promise<LoadedKey> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.d !== 'string') {
    throw new BugError(`signing key ${kid} is not an Ed25519 private JWK`);
  }
  if (!Number.isFinite(createdAt)) throw new BugError(`signing key ${kid} has no creation time`);
  const privateKey = (await importJWK(jwk, 'EdDSA')) as CryptoKey;
  // Built field by field, so nothing private can ride along into the JWKS.
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' };
  const publicKey = (await importJWK(publicJwk, 'EdDSA')) as CryptoKey;
  return { kid, createdAt, privateKey, publicJwk, publicKey };
}

const randomSuffix = () => randomBytes(4).readUInt32BE(0);

/** A new key pair, named to sort after `newest` (see nextKeyId). */
export async function newKeyJwk(
  now: number,
  newest?: KeyTimes,
): Promise<{ kid: string; createdAt: number; jwk: JWK }> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...nextKeyId(now, newest, randomSuffix), jwk };
}

export async function openKeyRing(source: KeySource, opts: KeyRingOptions): Promise<KeyStore> {
  const refreshMs = opts.refreshMs ?? KEY_REFRESH_MS;
  const setTimer = opts.setTimer ?? realTimer;
  let keys = new Map<string, LoadedKey>();
  let queue: Promise<void> = Promise.resolve();
  let inflight: Promise<void> | null = null;
  let lastKidRefreshAt = -Infinity;
  let closed = false;
  let cancel = () => {};

  const lifecycle = () => keyLifecycle([...keys.values()], opts.clock.now(), opts.rule);
  const verifiable = (kid: string) => {
    const found = lifecycle().find((l) => l.key.kid === kid);
    return found && found.phase !== 'retired' ? found.key.publicKey : undefined;
  };

  async function readAll(): Promise<void> {
    let stored = await source.read();
    if (stored.length === 0) {
      // First start, or the table was emptied: make one. Two replicas starting together
      // may both do so; the rule picks the same signer for both once each has read the other's.
      await source.write(await newKeyJwk(opts.clock.now()));
      stored = await source.read();
    }
    const next = new Map<string, LoadedKey>();
    for (const s of stored)
      next.set(s.kid, keys.get(s.kid) ?? (await loadKey(s.kid, s.createdAt, await s.open())));
    if (source.remove) {
      for (const l of keyLifecycle([...next.values()], opts.clock.now(), opts.rule)) {
        if (l.phase !== 'retired') continue;
        await source.remove(l.key.kid);
        next.delete(l.key.kid);
      }
    }
    if (next.size === 0) throw new BugError('no signing key after reading the keys');
    keys = next;
  }

  /** Reads run one after another, so a read that started before a rotation never wins over one after. */
  function refresh(): Promise<void> {
    const run = queue.then(readAll);
    queue = run.then(
      () => {},
      () => {},
    );
    inflight = run;
    void queue.then(() => {
      if (inflight === run) inflight = null;
    });
    return run;
  }

  const arm = () => {
    if (closed) return;
    cancel = setTimer(() => {
      refresh()
        .catch((err: unknown) => opts.onError?.(err))
        .finally(arm);
    }, refreshMs);
  };

  await refresh();
  arm();

  return {
    current() {
      const signing = lifecycle().find((l) => l.phase === 'signing');
      if (!signing) throw new BugError('no signing key');
      return signing.key;
    },
    async publicKey(kid) {
      const known = verifiable(kid);
      // A kid we hold (signing, or retired) needs no read; nor does one we could never have made.
      if (known || closed || keys.has(kid) || !KID.test(kid)) return known;
      if (inflight) {
        await inflight;
      } else {
        const now = opts.clock.now();
        if (now - lastKidRefreshAt < UNKNOWN_KID_REFRESH_MS) return undefined;
        lastKidRefreshAt = now;
        await refresh();
      }
      return verifiable(kid);
    },
    signedUntil: (kid) => {
      const found = lifecycle().find((l) => l.key.kid === kid);
      return found && found.phase === 'retiring' ? found.supersededAt : null;
    },
    jwks: () => ({ keys: lifecycle().flatMap((l) => (l.phase === 'retired' ? [] : [l.key.publicJwk])) }),
    list: () =>
      lifecycle().map((l): KeyInfo => ({
        kid: l.key.kid,
        createdAt: l.key.createdAt,
        phase: l.phase,
        signsFrom: l.signsFrom,
        retiresAt: l.retiresAt,
      })),
    async rotate(now) {
      // Read first, so the new key sorts after every key there is, wherever it was made.
      await refresh();
      const made = await newKeyJwk(now, [...keys.values()].sort(byAge).at(-1));
      await source.write(made);
      await refresh();
      const key = keys.get(made.kid);
      if (!key) throw new BugError(`signing key ${made.kid} was written but is not there`);
      return key;
    },
    refresh,
    close() {
      closed = true;
      cancel();
    },
  };
}
