/**
 * Wiegand capture over the libgpiod tools (Debian package `gpiod`): one `gpiomon` child
 * watching both lines on the character device, the reliable choice on current Raspberry Pi
 * OS, where sysfs GPIO is deprecated. Each event line carries a kernel timestamp, which the
 * frame assembler uses to split frames and to restore order (libgpiod v1 reads the two lines
 * from two file descriptors, so D0 and D1 events can come out interleaved wrongly).
 *
 * Lines are addressed by chip and BCM offset, so the sysfs numbering base does not matter.
 * The child is restarted with back-off if it dies; its stdout is parsed line by line across
 * chunk boundaries.
 */
import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Bit } from './decoder.ts';
import type { CaptureHandlers, WiegandCapture, WiegandPins } from './capture.ts';
import type { TimerHandle, Timers } from '../timers.ts';

/** The part of a ChildProcess this backend uses (a fake in tests). */
export type MonitorProcess = {
  stdout: Readable | null;
  stderr: Readable | null;
  on(event: 'exit', cb: (code: number | null, signal: string | null) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
};
export type SpawnMonitor = (command: string, args: string[]) => MonitorProcess;

export type GpiomonDeps = {
  timers: Timers;
  spawn?: SpawnMonitor;
  /** libgpiod major version of the installed tools: their flags differ. */
  detectVersion?: () => Promise<1 | 2>;
};

const realSpawn: SpawnMonitor = (command, args) =>
  spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });

export function detectGpiomonVersion(): Promise<1 | 2> {
  return new Promise((resolve, reject) => {
    execFile('gpiomon', ['--version'], { timeout: 5000 }, (err, stdout) => {
      if (err) return reject(err);
      const m = /v(\d+)\./.exec(stdout);
      resolve(m && Number(m[1]) >= 2 ? 2 : 1);
    });
  });
}

/** Command line for one gpiomon over both lines, rising edges, offset and timestamp only. */
export function gpiomonArgs(version: 1 | 2, chip: string, pins: WiegandPins): string[] {
  const lines = [String(pins.d0), String(pins.d1)];
  // stdbuf: gpiomon's stdout is a pipe here, and a block-buffered pipe would hold frames back.
  return version === 1
    ? ['-oL', 'gpiomon', '--rising-edge', '--format=%o %s %n', chip, ...lines]
    : ['-oL', 'gpiomon', '--edges=rising', '--format=%o %S', '--chip', chip, ...lines];
}

/** One output line -> offset and timestamp in ms, or null for anything else. */
export function parseGpiomonLine(line: string): { offset: number; atMs: number } | null {
  const m = /^\s*(\d+)\s+(\d+)(?:\.(\d{1,9})|\s+(\d{1,9}))\s*$/.exec(line);
  if (!m) return null;
  const seconds = Number(m[2]);
  // v2 prints "s.nnnnnnnnn" (fixed 9 digits); v1 prints "s n" with n not zero-padded.
  const nanos = m[3] !== undefined ? Number(m[3].padEnd(9, '0')) : Number(m[4]);
  return { offset: Number(m[1]), atMs: seconds * 1000 + nanos / 1e6 };
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export class GpiomonCapture implements WiegandCapture {
  readonly backend = 'gpiomon';
  private child: MonitorProcess | null = null;
  private stopped = true;
  private retry: TimerHandle | null = null;
  private backoffMs = MIN_BACKOFF_MS;

  constructor(
    private readonly chip: string,
    private readonly pins: WiegandPins,
    private readonly deps: GpiomonDeps,
  ) {}

  start(h: CaptureHandlers): void {
    this.stopped = false;
    void this.launch(h);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== null) this.deps.timers.clearTimeout(this.retry);
    this.retry = null;
    const child = this.child;
    this.child = null;
    child?.kill('SIGTERM');
  }

  private async launch(h: CaptureHandlers): Promise<void> {
    let version: 1 | 2;
    try {
      version = await (this.deps.detectVersion ?? detectGpiomonVersion)();
    } catch {
      return this.failed(h, 'gpiomon not found (install the Debian package gpiod)');
    }
    if (this.stopped) return;
    const child = (this.deps.spawn ?? realSpawn)('stdbuf', gpiomonArgs(version, this.chip, this.pins));
    this.child = child;
    let partial = '';
    let lastErr = '';
    let gotEvent = false;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const ev = parseGpiomonLine(line);
        if (!ev) continue;
        const bit: Bit | null = ev.offset === this.pins.d0 ? 0 : ev.offset === this.pins.d1 ? 1 : null;
        if (bit === null) continue;
        if (!gotEvent) this.backoffMs = MIN_BACKOFF_MS; // it works: the next failure starts afresh
        gotEvent = true;
        h.bit(bit, ev.atMs);
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      const line = chunk.trim().split('\n').pop();
      if (line) lastErr = line.slice(0, 200);
    });
    child.on('error', (err) => {
      if (this.child !== child) return;
      this.child = null;
      this.failed(h, `cannot run gpiomon: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return; // stopped on purpose, or already handled by 'error'
      this.child = null;
      this.failed(h, `gpiomon exited (${signal ?? `code ${code}`})${lastErr ? `: ${lastErr}` : ''}`);
    });
    h.ready(`gpiomon v${version} on ${this.chip} lines ${this.pins.d0}/${this.pins.d1}`);
  }

  private failed(h: CaptureHandlers, detail: string): void {
    if (this.stopped) return;
    h.error(detail);
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.retry = this.deps.timers.setTimeout(() => {
      this.retry = null;
      if (!this.stopped) void this.launch(h);
    }, wait);
  }
}
