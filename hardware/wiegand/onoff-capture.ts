/**
 * Wiegand capture over onoff (sysfs GPIO with epoll).
 *
 * Both lines idle high and pulse low for about 50 us. The watch is on `rising` edges with no
 * debounce: onoff reads the line's value when the interrupt is handled, long after a 50 us
 * pulse is over, so a `falling` watch sees "high" and drops the event, and any debounce
 * merges the pulses of a frame. onoff gives no timestamps, so bits are taken in arrival
 * order; the frame's parity catches the rare reordering under load.
 */
import type { Bit } from './decoder.ts';
import type { CaptureHandlers, WiegandCapture, WiegandPins } from './capture.ts';

/** The part of onoff's Gpio this backend uses (a fake in tests). */
export type InputGpio = {
  watch(cb: (err: Error | null | undefined, value: number) => void): void;
  unwatchAll(): void;
  unexport(): void;
};
export type InputGpioFactory = (sysfsNumber: number) => InputGpio;

/** Real factory over onoff, loaded lazily so a machine without it still starts. */
export async function onoffInputFactory(): Promise<InputGpioFactory> {
  const { Gpio } = await import('onoff');
  return (n) => new Gpio(n, 'in', 'rising', { debounceTimeout: 0, activeLow: false });
}

export class OnoffCapture implements WiegandCapture {
  readonly backend = 'onoff';
  private lines: InputGpio[] = [];

  constructor(
    private readonly pins: WiegandPins,
    /** sysfs numbering base (0 on old kernels, 512 on a Pi 4 with 6.6+, 571 on a Pi 5). */
    private readonly base: number,
    private readonly factory: InputGpioFactory,
  ) {}

  start(h: CaptureHandlers): void {
    try {
      const watch = (bcm: number, bit: Bit) => {
        const line = this.factory(this.base + bcm);
        this.lines.push(line);
        line.watch((err) => {
          if (err) h.error(`GPIO ${bcm} watch failed: ${err.message}`);
          else h.bit(bit);
        });
      };
      watch(this.pins.d0, 0);
      watch(this.pins.d1, 1);
      h.ready(
        `onoff on GPIO ${this.pins.d0}/${this.pins.d1} (sysfs ${this.base + this.pins.d0}/${this.base + this.pins.d1})`,
      );
    } catch (err) {
      this.release();
      h.error(`cannot watch GPIO ${this.pins.d0}/${this.pins.d1}: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.release();
  }

  private release(): void {
    for (const line of this.lines) {
      try {
        line.unwatchAll();
        line.unexport();
      } catch {
        // Already gone (unexported by someone else): nothing left to release.
      }
    }
    this.lines = [];
  }
}
