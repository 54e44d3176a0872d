/**
 * Keyboard-wedge readers and barcode/QR scanners as a BadgeReader. Key presses reach the
 * kiosk in its window (the renderer), so whoever receives them (the kiosk core, through
 * the KioskApi) calls key() with each key and its event time; scans come out as badges or
 * item-scan events, a person's typing is ignored.
 */
import type { BadgeReader, ReaderSink } from '../ports.ts';
import { WedgeClassifier, type WedgeOptions } from './classifier.ts';

export class KeyboardWedgeReader implements BadgeReader {
  readonly kind = 'keyboard-wedge';
  private sink: ReaderSink | null = null;
  private readonly classifier: WedgeClassifier;

  constructor(
    opts: WedgeOptions,
    readonly id = 'keyboard-wedge',
  ) {
    this.classifier = new WedgeClassifier(opts);
  }

  start(sink: ReaderSink): void {
    this.sink = sink;
    sink.status({ readerId: this.id, kind: this.kind, state: 'present', detail: 'listening for scans' });
  }

  async stop(): Promise<void> {
    this.sink = null;
  }

  /** One key press (KeyboardEvent.key) at `atMs` (the event's timeStamp or the clock). */
  key(key: string, atMs: number): void {
    const sink = this.sink;
    if (!sink) return;
    const v = this.classifier.key(key, atMs);
    if (!v) return;
    if (v.kind === 'badge') sink.credential(v.credential, this.id);
    else if (v.kind === 'rejected') sink.rejected(this.id, v.reason);
    else if (sink.itemScan) sink.itemScan(v.tag, this.id);
    else sink.rejected(this.id, 'item scan with nobody to take it');
  }
}
