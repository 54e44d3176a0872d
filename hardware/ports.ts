/**
 * Hardware ports: the small interfaces the kiosk core is written against.
 *
 * Every driver (nfc-pcsc, Wiegand over GPIO, keyboard wedge, simulator) implements
 * BadgeReader; every output (LEDs, buzzer, locker relays) sits behind Signals. Drivers
 * report trouble through the sink instead of throwing: a flaky reader must never take
 * the kiosk down.
 */
import type { Credential } from '../protocol/credentials.ts';

export type ReaderState = 'present' | 'gone' | 'error';

export type ReaderStatusReport = {
  readerId: string;
  kind: string;
  state: ReaderState;
  /** A short, log-safe explanation (never card data). */
  detail?: string;
};

export interface ReaderSink {
  /** A normalized credential was read. Repeats are filtered later, by the badge hub. */
  credential(credential: Credential, readerId: string): void;
  /** Reader appeared, vanished or failed. */
  status(report: ReaderStatusReport): void;
  /** Input that could not be parsed into a credential (counted, never trusted). */
  rejected(readerId: string, reason: string): void;
  /**
   * An item tag was scanned (barcode/QR scanner, simulator). Optional: a sink that does not
   * take item scans ignores them. The tag is printable ASCII, 1-128 characters, unverified.
   */
  itemScan?(tag: string, readerId: string): void;
}

export interface BadgeReader {
  readonly id: string;
  readonly kind: string;
  start(sink: ReaderSink): void;
  /** Release the device. Safe to call twice. */
  stop(): Promise<void>;
}

/** What the kiosk wants to tell a person without the screen. */
export type SignalPattern = 'ready' | 'accepted' | 'denied' | 'committed' | 'error' | 'offline';

export interface Signals {
  show(pattern: SignalPattern): void;
  /**
   * Open a locker by pulsing its relay (hardware/gpio/outputs.ts). The kiosk core calls
   * this only AFTER the borrow/return it belongs to is committed to the outbox, never on a
   * tap or a confirmation screen. Returns false when that slot has no relay. Optional so
   * that signals without lockers need not implement it: call as `signals.pulseLocker?.(slot)`.
   */
  pulseLocker?(slot: string): boolean;
  /** Release GPIO lines and switch everything off. */
  close(): Promise<void>;
}

export const noSignals: Signals = {
  show() {},
  async close() {},
};
