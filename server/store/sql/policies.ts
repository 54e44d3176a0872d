/** PolicyStore in `lending_policies` and the suspension columns of `users` (portable SQL). */
import type { PolicyStore, StoredPolicies, Suspension } from '../policy-store.ts';
import type { SqlRunner } from './sql-db.ts';

export function sqlPolicies(db: SqlRunner): PolicyStore {
  return {
    async getPolicies() {
      const r = await db.get<Omit<StoredPolicies, 'updatedAt'> & { updatedAt: number | string }>(
        'SELECT body, updated_at AS "updatedAt", updated_by AS "updatedBy" FROM lending_policies WHERE id = 1',
      );
      return r ? { ...r, updatedAt: Number(r.updatedAt) } : null;
    },
    async putPolicies(p) {
      await db.run(
        `INSERT INTO lending_policies (id, body, updated_at, updated_by) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
        [p.body, p.updatedAt, p.updatedBy],
      );
    },
    async setSuspension(userId, s) {
      const r = await db.run('UPDATE users SET suspended_until = ?, suspension_note = ? WHERE id = ?', [
        s?.until ?? null,
        s?.note ?? null,
        userId,
      ]);
      return r.changes === 1;
    },
    async suspensionOf(userId) {
      const r = await db.get<Suspension>(
        `SELECT suspended_until AS until, suspension_note AS note FROM users
         WHERE id = ? AND suspended_until IS NOT NULL`,
        [userId],
      );
      return r ?? null;
    },
    suspensions: () =>
      db.all(
        `SELECT id AS "userId", display_name AS "displayName", suspended_until AS until,
           suspension_note AS note
         FROM users WHERE suspended_until IS NOT NULL ORDER BY display_name, id`,
      ),
    async openLoanFacts(userId) {
      const rows = await db.all<{ category: string; dueAt: number | string }>(
        `SELECT i.category, l.due_at AS "dueAt" FROM loans l JOIN items i ON i.id = l.item_id
         WHERE l.user_id = ? AND l.returned_at IS NULL ORDER BY l.borrowed_at, l.id`,
        [userId],
      );
      return rows.map((r) => ({ category: r.category, dueAt: Number(r.dueAt) }));
    },
  };
}
