/**
 * Groups Wiegand bits into frames. A reader sends a frame as a burst of pulses about 1-2 ms
 * apart, then stays quiet; a frame ends after a quiet gap (default 25 ms).
 *
 * Bits may carry an event timestamp (gpiomon's kernel timestamps). With timestamps, a burst
 * delivered late in one chunk is still split at the right places, and bits that arrive out
 * of order (libgpiod v1 reads D0 and D1 from two file descriptors) are put back in order.
 *
 * The first frame after start-up is discarded: lines settling and readers powering up
 * produce pulses that are not a card.
 */
import type { Bit } from './decoder.ts';
import type { TimerHandle, Timers } from '../timers.ts';

export const DEFAULT_GAP_MS = 25;
export const MAX_FRAME_BITS = 64;

export type AssembledFrame = { bits: Bit[]; overflow: boolean };

export type FrameAssemblerOptions = {
  timers: Timers;
  onFrame(frame: AssembledFrame): void;
  gapMs?: number;
  maxBits?: number;
  discardFirst?: boolean;
};

export class FrameAssembler {
  private pending: { bit: Bit; at: number; seq: number }[] = [];
  private overflow = false;
  private lastAt = -Infinity;
  private seq = 0;
  private timer: TimerHandle | null = null;
  private discardNext: boolean;
  private readonly gapMs: number;
  private readonly maxBits: number;
  discarded = 0;

  constructor(private readonly opts: FrameAssemblerOptions) {
    this.gapMs = opts.gapMs ?? DEFAULT_GAP_MS;
    this.maxBits = opts.maxBits ?? MAX_FRAME_BITS;
    this.discardNext = opts.discardFirst ?? true;
  }

  /** One pulse. `atMs` is the event's own timestamp when the capture has one. */
  push(bit: Bit, atMs?: number): void {
    const seq = this.seq++;
    if (atMs !== undefined && this.pending.length > 0 && atMs - this.lastAt > this.gapMs) this.flush();
    const at = atMs ?? seq;
    if (atMs !== undefined) this.lastAt = Math.max(this.lastAt, atMs);
    if (this.pending.length < this.maxBits) this.pending.push({ bit, at, seq });
    else this.overflow = true;
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.gapMs);
  }

  /** End the current frame now (the quiet gap passed). */
  flush(): void {
    if (this.pending.length === 0) return;
    const bits = this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => e.bit);
    const frame = { bits, overflow: this.overflow };
    this.pending = [];
    this.overflow = false;
    if (this.discardNext) {
      this.discardNext = false;
      this.discarded += 1;
      return;
    }
    this.opts.onFrame(frame);
  }

  /** Drop any partial frame and cancel the gap timer. */
  stop(): void {
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.overflow = false;
  }
}
