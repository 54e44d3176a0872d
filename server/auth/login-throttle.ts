/**
 * Login back-off, per account and per address. A few failures are free (typos); after
 * that each failure doubles the wait before the next attempt is even checked, up to a cap.
 * A success clears the account's count (not the address's: one address guessing many
 * accounts stays slowed). In memory, judged on the injected clock.
 */
import { AppError, type Clock } from '../../protocol/index.ts';

export type ThrottlePolicy = { freeFailures: number; baseMs: number; maxMs: number; forgetAfterMs: number };

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseMs: 1_000,
  maxMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseMs: 1_000,
  maxMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

type Entry = { failures: number; lockedUntil: number; lastFailure: number };

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterMs: number) {
    super('RATE_LIMITED', 'too many attempts; wait and try again');
  }
}

export function createLoginThrottle(
  clock: Clock,
  policies = { account: ACCOUNT_POLICY, address: ADDRESS_POLICY },
  maxEntries = 50_000,
) {
  const entries = new Map<string, { entry: Entry; policy: ThrottlePolicy }>();

  const keysOf = (account: string, address: string) => [
    { key: `a:${account.trim().toLowerCase()}`, policy: policies.account },
    { key: `i:${address}`, policy: policies.address },
  ];

  function sweep(now: number) {
    for (const [k, { entry, policy }] of entries) {
      if (now - entry.lastFailure > policy.forgetAfterMs && entry.lockedUntil <= now) entries.delete(k);
    }
  }

  return {
    /** Throws RateLimitedError while either the account or the address is waiting. */
    check(account: string, address: string) {
      const now = clock.now();
      let wait = 0;
      for (const { key } of keysOf(account, address)) {
        const e = entries.get(key)?.entry;
        if (e && e.lockedUntil > now) wait = Math.max(wait, e.lockedUntil - now);
      }
      if (wait > 0) throw new RateLimitedError(wait);
    },

    failed(account: string, address: string) {
      const now = clock.now();
      if (entries.size >= maxEntries) sweep(now);
      for (const { key, policy } of keysOf(account, address)) {
        const held = entries.get(key);
        const entry =
          held && now - held.entry.lastFailure <= policy.forgetAfterMs
            ? held.entry
            : { failures: 0, lockedUntil: 0, lastFailure: now };
        entry.failures += 1;
        entry.lastFailure = now;
        const over = entry.failures - policy.freeFailures;
        if (over > 0) entry.lockedUntil = now + Math.min(policy.baseMs * 2 ** (over - 1), policy.maxMs);
        entries.set(key, { entry, policy });
      }
    },

    succeeded(account: string) {
      entries.delete(keysOf(account, '')[0]!.key);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/**
 * A token bucket per key (badge taps per kiosk): `burst` at once, refilled at `perMinute`.
 */
export function createRateLimiter(clock: Clock, opts: { burst: number; perMinute: number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = opts.perMinute / 60_000;
  return {
    take(key: string) {
      const now = clock.now();
      const b = buckets.get(key) ?? { tokens: opts.burst, at: now };
      b.tokens = Math.min(opts.burst, b.tokens + (now - b.at) * rate);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens < 1) throw new RateLimitedError(Math.ceil((1 - b.tokens) / rate));
      b.tokens -= 1;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
