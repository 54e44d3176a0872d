/**
 * Outputs over GPIO: status LEDs, a buzzer and locker relays, behind the Signals port.
 *
 * - Construction never toggles a line: an already-exported output keeps its direction
 *   (onoff's reconfigureDirection would rewrite it and drive the line low for a moment,
 *   which pulses an active-low relay on every restart), and a fresh export starts at the
 *   physical level that means "off".
 * - A relay pulse has a hard maximum: a bug or a stuck timer must not hold a lock open.
 * - Relays fire only when the kiosk core calls pulseLocker() after the transaction commits.
 * - Everything is switched off and released on close(), on exit and on SIGTERM/SIGINT.
 */
import type { SignalPattern, Signals } from '../ports.ts';
import type { TimerHandle, Timers } from '../timers.ts';

export type OutputGpio = { writeSync(value: 0 | 1): void; unexport(): void };
/** Create an output at `sysfsNumber`, initially off. `activeLow`: logical 1 drives the pin low. */
export type OutputGpioFactory = (sysfsNumber: number, activeLow: boolean) => OutputGpio;

export async function onoffOutputFactory(): Promise<OutputGpioFactory> {
  const { Gpio } = await import('onoff');
  // sysfs "high"/"low" set the raw level, so "off" is physical high for an active-low line.
  return (n, activeLow) =>
    new Gpio(n, activeLow ? 'high' : 'low', 'none', { activeLow, reconfigureDirection: false });
}

export type OutputPin = { bcm: number; activeLow?: boolean };

export type OutputsConfig = {
  leds: { green?: OutputPin; red?: OutputPin; amber?: OutputPin };
  buzzer?: OutputPin;
  /** Locker slot name -> relay pin. */
  lockers: Record<string, OutputPin>;
  relayPulseMs: number;
  /** Hard cap on any relay pulse, whatever the caller asks for. */
  relayMaxMs: number;
};

export type Led = 'green' | 'red' | 'amber';
export type BuzzerPattern = 'success' | 'failure' | 'attention';

/** On/off durations in ms, starting with "on". */
export const BUZZER_PATTERNS: Record<BuzzerPattern, readonly number[]> = {
  success: [80, 60, 80],
  failure: [400],
  attention: [60, 60, 60, 60, 60],
};

type Look = { led: Led | null; ledMs: number | null; buzz: BuzzerPattern | null };

/** What each kiosk signal looks and sounds like. ledMs null: stays until the next signal. */
export const SIGNAL_LOOKS: Record<SignalPattern, Look> = {
  ready: { led: null, ledMs: null, buzz: null },
  accepted: { led: 'green', ledMs: 1500, buzz: 'success' },
  committed: { led: 'green', ledMs: 2000, buzz: 'success' },
  denied: { led: 'red', ledMs: 2500, buzz: 'failure' },
  error: { led: 'red', ledMs: 2500, buzz: 'failure' },
  offline: { led: 'amber', ledMs: null, buzz: 'attention' },
};

export class GpioSignals implements Signals {
  private readonly leds = new Map<Led, OutputGpio>();
  private buzzer: OutputGpio | null = null;
  private readonly relays = new Map<string, OutputGpio>();
  private readonly relayTimers = new Map<string, TimerHandle>();
  private patternTimers: TimerHandle[] = [];
  private closed = false;

  constructor(
    private readonly config: OutputsConfig,
    private readonly base: number,
    factory: OutputGpioFactory,
    private readonly timers: Timers,
  ) {
    const make = (p: OutputPin) => {
      const line = factory(base + p.bcm, p.activeLow ?? false);
      line.writeSync(0); // off, in case a crash left it on; a no-op level for a line already off
      return line;
    };
    const opened: OutputGpio[] = [];
    try {
      for (const led of ['green', 'red', 'amber'] as const) {
        const p = config.leds[led];
        if (p) opened.push(this.set(this.leds, led, make(p)));
      }
      if (config.buzzer) opened.push((this.buzzer = make(config.buzzer)));
      for (const [slot, p] of Object.entries(config.lockers))
        opened.push(this.set(this.relays, slot, make(p)));
    } catch (err) {
      for (const line of opened) release(line);
      throw err;
    }
  }

