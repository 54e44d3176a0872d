/** A hand-driven Timers (and Clock) for hardware tests: time moves only when the test says so. */
import type { Timers } from '../../hardware/timers.ts';

export class FakeTimers implements Timers {
  nowMs = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.due.set(id, { at: this.nowMs + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  now(): number {
    return this.nowMs;
  }

  get pending(): number {
    return this.due.size;
  }

  /** Move time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      let nextId: number | null = null;
      let next: { at: number; fn: () => void } | null = null;
      for (const [id, t] of this.due) if (t.at <= end && (!next || t.at < next.at)) [nextId, next] = [id, t];
      if (!next || nextId === null) break;
      this.due.delete(nextId);
      this.nowMs = next.at;
      next.fn();
    }
    this.nowMs = end;
  }
}
