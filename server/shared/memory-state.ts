/**
 * SharedState in one process's memory (the embedded server). Expiry is swept from a queue
 * in arrival order, so the cost per call does not grow with the number of live entries
 * (a full scan per call collapsed the badge-tap rate at ~100k live assertion ids).
 */
import type { SharedState } from './shared-state.ts';

type Entry = { value: unknown; expiresAt: number };

export function memorySharedState(): SharedState {
  const entries = new Map<string, Entry>();
  // Keys in the order they were written, with the expiry they had then. Entries of one kind
  // share a lifetime, so the head of the queue is (nearly) the first to expire.
  const queue: { key: string; expiresAt: number }[] = [];
  let head = 0;

  const sweep = (now: number, budget = 64) => {
    let removed = 0;
    while (head < queue.length && budget-- > 0) {
      const q = queue[head]!;
      if (q.expiresAt > now) break;
      head++;
      const e = entries.get(q.key);
      if (e && e.expiresAt === q.expiresAt) {
        entries.delete(q.key);
        removed++;
      }
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return removed;
  };
  const live = (key: string, now: number) => {
    const e = entries.get(key);
    return e && e.expiresAt > now ? e : undefined;
  };
  const put = (key: string, value: unknown, expiresAt: number) => {
    entries.set(key, { value, expiresAt });
    queue.push({ key, expiresAt });
  };

  return {
    where: 'memory',
    async claimOnce(key, expiresAt, now) {
      sweep(now);
      if (live(key, now)) return false;
      put(key, true, expiresAt);
      return true;
    },
    async read<S>(key: string, now: number) {
      return live(key, now)?.value as S | undefined;
    },
    async update(key, now, fn) {
      sweep(now);
      const out = fn(live(key, now)?.value as never);
      if (out.next === null) entries.delete(key);
      else put(key, out.next, out.expiresAt);
      return out.result;
    },
    async purge(now) {
      return sweep(now, Number.POSITIVE_INFINITY);
    },
  };
}
