/** IdentityStore in the `user_identities` table (portable SQL, both databases). */
import type { IdentityStore, UserIdentity } from '../identity-store.ts';
import type { SqlRunner } from './sql-db.ts';

const SELECT = `SELECT issuer, subject, user_id AS "userId", created_at AS "createdAt",
  last_login_at AS "lastLoginAt" FROM user_identities`;

type Row = Omit<UserIdentity, 'createdAt' | 'lastLoginAt'> & {
  createdAt: number | string;
  lastLoginAt: number | string | null;
};

const toIdentity = (r: Row): UserIdentity => ({
  ...r,
  createdAt: Number(r.createdAt),
  lastLoginAt: r.lastLoginAt === null ? null : Number(r.lastLoginAt),
});

export function sqlIdentities(db: SqlRunner): IdentityStore {
  return {
    async findIdentity(issuer, subject) {
      const r = await db.get<Row>(`${SELECT} WHERE issuer = ? AND subject = ?`, [issuer, subject]);
      return r ? toIdentity(r) : null;
    },
    async linkIdentity(i) {
      // Two replicas handling two first sign-ins of one account: the second finds it linked.
      const r = await db.run(
        `INSERT INTO user_identities (issuer, subject, user_id, created_at, last_login_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (issuer, subject) DO NOTHING`,
        [i.issuer, i.subject, i.userId, i.createdAt, i.createdAt],
      );
      return r.changes === 1;
    },
    async touchIdentity(issuer, subject, at) {
      await db.run('UPDATE user_identities SET last_login_at = ? WHERE issuer = ? AND subject = ?', [
        at,
        issuer,
        subject,
      ]);
    },
    identitiesOf: async (userId) =>
      (await db.all<Row>(`${SELECT} WHERE user_id = ? ORDER BY created_at, issuer, subject`, [userId])).map(
        toIdentity,
      ),
    unlinkIdentitiesOf: async (userId) =>
      (await db.run('DELETE FROM user_identities WHERE user_id = ?', [userId])).changes,
    findUserIdByUserName: async (userName) =>
      (await db.get<{ id: string }>('SELECT id FROM users WHERE lower(user_name) = lower(?)', [userName]))
        ?.id ?? null,
    findUserIdByExternalId: async (externalId) =>
      (await db.get<{ id: string }>('SELECT id FROM users WHERE external_id = ?', [externalId]))?.id ?? null,
  };
}
