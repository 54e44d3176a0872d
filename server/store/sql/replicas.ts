/** ReplicaStore in the `server_replicas` table (portable SQL, both databases). */
import type { ReplicaBeat, ReplicaStore } from '../replica-store.ts';
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
    },
    listReplicas: () =>
      db.all<ReplicaBeat>(
        `SELECT id, host, pid, version, started_at AS "startedAt", beat_at AS "beatAt", state, figures
           FROM server_replicas ORDER BY started_at DESC, id`,
      ),
    async forgetReplicas(before) {
      return (await db.run('DELETE FROM server_replicas WHERE beat_at < ?', [before])).changes;
    },
  };
}
