/** Ports the kiosk core is built on; real defaults live beside them, fakes in test/fixtures. */
import type { Clock } from '../../protocol/index.ts';

export type { Clock };

export type TimerHandle = { cancel(): void };

export interface Scheduler {
  /** Run `fn` after `ms`; the handle cancels it. */
  after(ms: number, fn: () => void): TimerHandle;
}

export const realScheduler: Scheduler = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

export type Random = () => number;

export type Fetch = typeof fetch;

export type Logger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
