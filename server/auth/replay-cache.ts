/**
 * Remembers each device assertion's `jti` until the assertion expires, so a captured
 * assertion cannot be replayed. Held in memory: assertions live at most 60 s, and the
 * server refuses any assertion issued before it started (see kiosk-assertion.ts), so a
 * restart cannot reopen the window.
 */
import type { Clock } from '../../protocol/index.ts';

export type ReplayCache = {
  /** False if seen before. */ remember(jti: string, expiresAtMs: number): boolean;
};

export function createReplayCache(clock: Clock, maxEntries = 100_000): ReplayCache {
  const seen = new Map<string, number>();
  let nextSweep = 0;
  return {
    remember(jti, expiresAtMs) {
      const now = clock.now();
      if (now >= nextSweep || seen.size >= maxEntries) {
        for (const [k, exp] of seen) if (exp <= now) seen.delete(k);
        nextSweep = now + 5_000;
      }
      const prior = seen.get(jti);
      if (prior !== undefined && prior > now) return false;
      seen.set(jti, expiresAtMs);
      return true;
    },
  };
}
