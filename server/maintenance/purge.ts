/**
 * Drops what has expired, on a schedule, so no table grows forever and no lookup slows as
 * it fills: refresh tokens and sessions past their end, denylisted access-token ids,
 * seen-once assertion ids, throttle windows, enrollment codes past their time. With
 * several replicas one of them does each round (a claim in SharedState).
 */
import type { Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';
import type { Store } from '../store/store.ts';
import { realTimer, type SetTimer } from '../notify/daily-schedule.ts';

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
  const every = opts.everyMs ?? PURGE_EVERY_MS;
  const setTimer = opts.setTimer ?? realTimer;
  let stopped = false;
  let cancel = () => {};
  const round = async () => {
    const now = opts.clock.now();
    // One replica per round: the first to claim this slot does it.
    const slot = Math.floor(now / every);
    if (!(await opts.shared.claimOnce(`job:purge:${slot}`, (slot + 2) * every, now))) return null;
    return purgeExpired(opts);
  };
  const arm = () => {
    if (stopped) return;
    cancel = setTimer(() => {
      round()
        .then((r) => opts.onRound?.(r))
        .catch((err: unknown) => opts.onError?.(err))
        .finally(arm);
    }, every);
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel();
    },
  };
}
