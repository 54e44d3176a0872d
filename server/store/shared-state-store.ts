/**
 * Small expiring values every replica must see alike: device-assertion jtis seen once,
 * login throttles, per-kiosk tap buckets, once-a-day job claims. Composed into Store; on
 * the embedded server the same contract is kept in memory (server/shared/memory-state.ts),
 * since one process is the whole fleet there.
 */
export type SharedEntry = { value: string; expiresAt: number };

export interface SharedStateStore {
  /** True the first time `key` is claimed, or once an earlier claim has expired; false while one stands. */
  claimOnce(key: string, expiresAt: number, now: number): Promise<boolean>;
  /** The live value of `key` (an expired one reads as absent). */
  getShared(key: string, now: number): Promise<SharedEntry | null>;
  /** The same, locking the row until the transaction ends (PostgreSQL; SQLite has one writer). */
  getSharedForUpdate(key: string, now: number): Promise<SharedEntry | null>;
  putShared(key: string, entry: SharedEntry): Promise<void>;
  deleteShared(key: string): Promise<void>;
  /** Drops expired entries; returns how many. */
  purgeShared(now: number): Promise<number>;
}
