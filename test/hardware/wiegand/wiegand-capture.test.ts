/**
 * Frame assembly and both capture backends, driven by fakes that inject edges: clean
 * frames, bursts delivered in one chunk, reordered events, gaps, and a dying gpiomon.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Bit } from '../../../hardware/wiegand/decoder.ts';
import { encodeWiegand } from '../../../hardware/wiegand/decoder.ts';
import { FrameAssembler, type AssembledFrame } from '../../../hardware/wiegand/frame-assembler.ts';
import { OnoffCapture, type InputGpio } from '../../../hardware/wiegand/onoff-capture.ts';
import {
  GpiomonCapture,
  gpiomonArgs,
  parseGpiomonLine,
  type MonitorProcess,
} from '../../../hardware/wiegand/gpiomon-capture.ts';
import { WiegandReader } from '../../../hardware/wiegand/wiegand-reader.ts';
import type { ReaderSink, ReaderStatusReport } from '../../../hardware/ports.ts';
import { FakeTimers } from '../fake-timers.ts';

function recordingSink() {
  const out = { credentials: [] as string[], statuses: [] as ReaderStatusReport[], rejected: [] as string[] };
  const sink: ReaderSink = {
    credential: (c) => out.credentials.push(c),
    status: (s) => out.statuses.push(s),
    rejected: (_id, reason) => out.rejected.push(reason),
  };
  return { out, sink };
}

describe('FrameAssembler', () => {
  function setup(discardFirst = false) {
    const timers = new FakeTimers();
    const frames: AssembledFrame[] = [];
    const a = new FrameAssembler({ timers, onFrame: (f) => frames.push(f), discardFirst });
    return { timers, frames, a };
  }

  it('ends a frame after the quiet gap, not before', () => {
    const { timers, frames, a } = setup();
    for (const b of [1, 0, 1] as Bit[]) {
      a.push(b);
      timers.advance(2);
    }
    timers.advance(20); // 22 ms after the last bit
    expect(frames).toEqual([]);
    timers.advance(3);
    expect(frames).toEqual([{ bits: [1, 0, 1], overflow: false }]);
  });

  it('discards the first frame after start-up by default', () => {
    const timers = new FakeTimers();
    const frames: AssembledFrame[] = [];
    const a = new FrameAssembler({ timers, onFrame: (f) => frames.push(f) });
    a.push(1);
    timers.advance(30);
    a.push(0);
    timers.advance(30);
    expect(frames).toEqual([{ bits: [0], overflow: false }]);
    expect(a.discarded).toBe(1);
  });

  it('splits a late burst at timestamp gaps and restores timestamp order', () => {
    const { timers, frames, a } = setup();
    // Two frames delivered in one go (the event loop was busy); the second bit of frame 1
    // arrives before the first.
    a.push(0, 1000.002);
    a.push(1, 1000.0);
    a.push(1, 1000.004);
    a.push(0, 1100.0);
    a.push(0, 1100.002);
    timers.advance(25);
    expect(frames).toEqual([
      { bits: [1, 0, 1], overflow: false },
      { bits: [0, 0], overflow: false },
    ]);
  });

  it('marks an endless burst as overflow without growing without bound', () => {
    const { timers, frames, a } = setup();
    for (let i = 0; i < 500; i++) a.push(1);
    timers.advance(25);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.overflow).toBe(true);
    expect(frames[0]!.bits.length).toBe(64);
  });
});

class FakeLine implements InputGpio {
  cb: ((err: Error | null | undefined, value: number) => void) | null = null;
  released = false;
  constructor(readonly n: number) {}
  watch(cb: (err: Error | null | undefined, value: number) => void) {
    this.cb = cb;
  }
  unwatchAll() {
    this.cb = null;
  }
  unexport() {
    this.released = true;
  }
  pulse() {
    this.cb?.(null, 1);
  }
}

describe('onoff capture', () => {
  function setup() {
    const lines = new Map<number, FakeLine>();
    const capture = new OnoffCapture({ d0: 17, d1: 27 }, 512, (n) => {
      const l = new FakeLine(n);
      lines.set(n, l);
      return l;
    });
    const timers = new FakeTimers();
    const reader = new WiegandReader({ capture, formats: ['H10301', 'H10304'], timers });
    const { out, sink } = recordingSink();
    reader.start(sink);
    const play = (bits: Bit[], stepMs = 2) => {
      for (const b of bits) {
        lines.get(512 + (b === 0 ? 17 : 27))!.pulse();
        timers.advance(stepMs);
      }
      timers.advance(30);
    };
    return { lines, reader, out, play, timers };
  }

  it('watches both lines at base + BCM and turns pulses into credentials', async () => {
    const { lines, reader, out, play } = setup();
    expect([...lines.keys()]).toEqual([529, 539]);
    expect(out.statuses[0]).toMatchObject({ state: 'present', kind: 'wiegand' });
    play([1, 1, 0]); // power-up noise: the first frame is discarded
    play(encodeWiegand('H10301', 42n, 12345n));
    play(encodeWiegand('H10304', 9999n, 400000n));
    expect(out.credentials).toEqual(['wiegand26:42:12345', 'wiegand37:9999:400000']);
    expect(out.rejected).toEqual([]);
    await reader.stop();
    expect([...lines.values()].every((l) => l.released)).toBe(true);
  });

  it('drops and counts a frame with a flipped bit and one of an unknown length', () => {
    const { reader, out, play } = setup();
    play([1]);
    const bits = encodeWiegand('H10301', 1n, 2n);
    bits[5] = (1 - bits[5]!) as Bit;
    play(bits);
    play(encodeWiegand('H10301', 1n, 2n).slice(0, 25)); // a pulse lost on the wire
    expect(out.credentials).toEqual([]);
    expect(out.rejected).toEqual(['26-bit frame: parity', '25-bit frame: unknown-length']);
    expect(reader.badFrames).toBe(2);
  });

  it('keeps two frames apart when the gap between them is just over the quiet gap', () => {
    const { out, play } = setup();
    play([0]);
    play(encodeWiegand('H10301', 1n, 1n), 1);
    play(encodeWiegand('H10301', 1n, 2n), 1);
    expect(out.credentials).toEqual(['wiegand26:1:1', 'wiegand26:1:2']);
  });

  it('reports a line that cannot be watched as a reader error', () => {
    const capture = new OnoffCapture({ d0: 17, d1: 27 }, 0, () => {
      throw new Error('EACCES: permission denied');
    });
    const reader = new WiegandReader({ capture, formats: ['H10301'], timers: new FakeTimers() });
    const { out, sink } = recordingSink();
    reader.start(sink);
    expect(out.statuses).toEqual([
      expect.objectContaining({ state: 'error', detail: expect.stringContaining('EACCES') }),
    ]);
  });
});

class FakeMonitor extends EventEmitter implements MonitorProcess {
  stdout = new PassThrough();
  stderr = new PassThrough();
  killed: string | null = null;
  constructor(readonly args: string[]) {
    super();
  }
  kill(signal?: NodeJS.Signals) {
    this.killed = signal ?? 'SIGTERM';
    return true;
  }
  /** Write lines for pulses of a frame, `stepNs` apart, optionally in one chunk. */
  frame(bits: Bit[], startS: number, opts: { swap?: number[] } = {}) {
    const lines = bits.map((b, i) => {
      const ns = i * 2_000_000;
      return `${b === 0 ? 17 : 27} ${startS} ${ns}`;
    });
    for (const i of opts.swap ?? []) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
    return lines.join('\n') + '\n';
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('gpiomon capture', () => {
  function setup() {
    const timers = new FakeTimers();
    const children: FakeMonitor[] = [];
    const capture = new GpiomonCapture(
      'gpiochip0',
      { d0: 17, d1: 27 },
      {
        timers,
        detectVersion: async () => 1,
        spawn: (cmd, args) => {
          const c = new FakeMonitor([cmd, ...args]);
          children.push(c);
          return c;
        },
      },
    );
    const reader = new WiegandReader({ capture, formats: ['H10301', 'C1000'], timers });
    const { out, sink } = recordingSink();
    reader.start(sink);
    return { timers, children, reader, out };
  }

  it('builds the right command line for libgpiod v1 and v2', () => {
    expect(gpiomonArgs(1, 'gpiochip0', { d0: 17, d1: 27 })).toEqual([
      '-oL',
      'gpiomon',
      '--rising-edge',
      '--format=%o %s %n',
      'gpiochip0',
      '17',
      '27',
    ]);
    expect(gpiomonArgs(2, 'gpiochip4', { d0: 5, d1: 6 })).toContain('--edges=rising');
  });

  it('parses both timestamp styles and ignores other lines', () => {
    expect(parseGpiomonLine('17 12 5000')).toEqual({ offset: 17, atMs: 12000.005 });
    expect(parseGpiomonLine('27 12.000005000')).toEqual({ offset: 27, atMs: 12000.005 });
    expect(parseGpiomonLine('event: RISING EDGE offset: 17')).toBeNull();
    expect(parseGpiomonLine('')).toBeNull();
  });

  it('decodes frames split across chunks, bursts and reordered events', async () => {
    const { timers, children, out } = setup();
    await tick();
    const child = children[0]!;
    expect(child.args.slice(0, 3)).toEqual(['stdbuf', '-oL', 'gpiomon']);
    child.stdout.write(child.frame([1, 0], 10)); // power-up noise, discarded
    await tick();
    timers.advance(30);
    // Frame 1 cut in the middle of a line; frame 2 and 3 arrive in one burst, frame 3 with
    // two events swapped (two file descriptors read in the wrong order).
    const f1 = child.frame(encodeWiegand('H10301', 7n, 700n), 20);
    child.stdout.write(f1.slice(0, 37));
    await tick();
    child.stdout.write(f1.slice(37));
    child.stdout.write(
      child.frame(encodeWiegand('C1000', 123n, 45678n), 21) +
        child.frame(encodeWiegand('H10301', 8n, 800n), 22, { swap: [3, 10] }),
    );
    await tick();
    timers.advance(30);
    expect(out.credentials).toEqual(['wiegand26:7:700', 'wiegand35:123:45678', 'wiegand26:8:800']);
  });

  it('reports a dying gpiomon and restarts it with back-off', async () => {
    const { timers, children, out, reader } = setup();
    await tick();
    children[0]!.stderr.write('gpiomon: error waiting for events: Device or resource busy\n');
    await tick();
    children[0]!.emit('exit', 1, null);
    expect(out.statuses.at(-1)).toMatchObject({
      state: 'error',
      detail: 'gpiomon exited (code 1): gpiomon: error waiting for events: Device or resource busy',
    });
    timers.advance(999);
    await tick();
    expect(children).toHaveLength(1);
    timers.advance(1);
    await tick();
    expect(children).toHaveLength(2);
    expect(out.statuses.at(-1)).toMatchObject({ state: 'present' });
    children[1]!.emit('error', new Error('spawn stdbuf ENOENT'));
    timers.advance(1999);
    await tick();
    expect(children).toHaveLength(2); // back-off doubled
    timers.advance(1);
    await tick();
    expect(children).toHaveLength(3);
    await reader.stop();
    expect(children[2]!.killed).toBe('SIGTERM');
    timers.advance(60_000);
    await tick();
    expect(children).toHaveLength(3);
  });

  it('says how to install gpiomon when it is missing', async () => {
    const timers = new FakeTimers();
    const capture = new GpiomonCapture(
      'gpiochip0',
      { d0: 17, d1: 27 },
      {
        timers,
        detectVersion: () => Promise.reject(new Error('ENOENT')),
      },
    );
    const { out, sink } = recordingSink();
    new WiegandReader({ capture, formats: ['H10301'], timers }).start(sink);
    await tick();
    expect(out.statuses).toEqual([
      expect.objectContaining({
        state: 'error',
        detail: 'gpiomon not found (install the Debian package gpiod)',
      }),
    ]);
    await capture.stop();
  });
});
