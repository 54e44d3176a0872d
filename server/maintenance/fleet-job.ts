/**
 * A job that runs every `everyMs` on each replica, done by one of them per round: the first
 * to claim the round's slot in SharedState does the work, the others skip it. A round never
 * overlaps the next (the timer is armed again only once a round has ended).
 */
import type { Clock } from '../../protocol/index.ts';
import type { SharedState } from '../shared/shared-state.ts';
import { realTimer, type SetTimer } from '../notify/daily-schedule.ts';

export function startFleetJob<R>(opts: {
  /** Names the claim (`job:<name>:<slot>`): one name per job. */
  name: string;
  everyMs: number;
  shared: SharedState;
  clock: Clock;
  work: () => Promise<R>;
  setTimer?: SetTimer | undefined;
  /** A round's result, or null when another replica had it. */
  onRound?: ((round: R | null) => void) | undefined;
  onError?: ((err: unknown) => void) | undefined;
}): { stop(): void } {
  const every = opts.everyMs;
  const setTimer = opts.setTimer ?? realTimer;
  let stopped = false;
  let cancel = () => {};
  const round = async (): Promise<R | null> => {
    const now = opts.clock.now();
    const slot = Math.floor(now / every);
    // The claim outlives the round by one period, so a replica whose clock runs late skips it too.
    if (!(await opts.shared.claimOnce(`job:${opts.name}:${slot}`, (slot + 2) * every, now))) return null;
    return opts.work();
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
