/**
 * A bound on password hashes in flight. scrypt runs on libuv's thread pool (4 threads), as
 * does every Ed25519 signature and verification jose makes through WebCrypto: a flood of
 * logins left unbounded queues badge taps behind hundreds of 50 ms hashes (a tap went from
 * 20 ms to 27 s). At most `maxInFlight` hashes run at once, so threads stay free for
 * tokens; at most `maxWaiting` wait their turn; past that a login is answered 429 at once.
 */
import { RateLimitedError } from './login-throttle.ts';

export type PasswordGate = {
  run<T>(hash: () => Promise<T>): Promise<T>;
  inFlight(): number;
  waiting(): number;
};

export function createPasswordGate(opts: { maxInFlight: number; maxWaiting: number }): PasswordGate {
  let running = 0;
  const queue: (() => void)[] = [];
  // A finished hash hands its slot to the next waiter, or frees it. (Freeing it and then
  // waking a waiter, as before, let every hand-over leak a slot: under a sustained flood
  // the hashes in flight grew past the bound until they held all four pool threads and
  // badge taps waited seconds for theirs.)
  const next = () => {
    const waiter = queue.shift();
    if (waiter) waiter();
    else running--;
  };
  return {
    async run(hash) {
      if (running >= opts.maxInFlight) {
        if (queue.length >= opts.maxWaiting) throw new RateLimitedError(1_000);
        // The slot is handed over by `next` (running stays counted for us).
        await new Promise<void>((resolve) => queue.push(resolve));
      } else running++;
      try {
        return await hash();
      } finally {
        next();
      }
    },
    inFlight: () => running,
    waiting: () => queue.length,
  };
}
