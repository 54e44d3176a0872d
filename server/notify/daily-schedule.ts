/**
 * Runs a job once a day at a given local hour. The clock and the timer are injected, so a
 * test moves time by hand instead of waiting a day (STYLE.md rule 3).
 */
import type { Clock } from '../../protocol/index.ts';

export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/** Milliseconds from `now` to the next `hour`:00 local time (tomorrow's if today's has passed). */
export function msUntilHour(now: number, hour: number): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now;
}

export function scheduleDaily(opts: {
  hour: number;
  clock: Clock;
  run: () => Promise<unknown>;
  setTimer?: SetTimer;
  onError?: (err: unknown) => void;
}): { stop(): void } {
  const setTimer = opts.setTimer ?? realTimer;
  let cancel = () => {};
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    cancel = setTimer(
      () => {
        opts
          .run()
          .catch((err: unknown) => opts.onError?.(err))
          .finally(arm);
      },
      msUntilHour(opts.clock.now(), opts.hour),
    );
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel();
    },
  };
}