  show(pattern: SignalPattern): void {
    if (this.closed) return;
    this.cancelPattern();
    const look = SIGNAL_LOOKS[pattern];
    if (look.led) {
      const led = this.leds.get(look.led);
      led?.writeSync(1);
      if (led && look.ledMs !== null) this.later(look.ledMs, () => led.writeSync(0));
    }
    if (look.buzz && this.buzzer) this.buzz(this.buzzer, BUZZER_PATTERNS[look.buzz]);
  }

  /**
   * Open a locker: pulse its relay. Call only after the transaction it belongs to is
   * committed. Returns false for a slot with no relay configured. A pulse already running
   * on the slot is not extended.
   */
  pulseLocker(slot: string, ms = this.config.relayPulseMs): boolean {
    const relay = this.relays.get(slot);
    if (!relay || this.closed) return false;
    if (this.relayTimers.has(slot)) return true;
    const duration = Math.max(1, Math.min(ms, this.config.relayMaxMs));
    relay.writeSync(1);
    this.relayTimers.set(
      slot,
      this.timers.setTimeout(() => {
        this.relayTimers.delete(slot);
        relay.writeSync(0);
      }, duration),
    );
    return true;
  }

  get lockerSlots(): string[] {
    return [...this.relays.keys()];
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** Switch everything off and release it, synchronously (usable in a process 'exit' handler). */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelPattern();
    for (const t of this.relayTimers.values()) this.timers.clearTimeout(t);
    this.relayTimers.clear();
    // Relays first: an open lock matters more than a lit LED.
    for (const line of [
      ...this.relays.values(),
      ...(this.buzzer ? [this.buzzer] : []),
      ...this.leds.values(),
    ]) {
      try {
        line.writeSync(0);
      } catch {
        // Keep going: the other lines must still be switched off.
      }
      release(line);
    }
  }

  private set<K>(map: Map<K, OutputGpio>, key: K, line: OutputGpio): OutputGpio {
    map.set(key, line);
    return line;
  }

  private buzz(line: OutputGpio, steps: readonly number[]): void {
    let at = 0;
    steps.forEach((ms, i) => {
      const on = i % 2 === 0;
      this.later(at, () => line.writeSync(on ? 1 : 0));
      at += ms;
    });
    this.later(at, () => line.writeSync(0));
  }

  private later(ms: number, fn: () => void): void {
    if (ms === 0) return fn();
    this.patternTimers.push(this.timers.setTimeout(fn, ms));
  }

  private cancelPattern(): void {
    for (const t of this.patternTimers) this.timers.clearTimeout(t);
    this.patternTimers = [];
    for (const led of this.leds.values()) led.writeSync(0);
    this.buzzer?.writeSync(0);
  }
}

function release(line: OutputGpio): void {
  try {
    line.unexport();
  } catch {
    // Already released.
  }
}

/**
 * Switch outputs off when the process ends: on exit, and on SIGTERM/SIGINT. When nobody
 * else handles the signal, exit as the default action would; otherwise the composition
 * root's own handler is in charge of exiting. Returns a function that removes the hooks.
 */
export function releaseOnExit(
  outputs: { closeSync(): void },
  proc: Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'exit'> = process,
): () => void {
  const onExit = () => outputs.closeSync();
  const onSignal = (signal: NodeJS.Signals) => {
    outputs.closeSync();
    if (proc.listenerCount(signal) <= 1) proc.exit(signal === 'SIGINT' ? 130 : 143);
  };
  proc.on('exit', onExit);
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);
  return () => {
    proc.off('exit', onExit);
    proc.off('SIGTERM', onSignal);
    proc.off('SIGINT', onSignal);
  };
}
