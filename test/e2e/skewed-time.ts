/**
 * Real time that a test can jump forward: the kiosk's clock reads Date.now() plus a skew,
 * and timers scheduled on it fire either after their real delay or at once when a jump
 * passes their due time. The e2e suite uses it (with Playwright's page clock for the
 * screen) to reach the inactivity timeout and the badge dedupe window without sleeping.
 */
import type { Clock, Scheduler, TimerHandle } from '../../src-main/core/ports.ts';

export function skewedTime() {
  let skew = 0;
  const now = () => Date.now() + skew;
  const timers = new Set<{ at: number; fn: () => void; real: ReturnType<typeof setTimeout> }>();

  const clock: Clock = { now };
  const scheduler: Scheduler = {
    after(ms, fn): TimerHandle {
      const t = {
        at: now() + ms,
        fn,
        real: setTimeout(() => {
          timers.delete(t);
          fn();
        }, ms),
      };
      t.real.unref?.();
      timers.add(t);
      return {
        cancel: () => {
          clearTimeout(t.real);
          timers.delete(t);
        },
      };
    },
  };

  return {
    clock,
    scheduler,
    /** Jump forward; timers now due fire in due order. */
    advance(ms: number) {
      skew += ms;
      const due = [...timers].filter((t) => t.at <= now()).sort((a, b) => a.at - b.at);
      for (const t of due) {
        clearTimeout(t.real);
        timers.delete(t);
        t.fn();
      }
    },
  };
}
