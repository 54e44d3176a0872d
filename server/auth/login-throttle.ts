/**
 * Login back-off, per account and per address. A few failures are free (typos); after
 * that each failure doubles the wait before the next attempt is even checked, up to a cap.
 * A success clears the account's count (not the address's: one address guessing many
 * accounts stays slowed). Kept in SharedState, so a limit holds across replicas instead of
 * multiplying by their number; judged on the injected clock.
 */
import { AppError, type Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';

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
  state: SharedState,
  policies = { account: ACCOUNT_POLICY, address: ADDRESS_POLICY },
) {
  const keysOf = (account: string, address: string) => [
    { key: `login:a:${account.trim().toLowerCase()}`, policy: policies.account },
    { key: `login:i:${address}`, policy: policies.address },
  ];

  return {
    /** Throws RateLimitedError while either the account or the address is waiting. */
    async check(account: string, address: string) {
      const now = clock.now();
      let wait = 0;
      for (const { key } of keysOf(account, address)) {
        const e = await state.read<Entry>(key, now);
        if (e && e.lockedUntil > now) wait = Math.max(wait, e.lockedUntil - now);
      }
      if (wait > 0) throw new RateLimitedError(wait);
    },

    async failed(account: string, address: string) {
      const now = clock.now();
      for (const { key, policy } of keysOf(account, address)) {
        await state.update<Entry, void>(key, now, (held) => {
          const entry =
            held && now - held.lastFailure <= policy.forgetAfterMs
              ? { ...held }
              : { failures: 0, lockedUntil: 0, lastFailure: now };
          entry.failures += 1;
          entry.lastFailure = now;
          const over = entry.failures - policy.freeFailures;
          if (over > 0) entry.lockedUntil = now + Math.min(policy.baseMs * 2 ** (over - 1), policy.maxMs);
          // Forgotten once neither the lock nor the memory of the failures matters any more.
          return {
            next: entry,
            expiresAt: Math.max(entry.lockedUntil, now + policy.forgetAfterMs),
            result: undefined,
          };
        });
      }
    },

    async succeeded(account: string) {
      await state.update(keysOf(account, '')[0]!.key, clock.now(), () => ({
        next: null,
        expiresAt: 0,
        result: undefined,
      }));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

type Bucket = { tokens: number; at: number };

/**
 * A token bucket per key (badge taps per kiosk): `burst` at once, refilled at `perMinute`.
 */
export function createRateLimiter(
  clock: Clock,
  state: SharedState,
  opts: { burst: number; perMinute: number },
) {
  const rate = opts.perMinute / 60_000;
  // A bucket left alone this long is full again, so it need not be kept.
  const refillMs = Math.ceil(opts.burst / rate);
  return {
    take: (key: string) =>
      state
        .update<Bucket, number>(`bucket:${key}`, clock.now(), (held) => {
          const now = clock.now();
          const b = held ?? { tokens: opts.burst, at: now };
          const tokens = Math.min(opts.burst, b.tokens + (now - b.at) * rate);
          if (tokens < 1)
            return {
              next: { tokens, at: now },
              expiresAt: now + refillMs,
              result: Math.ceil((1 - tokens) / rate),
            };
          return { next: { tokens: tokens - 1, at: now }, expiresAt: now + refillMs, result: 0 };
        })
        .then((waitMs) => {
          if (waitMs > 0) throw new RateLimitedError(waitMs);
        }),
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
