/**
 * A Wiegand badge reader: a capture backend (onoff or gpiomon) feeds the frame assembler,
 * each frame is decoded with the configured formats, and good frames become credentials.
 * Bad frames (wrong length, parity, overflow) are dropped, counted and reported as rejected
 * input, never as a badge.
 */
import type { BadgeReader, ReaderSink } from '../ports.ts';
import type { Timers } from '../timers.ts';
import type { WiegandCapture } from './capture.ts';
import { decodeWiegand, type WiegandFormatName } from './decoder.ts';
import { FrameAssembler, type AssembledFrame } from './frame-assembler.ts';

export type WiegandReaderOptions = {
  id?: string;
  capture: WiegandCapture;
  formats: readonly WiegandFormatName[];
  timers: Timers;
  gapMs?: number;
};

export class WiegandReader implements BadgeReader {
  readonly id: string;
  readonly kind = 'wiegand';
  private assembler: FrameAssembler | null = null;
  private sink: ReaderSink | null = null;
  /** Frames dropped as unreadable since start (shown on the service screen). */
  badFrames = 0;
  goodFrames = 0;

  constructor(private readonly opts: WiegandReaderOptions) {
    this.id = opts.id ?? 'wiegand';
  }

  start(sink: ReaderSink): void {
    this.sink = sink;
    const assembler = new FrameAssembler({
      timers: this.opts.timers,
      ...(this.opts.gapMs !== undefined ? { gapMs: this.opts.gapMs } : {}),
      onFrame: (frame) => this.onFrame(frame),
    });
    this.assembler = assembler;
    this.opts.capture.start({
      bit: (bit, atMs) => this.assembler?.push(bit, atMs),
      ready: (detail) => sink.status({ readerId: this.id, kind: this.kind, state: 'present', detail }),
      error: (detail) => {
        // A half-captured frame across a restart of the capture would decode as garbage.
        this.assembler?.stop();
        sink.status({ readerId: this.id, kind: this.kind, state: 'error', detail });
      },
    });
  }

  async stop(): Promise<void> {
    this.assembler?.stop();
    this.assembler = null;
    this.sink = null;
    await this.opts.capture.stop();
  }

  private onFrame(frame: AssembledFrame): void {
    const sink = this.sink;
    if (!sink) return;
    if (frame.overflow) {
      this.badFrames += 1;
      sink.rejected(this.id, `frame longer than ${frame.bits.length} bits`);
      return;
    }
    const result = decodeWiegand(frame.bits, this.opts.formats);
    if (!result.ok) {
      this.badFrames += 1;
      sink.rejected(this.id, `${result.bits}-bit frame: ${result.reason}`);
      return;
    }
    this.goodFrames += 1;
    sink.credential(result.credential, this.id);
  }
}
