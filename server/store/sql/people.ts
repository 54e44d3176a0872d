/** People administration and roster rows (PeopleStore). */
import type { Role } from '../../../protocol/index.ts';
import type { PeopleStore } from '../people-store.ts';
import type { SqlRunner } from './sql-db.ts';

export function sqlPeopleStore(db: SqlRunner): PeopleStore {
  return {
    async setPasswordHash(userId, hash, now) {
      await db.run('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?', [
        hash,
        now,
        userId,
      ]);
    },
    setUserActive: async (userId, active) =>
      (await db.run('UPDATE users SET active = ? WHERE id = ?', [active ? 1 : 0, userId])).changes === 1,
    findItemIdByTag: async (tag) =>
      (await db.get<{ id: string }>('SELECT id FROM items WHERE tag = ?', [tag]))?.id ?? null,
    async setRosterHash(credentialHash, rosterHash, hint) {
      await db.run(
        `UPDATE badges SET roster_hash = COALESCE(roster_hash, ?), hint = COALESCE(hint, ?)
         WHERE credential_hash = ? AND (roster_hash IS NULL OR hint IS NULL)`,
        [rosterHash, hint ?? null, credentialHash],
      );
    },
    rosterEntries: async () =>
      (
        await db.all<{ roster_hash: string; user_id: string; display_name: string; role: Role }>(
          `SELECT b.roster_hash, u.id AS user_id, u.display_name, u.role
           FROM badges b JOIN users u ON u.id = b.user_id
           WHERE u.active = 1 AND b.roster_hash IS NOT NULL ORDER BY b.roster_hash`,
        )
      ).map((r) => ({
        rosterHash: r.roster_hash,
        userId: r.user_id,
        displayName: r.display_name,
        role: r.role,
      })),
  };
}
