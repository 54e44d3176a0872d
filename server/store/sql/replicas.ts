/** ReplicaStore in the `server_replicas` table (portable SQL, both databases). */
import { REPLICA_HISTORY_MS, type ReplicaBeat, type ReplicaStore } from '../replica-store.ts';
import type { SqlRunner } from './sql-db.ts';

export function sqlReplicas(db: SqlRunner): ReplicaStore {
  return {
    async beatReplica(r) {
      await db.run(
        `INSERT INTO server_replicas (id, host, pid, version, started_at, beat_at, state, figures)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at, state = excluded.state,
           figures = excluded.figures`,
        [r.id, r.host, r.pid, r.version, r.startedAt, r.beatAt, r.state, r.figures],
      );
      if (r.figures) {
        // One row per beat for the last hour's charts; each process trims its own.
        await db.run(
          `INSERT INTO server_replica_beats (replica_id, at, figures) VALUES (?, ?, ?)
           ON CONFLICT (replica_id, at) DO UPDATE SET figures = excluded.figures`,
          [r.id, r.beatAt, r.figures],
        );
        await db.run('DELETE FROM server_replica_beats WHERE replica_id = ? AND at < ?', [
          r.id,
          r.beatAt - REPLICA_HISTORY_MS,
        ]);
      }
    },
    replicaHistory: async (since) =>
      (
        await db.all<{ replicaId: string; at: number | string; figures: string }>(
          `SELECT replica_id AS "replicaId", at, figures FROM server_replica_beats WHERE at >= ? ORDER BY at`,
          [since],
        )
      ).map((r) => ({ ...r, at: Number(r.at) })),
    listReplicas: () =>
      db.all<ReplicaBeat>(
        `SELECT id, host, pid, version, started_at AS "startedAt", beat_at AS "beatAt", state, figures
           FROM server_replicas ORDER BY started_at DESC, id`,
      ),
    async forgetReplicas(before) {
      await db.run('DELETE FROM server_replica_beats WHERE at < ?', [before]);
      return (await db.run('DELETE FROM server_replicas WHERE beat_at < ?', [before])).changes;
    },
  };
}
