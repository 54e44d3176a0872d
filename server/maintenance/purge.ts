/**
 * Drops what has expired, on a schedule, so no table grows forever and no lookup slows as
 * it fills: refresh tokens and sessions past their end, denylisted access-token ids,
 * seen-once assertion ids, throttle windows, enrollment codes past their time. With
 * several replicas one of them does each round (a claim in SharedState).
 */
import type { Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';
import type { Store } from '../store/store.ts';
import type { SetTimer } from '../notify/daily-schedule.ts';
import { startFleetJob } from './fleet-job.ts';

export const PURGE_EVERY_MS = 10 * 60_000;

export type PurgeRound = { sharedEntries: number; enrollmentCodes: number };

export async function purgeExpired(deps: {
  store: Store;
  shared: SharedState;
  clock: Clock;
}): Promise<PurgeRound> {
  const now = deps.clock.now();
  await deps.store.purgeExpiredAuth(now);
  const sharedEntries = await deps.shared.purge(now);
  const enrollmentCodes = await deps.store.expireEnrollmentCodes(now);
  return { sharedEntries, enrollmentCodes };
}

export function startPurge(opts: {
  store: Store;
  shared: SharedState;
  clock: Clock;
  everyMs?: number;
  setTimer?: SetTimer;
  onRound?: (round: PurgeRound | null) => void;
  onError?: (err: unknown) => void;
}): { stop(): void } {
  return startFleetJob({
    name: 'purge',
    everyMs: opts.everyMs ?? PURGE_EVERY_MS,
    shared: opts.shared,
    clock: opts.clock,
    work: () => purgeExpired(opts),
    setTimer: opts.setTimer,
    onRound: opts.onRound,
    onError: opts.onError,
  });
}
