/** Fakes for the key tests: a timer fired by hand, replicas as stores on one SQLite file. */
import type { SetTimer } from '../../../server/notify/daily-schedule.ts';

export type FakeTimer = { setTimer: SetTimer; armed(): number; fire(): Promise<void> };

/** Timers run only when the test says so; `fire` runs every armed one and lets their work settle. */
export function fakeTimer(): FakeTimer {
  let pending: { fn: () => void; ms: number }[] = [];
  return {
    setTimer(fn, ms) {
      const t = { fn, ms };
      pending.push(t);
      return () => {
        pending = pending.filter((p) => p !== t);
      };
    },
    armed: () => pending.length,
    async fire() {
      const due = pending;
      pending = [];
      for (const t of due) t.fn();
      // A refresh is a few awaited reads; let them finish.
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

export const MASTER_KEY = Buffer.from('test master key: long enough, not for production use');
