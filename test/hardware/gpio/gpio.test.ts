/** GPIO base discovery on a fake sysfs tree, and the outputs over fake lines and fake time. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { findGpioBase } from '../../../hardware/gpio/chip-base.ts';
import {
  BUZZER_PATTERNS,
  GpioSignals,
  releaseOnExit,
  type OutputGpio,
  type OutputsConfig,
} from '../../../hardware/gpio/outputs.ts';
import { FakeTimers } from '../fake-timers.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function fakeSysfs(chips: Record<string, { label: string; base: number }>) {
  const root = await mkdtemp(join(tmpdir(), 'sysfs-gpio-'));
  dirs.push(root);
  await writeFile(join(root, 'export'), '');
  for (const [name, c] of Object.entries(chips)) {
    await mkdir(join(root, name));
    await writeFile(join(root, name, 'label'), `${c.label}\n`);
    await writeFile(join(root, name, 'base'), `${c.base}\n`);
  }
  return root;
}

describe('findGpioBase', () => {
  it('finds the Pi 4 header chip at 512 among other chips', async () => {
    const root = await fakeSysfs({
      gpiochip512: { label: 'pinctrl-bcm2711', base: 512 },
      gpiochip570: { label: 'raspberrypi-exp-gpio', base: 570 },
    });
    expect(await findGpioBase({ sysfsRoot: root })).toEqual({
      ok: true,
      base: 512,
      label: 'pinctrl-bcm2711',
    });
  });

  it('finds the Pi 5 header chip at 571', async () => {
    const root = await fakeSysfs({
      gpiochip512: { label: 'gpio-brcmstb@107d508500', base: 512 },
      gpiochip571: { label: 'pinctrl-rp1', base: 571 },
    });
    expect(await findGpioBase({ sysfsRoot: root })).toMatchObject({ ok: true, base: 571 });
  });

  it('uses base 0 on an older kernel and an explicit base when configured', async () => {
    const root = await fakeSysfs({ gpiochip0: { label: 'pinctrl-bcm2835', base: 0 } });
    expect(await findGpioBase({ sysfsRoot: root })).toMatchObject({ ok: true, base: 0 });
    expect(await findGpioBase({ sysfsRoot: root, explicitBase: 100 })).toMatchObject({ ok: true, base: 100 });
  });

  it('reports missing GPIO as one line', async () => {
    expect(await findGpioBase({ sysfsRoot: '/nonexistent/gpio' })).toEqual({
      ok: false,
      status: 'GPIO not available (no /nonexistent/gpio)',
    });
    const root = await fakeSysfs({ gpiochip0: { label: 'some-expander', base: 0 } });
    const r = await findGpioBase({ sysfsRoot: root });
    expect(r).toMatchObject({ ok: false, status: expect.stringContaining('some-expander') });
  });
});

class FakeOut implements OutputGpio {
  writes: number[] = [];
  released = false;
  constructor(
    readonly n: number,
    readonly activeLow: boolean,
  ) {}
  writeSync(v: 0 | 1) {
    if (this.released) throw new Error('write after unexport');
    this.writes.push(v);
  }
  unexport() {
    this.released = true;
  }
  get value() {
    return this.writes.at(-1);
  }
}

const CONFIG: OutputsConfig = {
  leds: { green: { bcm: 5 }, red: { bcm: 6 }, amber: { bcm: 13 } },
  buzzer: { bcm: 12 },
  lockers: { A1: { bcm: 22, activeLow: true }, A2: { bcm: 23, activeLow: true } },
  relayPulseMs: 800,
  relayMaxMs: 3000,
};

function outputs(config = CONFIG) {
  const lines = new Map<number, FakeOut>();
  const timers = new FakeTimers();
  const signals = new GpioSignals(
    config,
    512,
    (n, activeLow) => {
      const l = new FakeOut(n, activeLow);
      lines.set(n - 512, l);
      return l;
    },
    timers,
  );
  return { signals, timers, line: (bcm: number) => lines.get(bcm)!, lines };
}

describe('GpioSignals', () => {
  it('opens every line at base + BCM, switched off, never on', () => {
    const { lines, line } = outputs();
    expect([...lines.keys()].sort((a, b) => a - b)).toEqual([5, 6, 12, 13, 22, 23]);
    for (const l of lines.values()) expect(l.writes).toEqual([0]);
    expect(line(22).activeLow).toBe(true);
    expect(line(22).n).toBe(534);
  });

  it('pulses a relay for the configured time, then off', () => {
    const { signals, timers, line } = outputs();
    expect(signals.pulseLocker('A1')).toBe(true);
    expect(line(22).value).toBe(1);
    timers.advance(799);
    expect(line(22).value).toBe(1);
    timers.advance(1);
    expect(line(22).value).toBe(0);
    expect(line(23).writes).toEqual([0]);
  });

  it('caps a relay pulse at the hard maximum and does not extend a running one', () => {
    const { signals, timers, line } = outputs();
    signals.pulseLocker('A2', 60_000);
    timers.advance(2000);
    expect(signals.pulseLocker('A2', 60_000)).toBe(true);
    timers.advance(1000);
    expect(line(23).writes).toEqual([0, 1, 0]);
  });

  it('refuses an unknown locker slot', () => {
    const { signals } = outputs();
    expect(signals.pulseLocker('Z9')).toBe(false);
  });

  it('plays the buzzer pattern and lights the LED for a signal', () => {
    const { signals, timers, line } = outputs();
    signals.show('committed');
    expect(line(5).value).toBe(1);
    const buzzer = line(12);
    const steps = BUZZER_PATTERNS.success;
    timers.advance(steps.reduce((a, b) => a + b, 0));
    expect(buzzer.writes).toEqual([0, 0, 1, 0, 1, 0]);
    timers.advance(2000);
    expect(line(5).value).toBe(0);
  });

  it('a new signal cancels the previous one', () => {
    const { signals, timers, line } = outputs();
    signals.show('offline');
    expect(line(13).value).toBe(1);
    signals.show('denied');
    expect(line(13).value).toBe(0);
    expect(line(6).value).toBe(1);
    timers.advance(10_000);
    expect(line(6).value).toBe(0);
    expect(line(13).value).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('switches everything off and releases it on close, even mid-pulse', async () => {
    const { signals, timers, lines, line } = outputs();
    signals.pulseLocker('A1');
    signals.show('accepted');
    await signals.close();
    expect(line(22).value).toBe(0);
    for (const l of lines.values()) expect(l.released).toBe(true);
    expect(timers.pending).toBe(0);
    expect(signals.pulseLocker('A1')).toBe(false);
    await signals.close();
  });

  it('releases lines already opened when a later one fails', () => {
    const opened: FakeOut[] = [];
    expect(
      () =>
        new GpioSignals(
          CONFIG,
          0,
          (n, low) => {
            if (n === 12) throw new Error('EBUSY');
            const l = new FakeOut(n, low);
            opened.push(l);
            return l;
          },
          new FakeTimers(),
        ),
    ).toThrow('EBUSY');
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((l) => l.released)).toBe(true);
  });

  it('releases outputs on SIGTERM and exits when nobody else handles it', () => {
    const proc = Object.assign(new EventEmitter(), {
      exitCode: null as number | null,
      exit(code: number) {
        this.exitCode = code;
      },
    });
    const { signals, line } = outputs();
    signals.pulseLocker('A1');
    const undo = releaseOnExit(signals, proc as never);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(line(22).value).toBe(0);
    expect(line(22).released).toBe(true);
    expect(proc.exitCode).toBe(143);
    undo();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('leaves exiting to the composition root when it handles the signal itself', () => {
    const proc = Object.assign(new EventEmitter(), {
      exitCode: null as number | null,
      exit(code: number) {
        this.exitCode = code;
      },
    });
    proc.on('SIGINT', () => {});
    const { signals, line } = outputs();
    releaseOnExit(signals, proc as never);
    proc.emit('SIGINT', 'SIGINT');
    expect(line(5).released).toBe(true);
    expect(proc.exitCode).toBeNull();
  });
});
