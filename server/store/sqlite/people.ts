/** SQLite implementation of PeopleStore (people administration and roster rows). */
import type Database from 'better-sqlite3';
import type { Role } from '../../../protocol/index.ts';
import type { PeopleStore } from '../people-store.ts';

export function sqlitePeopleStore(db: Database.Database): PeopleStore {
  const q = {
    setPassword: db.prepare<[string, number, string]>(
      'UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?',
    ),
    setActive: db.prepare<[number, string]>('UPDATE users SET active = ? WHERE id = ?'),
    itemByTag: db.prepare<[string], { id: string }>('SELECT id FROM items WHERE tag = ?'),
    setRoster: db.prepare<[string, string]>(
      'UPDATE badges SET roster_hash = ? WHERE credential_hash = ? AND roster_hash IS NULL',
    ),
    roster: db.prepare<[], { roster_hash: string; user_id: string; display_name: string; role: Role }>(
      `SELECT b.roster_hash, u.id AS user_id, u.display_name, u.role
       FROM badges b JOIN users u ON u.id = b.user_id
       WHERE u.active = 1 AND b.roster_hash IS NOT NULL ORDER BY b.roster_hash`,
    ),
  };
  return {
    setPasswordHash(userId, hash, now) {
      q.setPassword.run(hash, now, userId);
    },
    setUserActive: (userId, active) => q.setActive.run(active ? 1 : 0, userId).changes === 1,
    findItemIdByTag: (tag) => q.itemByTag.get(tag)?.id ?? null,
    setRosterHash(credentialHash, rosterHash) {
      q.setRoster.run(rosterHash, credentialHash);
    },
    rosterEntries: () =>
      q.roster.all().map((r) => ({
        rosterHash: r.roster_hash,
        userId: r.user_id,
        displayName: r.display_name,
        role: r.role,
      })),
  };
}
