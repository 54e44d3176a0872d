/**
 * Small expiring state that decides security and must hold across replicas: device
 * assertions seen once, login throttles, per-kiosk tap buckets, once-a-day job claims.
 * Two implementations keep one contract: in the database (store-state.ts, for several
 * replicas) and in memory (memory-state.ts, for the embedded one-process server, where a
 * write per badge tap to a synchronous=FULL SQLite file would cost a disk flush).
 */
export type Update<S, T> = (current: S | undefined) => { next: S | null; expiresAt: number; result: T };

export interface SharedState {
  readonly where: 'memory' | 'database';
  /** True the first time `key` is claimed (or once the last claim expired); false while a claim stands. */
  claimOnce(key: string, expiresAt: number, now: number): Promise<boolean>;
  read<S>(key: string, now: number): Promise<S | undefined>;
  /** Read-modify-write of one value, atomic against every other replica. `next: null` deletes it. */
  update<S, T>(key: string, now: number, fn: Update<S, T>): Promise<T>;
  /** Drops what has expired; returns how many entries went. */
  purge(now: number): Promise<number>;
}
