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
}
