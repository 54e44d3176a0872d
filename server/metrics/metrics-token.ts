/**
 * The bearer token Prometheus presents at /metrics. An admin makes it (`npm run admin --
 * metrics token`); it is shown once and only its SHA-256 is kept, in the database's secrets,
 * so every replica accepts the same token and a database dump does not give it away. SHA-256
 * and not a slow hash: the token is 256 random bits, nothing to guess (as with refresh tokens).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../protocol/index.ts';
import type { Store } from '../store/store.ts';

export const METRICS_TOKEN_SECRET = 'metrics-token-sha256';
const PREFIX = 'rmt_';
/** A replica re-reads the hash this often, so a renewed token works everywhere within it. */
export const METRICS_TOKEN_REFRESH_MS = 30_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export async function createMetricsToken(store: Pick<Store, 'replaceSecret'>, now: number): Promise<string> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  await store.replaceSecret(METRICS_TOKEN_SECRET, sha256(token).toString('hex'), now);
  return token;
}

export function revokeMetricsToken(store: Pick<Store, 'replaceSecret'>, now: number): Promise<void> {
  return store.replaceSecret(METRICS_TOKEN_SECRET, null, now);
}

export type MetricsTokenCheck = 'ok' | 'wrong' | 'none' | 'unavailable';

/**
 * Checks a presented token against the kept hash, read at most every METRICS_TOKEN_REFRESH_MS.
 * With the database away, the hash read last keeps working: an outage is when the figures
 * matter most.
 */
export function metricsTokenChecker(store: Pick<Store, 'getSecret'>, clock: Clock) {
  let known: { hash: Buffer | null; readAt: number } | null = null;
  const current = async (): Promise<Buffer | null | undefined> => {
    const now = clock.now();
    if (known && now - known.readAt < METRICS_TOKEN_REFRESH_MS) return known.hash;
    try {
      const hex = await store.getSecret(METRICS_TOKEN_SECRET);
      known = { hash: hex ? Buffer.from(hex, 'hex') : null, readAt: now };
    } catch {
      if (!known) return undefined;
    }
    return known.hash;
  };
  return async (presented: string | null): Promise<MetricsTokenCheck> => {
    const hash = await current();
    if (hash === undefined) return 'unavailable';
    if (hash === null) return 'none';
    if (!presented) return 'wrong';
    const given = sha256(presented);
    return given.length === hash.length && timingSafeEqual(given, hash) ? 'ok' : 'wrong';
  };
}
