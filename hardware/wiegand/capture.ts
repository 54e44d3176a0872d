/**
 * The Wiegand capture port: whatever watches D0/D1 reports one bit per pulse, with the
 * event's own timestamp when it has one, and reports trouble as a short line instead of
 * throwing. Two backends implement it: onoff (sysfs edges) and gpiomon (libgpiod tools).
 */
import type { Bit } from './decoder.ts';

export type CaptureHandlers = {
  bit(bit: Bit, atMs?: number): void;
  /** The lines are being watched. */
  ready(detail: string): void;
  /** Watching failed or stopped on its own; the backend may retry by itself. */
  error(detail: string): void;
};

export interface WiegandCapture {
  readonly backend: 'onoff' | 'gpiomon';
  start(handlers: CaptureHandlers): void;
  /** Stop watching and release the lines. Safe to call twice. */
  stop(): Promise<void>;
}

/** Both lines by BCM number (the header's GPIO numbers, as on pinout diagrams). */
export type WiegandPins = { d0: number; d1: number };
