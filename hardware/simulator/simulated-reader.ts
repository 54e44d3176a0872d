/**
 * A badge reader driven by software: development (`npm run tap`, the UI's tap panel)
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
}
