/**
 * Login back-off (README, Security model). Three counters, each with a few free failures and
 * then a doubling wait before the next attempt is even checked:
 *  - per account *and* source address: stops one source guessing one account (5 free, up to
 *    15 min);
 *  - per source address: stops one source spraying many accounts (20 free, up to 15 min);
 *  - per account from anywhere: slows guessing spread over many addresses (30 free), capped
 *    at 1 min so that strangers cannot lock the owner out; a source the owner signed in from
 *    in the last 30 days is not held by it at all.
 * Every attempt is counted (reserved) *before* the slow password check, so a burst sent at
 * once cannot have more guesses in flight than the free ones plus one. A success clears the
 * account's counters and gives the address its attempt back. Kept in SharedState, so a limit
 * holds across replicas instead of multiplying by their number; judged on the injected clock.
 */
import { AppError, type Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';

export type ThrottlePolicy = { freeFailures: number; baseMs: number; maxMs: number; forgetAfterMs: number };

const HOUR_MS = 60 * 60_000;
export const PAIR_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseMs: 1_000,
  maxMs: 15 * 60_000,
  forgetAfterMs: HOUR_MS,
};
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseMs: 1_000,
  maxMs: 15 * 60_000,
  forgetAfterMs: HOUR_MS,
};
export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 30,
  baseMs: 1_000,
  maxMs: 60_000,
  forgetAfterMs: HOUR_MS,
};
/** How long a source stays known-good for an account after a successful sign-in. */
export const KNOWN_SOURCE_MS = 30 * 24 * HOUR_MS;

type Entry = { failures: number; lockedUntil: number; lastFailure: number };

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterMs: number) {
    super('RATE_LIMITED', 'too many attempts; wait and try again');
  }
}

export type LoginAttempt = {
  /** The password was right: forget this attempt's failure. */
  succeeded(): Promise<void>;
};

export function createLoginThrottle(
  clock: Clock,
  state: SharedState,
  policies = { pair: PAIR_POLICY, address: ADDRESS_POLICY, account: ACCOUNT_POLICY },
) {
  const norm = (account: string) => account.trim().toLowerCase();
  const keys = (account: string, address: string) => ({
    pair: `login:p:${norm(account)}|${address}`,
    address: `login:i:${address}`,
    account: `login:a:${norm(account)}`,
    known: `login:k:${norm(account)}|${address}`,
  });

  /** Counts one attempt against `key`, unless it is waiting: then the wait in ms. */
  const reserve = (key: string, policy: ThrottlePolicy, now: number) =>
    state.update<Entry, number>(key, now, (held) => {
      const live = held && now - held.lastFailure <= policy.forgetAfterMs ? held : undefined;
      if (live && live.lockedUntil > now) {
        return {
          next: live,
          expiresAt: Math.max(live.lockedUntil, live.lastFailure + policy.forgetAfterMs),
          result: live.lockedUntil - now,
        };
      }
      const failures = (live?.failures ?? 0) + 1;
      const over = failures - policy.freeFailures;
      const lockedUntil = over > 0 ? now + Math.min(policy.baseMs * 2 ** (over - 1), policy.maxMs) : 0;
      const next = { failures, lockedUntil, lastFailure: now };
      return { next, expiresAt: Math.max(lockedUntil, now + policy.forgetAfterMs), result: 0 };
    });

  const forget = (key: string, now: number) =>
    state.update(key, now, () => ({ next: null, expiresAt: 0, result: undefined }));

  return {
    /**
     * Reserve one attempt for this account from this address before checking the password.
     * Throws RateLimitedError while a counter that applies is waiting.
     */
    async attempt(account: string, address: string): Promise<LoginAttempt> {
      const now = clock.now();
      const k = keys(account, address);
      const known = (await state.read<boolean>(k.known, now)) === true;
      const counters: [string, ThrottlePolicy][] = [
        [k.pair, policies.pair],
        [k.address, policies.address],
        ...(known ? [] : ([[k.account, policies.account]] as [string, ThrottlePolicy][])),
      ];
      for (const [key, policy] of counters) {
        const wait = await reserve(key, policy, now);
        if (wait > 0) throw new RateLimitedError(wait);
      }
      return {
        async succeeded() {
          const at = clock.now();
          await forget(k.pair, at);
          await forget(k.account, at);
          await state.update<Entry, void>(k.address, at, (held) => ({
            next: held ? { ...held, failures: Math.max(0, held.failures - 1) } : null,
            expiresAt: held
              ? Math.max(held.lockedUntil, held.lastFailure + policies.address.forgetAfterMs)
              : 0,
            result: undefined,
          }));
          await state.update(k.known, at, () => ({
            next: true,
            expiresAt: at + KNOWN_SOURCE_MS,
            result: undefined,
          }));
        },
      };
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
