/**
 * Finds the sysfs GPIO numbering base of the header's GPIO controller.
 *
 * Pins are configured by BCM number (as printed on pinout diagrams), but since Raspberry Pi
 * OS kernel 6.6 sysfs numbers carry an offset: 512 on a Pi 4, 571 on a Pi 5, 0 before.
 * The base is read from /sys/class/gpio/gpiochip<N>/{label,base}; an explicit base in the
 * config wins. No /sys/class/gpio (a laptop, a container, this project's machines) is a
 * status line, not a crash.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Labels of the controller that drives the 40-pin header, per Pi generation. */
export const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'];

export type GpioBase = { ok: true; base: number; label: string } | { ok: false; status: string };

export async function findGpioBase(
  opts: { sysfsRoot?: string; explicitBase?: number; labels?: readonly string[] } = {},
): Promise<GpioBase> {
  const root = opts.sysfsRoot ?? '/sys/class/gpio';
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    return { ok: false, status: `GPIO not available (no ${root})` };
  }
  if (opts.explicitBase !== undefined) return { ok: true, base: opts.explicitBase, label: 'configured' };
  const labels = opts.labels ?? HEADER_CHIP_LABELS;
  const chips = (await readdir(root)).filter((n) => /^gpiochip\d+$/.test(n));
  const found: { label: string; base: number }[] = [];
  for (const chip of chips) {
    try {
      const label = (await readFile(join(root, chip, 'label'), 'utf8')).trim();
      const base = Number((await readFile(join(root, chip, 'base'), 'utf8')).trim());
      if (Number.isInteger(base) && base >= 0) found.push({ label, base });
    } catch {
      // A chip directory without label/base files is not one we can use.
    }
  }
  for (const wanted of labels) {
    const hit = found.find((c) => c.label === wanted);
    if (hit) return { ok: true, base: hit.base, label: hit.label };
  }
  const seen = found.map((c) => c.label).join(', ') || 'none';
  return {
    ok: false,
    status: `GPIO not available (no header GPIO chip among: ${seen}; set hardware.gpio.base)`,
  };
}
