/**
 * SharedState in one process's memory (the embedded server). Expiry is indexed by time:
 * each write files its key under the second it expires in, and every call sweeps at most a
 * fixed number of keys from the seconds already past. So the cost of a call does not grow
 * with the number of live entries (a full scan per call collapsed the badge-tap rate at
 * ~100k live assertion ids), and a long-lived entry (a throttle window, the purge job's
 * 20-minute claim) does not hold back the expiry of the short ones filed after it, as it
 * would at the head of one arrival-order queue.
 */
import type { SharedState } from './shared-state.ts';

type Entry = { value: unknown; expiresAt: number };

/** Keys swept per call: more than one call ever adds, so the sweep keeps up under load. */
const SWEEP_BUDGET = 64;
const SLOT_MS = 1_000;

export type MemorySharedState = SharedState & {
  /** Entries held, live or expired-but-not-yet-swept (for tests and metrics). */
  held(): number;
};

export function memorySharedState(): MemorySharedState {
  const entries = new Map<string, Entry>();
  // Expiry second -> keys written with an expiry in it. A key written twice is filed twice;
  // the sweep drops it only if its current expiry has passed.
  const slots = new Map<number, string[]>();
  // The sweep's position: every slot below `cursor` is done, `slots.get(cursor)` is done up to `offset`.
  let cursor = Number.NaN;
  let offset = 0;

  const file = (key: string, expiresAt: number) => {
    const slot = Math.floor(expiresAt / SLOT_MS);
    if (Number.isNaN(cursor) || slot < cursor) {
      // Behind the sweep (a first write, or a clock stepped back): start the sweep there.
      cursor = slot;
      offset = 0;
    }
    const keys = slots.get(slot);
    if (keys) keys.push(key);
    else slots.set(slot, [key]);
  };

  /** Sweeps up to `budget` keys (and empty seconds) from slots wholly in the past. */
  const sweep = (now: number, budget: number) => {
    let removed = 0;
    const last = Math.floor(now / SLOT_MS) - 1; // the last slot whose every expiry is <= now
    while (cursor <= last && budget > 0) {
      const keys = slots.get(cursor);
      if (!keys) {
        // An empty second costs one lookup. Far behind (an idle server), jump to the next
        // slot held instead of walking every second in between, once the budget allows it.
        budget--;
        if (slots.size === 0) {
          cursor = last + 1;
          break;
        }
        cursor++;
        continue;
      }
      while (offset < keys.length && budget > 0) {
        const key = keys[offset++]!;
        budget--;
        const e = entries.get(key);
        if (e && e.expiresAt <= now) {
          entries.delete(key);
          removed++;
        }
      }
      if (offset < keys.length) break;
      slots.delete(cursor);
      cursor++;
      offset = 0;
    }
    return removed;
  };
  const live = (key: string, now: number) => {
    const e = entries.get(key);
    return e && e.expiresAt > now ? e : undefined;
  };
  const put = (key: string, value: unknown, expiresAt: number) => {
    entries.set(key, { value, expiresAt });
    file(key, expiresAt);
  };

  return {
    where: 'memory',
    held: () => entries.size,
    async claimOnce(key, expiresAt, now) {
      sweep(now, SWEEP_BUDGET);
      if (live(key, now)) return false;
      put(key, true, expiresAt);
      return true;
    },
    async read<S>(key: string, now: number) {
      return live(key, now)?.value as S | undefined;
    },
    async update(key, now, fn) {
      sweep(now, SWEEP_BUDGET);
      const out = fn(live(key, now)?.value as never);
      if (out.next === null) entries.delete(key);
      else put(key, out.next, out.expiresAt);
      return out.result;
    },
    async purge(now) {
      // The periodic round: everything past, in bounded steps so it never holds the loop long.
      let removed = 0;
      const last = Math.floor(now / SLOT_MS) - 1;
      while (cursor <= last) {
        removed += sweep(now, 4_096);
        if (cursor <= last) await new Promise<void>((r) => setImmediate(r));
      }
      return removed;
    },
  };
}
