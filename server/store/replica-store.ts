/**
 * The server processes (replicas) and their last heartbeat, kept in the database so that
 * whichever replica answers can say which others run and how they do (issue 21). Each
 * replica writes its own row; nobody else writes it. Composed into Store.
 */
export type ReplicaState = 'alive' | 'draining' | 'stopped';

export type ReplicaBeat = {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
  beatAt: number;
  state: ReplicaState;
  /** This replica's figures as JSON (server/replicas/replica-figures.ts), or null. */
  figures: string | null;
};

export interface ReplicaStore {
  /** Inserts or replaces this replica's row. */
  beatReplica(beat: ReplicaBeat): Promise<void>;
  /** Every replica known, newest start first. */
  listReplicas(): Promise<ReplicaBeat[]>;
  /** Drops rows whose last beat is before `before` (long gone); returns how many. */
  forgetReplicas(before: number): Promise<number>;
  /** Every beat's figures since `since` (the System page's last-hour charts), oldest first. */
  replicaHistory(since: number): Promise<{ replicaId: string; at: number; figures: string }[]>;
}

/** How long each process's past figures are kept (the charts' span). */
export const REPLICA_HISTORY_MS = 3_600_000;
