/**
 * Remembers each device assertion's `jti` until the assertion expires, so a captured
 * assertion cannot be replayed, on this replica or any other (SharedState).
 */
import type { Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';

export type ReplayCache = {
  /** False if seen before. */ remember(jti: string, expiresAtMs: number): Promise<boolean>;
};

export function createReplayCache(clock: Clock, state: SharedState): ReplayCache {
  return { remember: (jti, expiresAtMs) => state.claimOnce(`jti:${jti}`, expiresAtMs, clock.now()) };
}
