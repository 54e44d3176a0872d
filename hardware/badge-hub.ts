/**
 * Fans in every reader and drops repeats: a card held on an NFC reader, or a Wiegand
 * reader that sends the same frame twice, must produce one badge event, not several.
 * The window is per credential, measured on the injected clock.
 */
import type { Credential } from '../protocol/credentials.ts';
import type { Clock } from '../protocol/clock.ts';
import type { BadgeReader, ReaderSink, ReaderStatusReport } from './ports.ts';

export type BadgeHubListener = {
  badge(credential: Credential, readerId: string): void;
  status(report: ReaderStatusReport): void;
  rejected?(readerId: string, reason: string): void;
  /** An item tag from a scanner; repeats inside the window are dropped like badges. */
  itemScan?(tag: string, readerId: string): void;
};

export const DEFAULT_DEDUPE_MS = 1500;

export class BadgeHub {
  private readonly lastSeen = new Map<string, number>();
  private readonly statuses = new Map<string, ReaderStatusReport>();
  private rejectedCount = 0;

  constructor(
    private readonly readers: readonly BadgeReader[],
    private readonly clock: Clock,
    private readonly listener: BadgeHubListener,
    private readonly dedupeMs = DEFAULT_DEDUPE_MS,
  ) {}

  start(): void {
    const sink: ReaderSink = {
      credential: (credential, readerId) => this.onCredential(credential, readerId),
      status: (report) => {
        this.statuses.set(report.readerId, report);
        this.listener.status(report);
      },
      rejected: (readerId, reason) => {
        this.rejectedCount += 1;
        this.listener.rejected?.(readerId, reason);
      },
      itemScan: (tag, readerId) => {
        if (this.fresh(`item ${tag}`)) this.listener.itemScan?.(tag, readerId);
      },
    };
    for (const reader of this.readers) reader.start(sink);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.readers.map((r) => r.stop()));
  }

  readerStatuses(): ReaderStatusReport[] {
    return [...this.statuses.values()];
  }

  get rejected(): number {
    return this.rejectedCount;
  }

  private onCredential(credential: Credential, readerId: string): void {
    if (this.fresh(credential)) this.listener.badge(credential, readerId);
  }

  /**
   * False for a repeat inside the window (which also restarts the window). A last sighting
   * "in the future" means the clock was set back (NTP on a Pi that booted without the time):
   * it says nothing about this tap, which counts (it used to be dropped, silently).
   */
  private fresh(key: string): boolean {
    const now = this.clock.now();
    const last = this.lastSeen.get(key);
    this.lastSeen.set(key, now);
    if (last !== undefined && now >= last && now - last < this.dedupeMs) return false;
    // Keep the map small: forget entries that can no longer suppress anything.
    for (const [k, t] of this.lastSeen) if (now - t >= this.dedupeMs || t > now) this.lastSeen.delete(k);
    this.lastSeen.set(key, now);
    return true;
  }
}
