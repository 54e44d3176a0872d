/**
 * Stands in for a configured reader that cannot run on this machine (no GPIO, a driver
 * module not installed), so the service screen shows why instead of the reader vanishing.
 */
import type { BadgeReader, ReaderSink } from './ports.ts';

export class UnavailableReader implements BadgeReader {
  constructor(
    readonly id: string,
    readonly kind: string,
    private readonly detail: string,
  ) {}

  start(sink: ReaderSink): void {
    sink.status({ readerId: this.id, kind: this.kind, state: 'gone', detail: this.detail });
  }

  async stop(): Promise<void> {}
}
