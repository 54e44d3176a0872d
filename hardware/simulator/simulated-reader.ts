/**
 * A badge reader (and item scanner) driven by software: development (`npm run tap`, the UI's tap panel)
 * and tests. It goes through the same hub and de-duplication as a real reader.
 */
import { normalizeCredential } from '../../protocol/credentials.ts';
import type { BadgeReader, ReaderSink } from '../ports.ts';

export class SimulatedReader implements BadgeReader {
  readonly kind = 'simulator';
  private sink: ReaderSink | null = null;

  constructor(readonly id = 'simulator') {}

  start(sink: ReaderSink): void {
    this.sink = sink;
    sink.status({ readerId: this.id, kind: this.kind, state: 'present' });
  }

  async stop(): Promise<void> {
    this.sink = null;
  }

  /** Tap a badge. Returns false when the input is not a credential (it is then counted as rejected). */
  tap(raw: string): boolean {
    if (!this.sink) return false;
    const credential = normalizeCredential(raw);
    if (!credential) {
      this.sink.rejected(this.id, 'not a credential');
      return false;
    }
    this.sink.credential(credential, this.id);
    return true;
  }

  /** Scan an item tag (printable ASCII, 1-128 characters). Returns false when refused. */
  scan(tag: string): boolean {
    if (!this.sink) return false;
    if (!/^[\x21-\x7e][\x20-\x7e]{0,127}$/.test(tag) || !this.sink.itemScan) {
      this.sink.rejected(this.id, 'not an item tag');
      return false;
    }
    this.sink.itemScan(tag, this.id);
    return true;
  }
}
