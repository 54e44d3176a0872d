/**
 * Recognises a USB keyboard-wedge scanner (barcode/QR) typing into the window: characters
 * arriving much faster than a person types, ended by Enter. A person's typing never
 * reaches the threshold, so the search box and the simulator field keep working.
 */
export type WedgeOptions = { maxGapMs?: number; minLength?: number; maxLength?: number };

export class WedgeScanner {
  private buffer = '';
  private lastAt = -Infinity;
  private readonly maxGap: number;
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGap = options.maxGapMs ?? 40;
    this.minLength = options.minLength ?? 3;
    this.maxLength = options.maxLength ?? 128;
  }

  /** Feed one key (KeyboardEvent.key) at a time in ms; returns a complete tag or null. */
  feed(key: string, atMs: number): string | null {
    const gap = atMs - this.lastAt;
    this.lastAt = atMs;
    if (key === 'Enter') {
      const tag = this.buffer;
      this.buffer = '';
      return gap <= this.maxGap && tag.length >= this.minLength ? tag : null;
    }
    if (key.length !== 1) {
      this.buffer = '';
      return null;
    }
    if (gap > this.maxGap) this.buffer = '';
    this.buffer = (this.buffer + key).slice(0, this.maxLength);
    return null;
  }
}
