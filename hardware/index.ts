/**
 * What the kiosk's composition root uses from hardware/: createReaders() builds every
 * configured reader and output from the kiosk config's `hardware` section.
 *
 * Nothing here fails for want of hardware: no /sys/class/gpio, no gpiochip, no onoff or
 * nfc-pcsc module each become a one-line status (in `statusLines`, and as a reader status
 * on the service screen) while the other readers run. A bad config does fail, with a
 * ConfigError naming the field.
 *
 * The kiosk core then: passes `readers` to its BadgeHub; feeds key presses to `wedge.key()`;
 * calls `signals.show()` for feedback and `signals.pulseLocker?.(slot)` only after a
 * transaction has committed; closes `signals` on shutdown (also done on exit/SIGTERM).
 */
import { existsSync } from 'node:fs';
import type { HardwareConfig, ResolvedHardware } from '../protocol/config/hardware-config.ts';
import { resolveHardwareConfig } from '../protocol/config/hardware-config.ts';
import { findGpioBase, type GpioBase } from './gpio/chip-base.ts';
import { GpioSignals, onoffOutputFactory, releaseOnExit, type OutputGpioFactory } from './gpio/outputs.ts';
import { KeyboardWedgeReader } from './keyboard-wedge/wedge-reader.ts';
import { NfcReader, type NfcLibrary } from './nfc/nfc-reader.ts';
import { noSignals, type BadgeReader, type Signals } from './ports.ts';
import { realTimers, type Timers } from './timers.ts';
import { UnavailableReader } from './unavailable-reader.ts';
import type { WiegandCapture } from './wiegand/capture.ts';
import { GpiomonCapture, type GpiomonDeps } from './wiegand/gpiomon-capture.ts';
import { OnoffCapture, onoffInputFactory, type InputGpioFactory } from './wiegand/onoff-capture.ts';
import { WiegandReader } from './wiegand/wiegand-reader.ts';

export type { BadgeReader, ReaderSink, ReaderStatusReport, Signals } from './ports.ts';
export { BadgeHub } from './badge-hub.ts';
export { SimulatedReader } from './simulator/simulated-reader.ts';
export { KeyboardWedgeReader } from './keyboard-wedge/wedge-reader.ts';

export type HardwareDeps = {
  timers?: Timers;
  /** Where sysfs GPIO lives (a fake tree in tests). */
  sysfsRoot?: string;
  /** Where GPIO character devices live (gpiomon). */
  devRoot?: string;
  onoff?: () => Promise<{ input: InputGpioFactory; output: OutputGpioFactory }>;
  nfcLibrary?: () => Promise<NfcLibrary>;
  nfcServiceUp?: () => Promise<boolean>;
  gpiomon?: Omit<GpiomonDeps, 'timers'>;
  /** Switch outputs off on exit and SIGTERM/SIGINT (default true; tests turn it off). */
  hookProcessExit?: boolean;
};

export type Hardware = {
  readers: BadgeReader[];
  signals: Signals;
  /** Feed key presses here; null when the keyboard wedge is off. */
  wedge: KeyboardWedgeReader | null;
  /** One line per thing that could not be set up, for logs and the service screen. */
  statusLines: string[];
  /** The resolved config (dedupe window for the BadgeHub, locker slots). */
  config: ResolvedHardware;
};

const realOnoff = async () => ({ input: await onoffInputFactory(), output: await onoffOutputFactory() });

export async function createReaders(
  section: HardwareConfig | undefined,
  deps: HardwareDeps = {},
): Promise<Hardware> {
  const config = resolveHardwareConfig(section);
  const timers = deps.timers ?? realTimers;
  const readers: BadgeReader[] = [];
  const statusLines: string[] = [];

  if (config.nfc.enabled) {
    readers.push(
      new NfcReader({
        timers,
        readerNames: config.nfc.readers,
        connectTimeoutMs: config.nfc.connectTimeoutMs,
        ...(deps.nfcLibrary ? { loadLibrary: deps.nfcLibrary } : {}),
        ...(deps.nfcServiceUp ? { serviceUp: deps.nfcServiceUp } : {}),
      }),
    );
  }

  // sysfs GPIO and onoff are looked up once, and only when something needs them.
  const needsSysfs = config.wiegand.some((w) => w.backend === 'onoff') || config.outputs.enabled;
  let base: GpioBase = { ok: false, status: 'GPIO not needed' };
  let onoff: { input: InputGpioFactory; output: OutputGpioFactory } | null = null;
  if (needsSysfs) {
    base = await findGpioBase({
      ...(deps.sysfsRoot ? { sysfsRoot: deps.sysfsRoot } : {}),
      ...(config.gpio.base !== undefined ? { explicitBase: config.gpio.base } : {}),
    });
    if (!base.ok) statusLines.push(base.status);
    else {
      try {
        onoff = await (deps.onoff ?? realOnoff)();
      } catch (err) {
        base = { ok: false, status: `GPIO not available (onoff: ${(err as Error).message.split('\n')[0]})` };
        statusLines.push(base.status);
      }
    }
  }

  for (const w of config.wiegand) {
    let capture: WiegandCapture | null = null;
    let why = '';
    if (w.backend === 'onoff') {
      if (base.ok && onoff) capture = new OnoffCapture(w, base.base, onoff.input);
      else why = base.ok ? 'GPIO not available' : base.status;
    } else {
      const device = `${deps.devRoot ?? '/dev'}/${w.chip}`;
      if (w.chip.startsWith('/') || existsSync(device)) {
        capture = new GpiomonCapture(w.chip, w, { timers, ...deps.gpiomon });
      } else {
        why = `GPIO not available (no ${device})`;
        statusLines.push(`${w.id}: ${why}`);
      }
    }
    readers.push(
      capture
        ? new WiegandReader({ id: w.id, capture, formats: w.formats, timers, gapMs: w.gapMs })
        : new UnavailableReader(w.id, 'wiegand', why),
    );
  }

  let signals: Signals = noSignals;
  if (config.outputs.enabled && base.ok && onoff) {
    try {
      const gpio = new GpioSignals(config.outputs, base.base, onoff.output, timers);
      if (deps.hookProcessExit ?? true) releaseOnExit(gpio);
      signals = gpio;
    } catch (err) {
      statusLines.push(`outputs: cannot open GPIO (${(err as Error).message.split('\n')[0]})`);
    }
  }

  let wedge: KeyboardWedgeReader | null = null;
  if (config.keyboardWedge.enabled) {
    const k = config.keyboardWedge;
    wedge = new KeyboardWedgeReader({
      maxInterKeyMs: k.maxInterKeyMs,
      minLength: k.minLength,
      badgePattern: new RegExp(k.badgePattern),
      itemPattern: new RegExp(k.itemPattern),
    });
    readers.push(wedge);
  }

  return { readers, signals, wedge, statusLines, config };
}
