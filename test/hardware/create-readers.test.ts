/** The composition helper: readers and outputs from config, with missing GPIO as a status. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReaders } from '../../hardware/index.ts';
import { BadgeHub } from '../../hardware/badge-hub.ts';
import type { ReaderStatusReport } from '../../hardware/ports.ts';
import { noSignals } from '../../hardware/ports.ts';
import { ConfigError } from '../../protocol/config/resolve.ts';
import { FakeTimers } from './fake-timers.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const offline = { nfcServiceUp: async () => false };

async function statusesOf(readers: Awaited<ReturnType<typeof createReaders>>['readers']) {
  const statuses: ReaderStatusReport[] = [];
  const hub = new BadgeHub(readers, { now: () => 0 }, { badge: () => {}, status: (s) => statuses.push(s) });
  hub.start();
  await new Promise((r) => setImmediate(r));
  await hub.stop();
  return statuses;
}

describe('createReaders', () => {
  it('with no GPIO: runs the other readers and reports GPIO as one line', async () => {
    const hw = await createReaders(
      {
        wiegand: [
          { backend: 'onoff', d0: 17, d1: 27, formats: ['H10301'] },
          { id: 'door', backend: 'gpiomon', d0: 5, d1: 6, formats: ['H10301'] },
        ],
        outputs: { enabled: true, leds: { green: 12 } },
      },
      { ...offline, timers: new FakeTimers(), sysfsRoot: '/nonexistent/gpio', devRoot: '/nonexistent/dev' },
    );
    expect(hw.statusLines).toEqual([
      'GPIO not available (no /nonexistent/gpio)',
      'door: GPIO not available (no /nonexistent/dev/gpiochip0)',
    ]);
    expect(hw.signals).toBe(noSignals);
    expect(hw.readers.map((r) => r.kind)).toEqual(['nfc', 'wiegand', 'wiegand', 'keyboard-wedge']);
    const statuses = await statusesOf(hw.readers);
    expect(statuses).toEqual(
      expect.arrayContaining([
        {
          readerId: 'wiegand',
          kind: 'wiegand',
          state: 'gone',
          detail: 'GPIO not available (no /nonexistent/gpio)',
        },
        expect.objectContaining({
          readerId: 'nfc',
          state: 'gone',
          detail: 'PC/SC service (pcscd) not running',
        }),
        expect.objectContaining({ readerId: 'keyboard-wedge', state: 'present' }),
      ]),
    );
  });

  it('with GPIO: builds onoff Wiegand and outputs at the discovered base', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sysfs-gpio-'));
    dirs.push(root);
    await mkdir(join(root, 'gpiochip571'));
    await writeFile(join(root, 'gpiochip571', 'label'), 'pinctrl-rp1\n');
    await writeFile(join(root, 'gpiochip571', 'base'), '571\n');
    const inputs: number[] = [];
    const outputs: string[] = [];
    const hw = await createReaders(
      {
        nfc: { enabled: false },
        keyboardWedge: { enabled: false },
        wiegand: [{ backend: 'onoff', d0: 17, d1: 27, formats: ['H10301'] }],
        outputs: { enabled: true, lockers: { A1: { bcm: 22, activeLow: true } } },
      },
      {
        timers: new FakeTimers(),
        sysfsRoot: root,
        hookProcessExit: false,
        onoff: async () => ({
          input: (n) => {
            inputs.push(n);
            return { watch() {}, unwatchAll() {}, unexport() {} };
          },
          output: (n, low) => {
            outputs.push(`${n}${low ? ' active-low' : ''}`);
            return { writeSync() {}, unexport() {} };
          },
        }),
      },
    );
    expect(hw.statusLines).toEqual([]);
    expect(hw.readers.map((r) => r.kind)).toEqual(['wiegand']);
    expect(hw.wedge).toBeNull();
    await statusesOf(hw.readers);
    expect(inputs).toEqual([588, 598]);
    expect(outputs).toEqual(['593 active-low']);
    expect(hw.signals.pulseLocker?.('A1')).toBe(true);
    await hw.signals.close();
  });

  it('a missing onoff module is a status line too', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sysfs-gpio-'));
    dirs.push(root);
    const hw = await createReaders(
      { nfc: { enabled: false }, outputs: { enabled: true, buzzer: 12 }, gpio: { base: 512 } },
      { sysfsRoot: root, onoff: () => Promise.reject(new Error("Cannot find package 'onoff'")) },
    );
    expect(hw.statusLines).toEqual(["GPIO not available (onoff: Cannot find package 'onoff')"]);
    expect(hw.signals).toBe(noSignals);
  });

  it('a bad hardware section fails with a ConfigError', async () => {
    await expect(
      createReaders({ wiegand: [{ d0: 3, d1: 3, formats: ['H10301'] }] }, offline),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
