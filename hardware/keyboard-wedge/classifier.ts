/**
 * Tells a keyboard-wedge device (badge reader, barcode/QR scanner: a USB keyboard that types
 * a whole code then Enter within a few milliseconds) from a person typing, by timing alone.
 * Pure: key names (KeyboardEvent.key) and their times in, a verdict out.
 *
 * A burst counts as a scan when every key, Enter included, follows the previous within
 * maxInterKeyMs and it is at least minLength characters long. Anything slower is a person
 * and is left alone. A scan matching the badge pattern is a badge (`kbd:<digits>`); one
 * matching the item pattern is an item tag; anything else is rejected input.
 */
import { isCredential, type Credential } from '../../protocol/credentials.ts';

export type WedgeOptions = {
  maxInterKeyMs: number;
  minLength: number;
  badgePattern: RegExp;
  itemPattern: RegExp;
  maxLength?: number;
};

export type WedgeVerdict =
  | { kind: 'badge'; credential: Credential }
  | { kind: 'item'; tag: string }
  | { kind: 'rejected'; reason: string };

/** Keys a scanner sends around the characters (Shift for capitals) that carry no data. */
const IGNORED = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock', 'Unidentified']);

export class WedgeClassifier {
  private chars: string[] = [];
  private lastAt = -Infinity;
  private readonly maxLength: number;

  constructor(private readonly opts: WedgeOptions) {
    this.maxLength = opts.maxLength ?? 128;
  }

  /** Feed one key press. Returns a verdict when a scan has just ended, else null. */
  key(key: string, atMs: number): WedgeVerdict | null {
    if (IGNORED.has(key)) return null;
    const quick = atMs - this.lastAt <= this.opts.maxInterKeyMs;
    this.lastAt = atMs;
    if (key === 'Enter') {
      const text = this.chars.join('');
      const wasScan = quick && this.chars.length >= this.opts.minLength;
      this.chars = [];
      return wasScan ? this.verdict(text) : null;
    }
    if (key.length !== 1 || key < ' ' || key > '~') {
      // Arrows, Backspace, non-ASCII: a scanner does not send these.
      this.chars = [];
      return null;
    }
    if (!quick) this.chars = []; // a pause: whatever came before was typed by hand
    if (this.chars.length < this.maxLength) this.chars.push(key);
    return null;
  }

  private verdict(text: string): WedgeVerdict {
    if (this.opts.badgePattern.test(text)) {
      const credential = `kbd:${text}`;
      if (isCredential(credential)) return { kind: 'badge', credential };
    }
    if (this.opts.itemPattern.test(text)) return { kind: 'item', tag: text };
    return { kind: 'rejected', reason: `scan of ${text.length} characters matches neither badge nor item` };
  }
}
