/**
 * SharedStateStore in the `shared_state` table (portable SQL, both databases). Every
 * statement finds its rows through the primary key or the index on `expires_at`, so no call
 * costs more as live entries pile up; the purge deletes in bounded batches, each its own
 * short transaction, so ten minutes of expired assertion ids (millions under load) never
 * become one statement that holds the write lock for seconds.
 */
import type { SharedEntry, SharedStateStore } from '../shared-state-store.ts';
import type { SqlRunner } from './sql-db.ts';

/** Rows deleted per purge statement. */
export const PURGE_BATCH = 1_000;

export function sqlSharedState(db: SqlRunner): SharedStateStore {
  return {
    // One statement: inserts, or takes over an expired claim, and reports which.
    claimOnce: async (key, expiresAt, now) =>
      (
        await db.run(
          `INSERT INTO shared_state (key, value, expires_at) VALUES (?, '', ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
           WHERE shared_state.expires_at <= ?`,
          [key, expiresAt, now],
        )
      ).changes === 1,
    getShared: async (key, now) =>
      (await db.get<SharedEntry>(
        'SELECT value, expires_at AS "expiresAt" FROM shared_state WHERE key = ? AND expires_at > ?',
        [key, now],
      )) ?? null,
    getSharedForUpdate: async (key, now) => {
      const row = await db.get<SharedEntry>(
        `SELECT value, expires_at AS "expiresAt" FROM shared_state WHERE key = ?${db.dialect.forUpdate}`,
        [key],
      );
      return row && row.expiresAt > now ? row : null;
    },
    async putShared(key, { value, expiresAt }) {
      await db.run(
        `INSERT INTO shared_state (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
        [key, value, expiresAt],
      );
    },
    async deleteShared(key) {
      await db.run('DELETE FROM shared_state WHERE key = ?', [key]);
    },
    async purgeShared(now) {
      let removed = 0;
      for (;;) {
        const { changes } = await db.run(
          `DELETE FROM shared_state WHERE key IN
             (SELECT key FROM shared_state WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
          [now],
        );
        removed += changes;
        if (changes < PURGE_BATCH) return removed;
      }
    },
  };
}
