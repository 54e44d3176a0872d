/** Loans for the dashboard: filtered listings, overview counts, recent activity, manual close. */
import type Database from 'better-sqlite3';
import type { AdminStore } from '../admin-store.ts';
import {
  ADMIN_LOAN_SELECT,
  TX_SELECT,
  bumpItemVersion,
  toAdminLoan,
  toTx,
  type AdminLoanSql,
  type TxSql,
} from './admin-rows.ts';

type LoanParts = Pick<
  AdminStore,
  'overviewCounts' | 'recentTransactions' | 'adminLoans' | 'findAdminLoan' | 'closeLoanManually'
>;

export function adminLoans(db: Database.Database): LoanParts {
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

  return {
    overviewCounts: (now, since) => ({
      itemsOut: count('SELECT COUNT(*) AS n FROM loans WHERE returned_at IS NULL'),
      itemsTotal: count('SELECT COUNT(*) AS n FROM items WHERE retired = 0'),
      overdue: count('SELECT COUNT(*) AS n FROM loans WHERE returned_at IS NULL AND due_at < ?', now),
      conflictsOpen: count(
        "SELECT COUNT(*) AS n FROM transactions WHERE status != 'applied' AND resolved_at IS NULL",
      ),
      borrowsSince: count(
        "SELECT COUNT(*) AS n FROM transactions WHERE kind = 'borrow' AND status != 'rejected' AND occurred_at >= ?",
        since,
      ),
      returnsSince: count(
        "SELECT COUNT(*) AS n FROM transactions WHERE kind = 'return' AND status != 'rejected' AND occurred_at >= ?",
        since,
      ),
    }),

    recentTransactions: (limit) =>
      db
        .prepare<[number], TxSql>(`${TX_SELECT} ORDER BY t.received_at DESC, t.occurred_at DESC LIMIT ?`)
        .all(limit)
        .map(toTx),

    adminLoans(f) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (f.status === 'open') where.push('l.returned_at IS NULL');
      if (f.status === 'returned') where.push('l.returned_at IS NOT NULL');
      if (f.status === 'overdue') {
        where.push('l.returned_at IS NULL AND l.due_at < ?');
        args.push(f.now);
      }
      const eq: [keyof typeof f, string][] = [
        ['userId', 'l.user_id'],
        ['itemId', 'l.item_id'],
        ['kioskId', 'l.kiosk_id'],
      ];
      for (const [key, column] of eq) {
        const v = f[key];
        if (typeof v === 'string') {
          where.push(`${column} = ?`);
          args.push(v);
        }
      }
      if (f.from !== undefined) {
        where.push('l.borrowed_at >= ?');
        args.push(f.from);
      }
      if (f.to !== undefined) {
        where.push('l.borrowed_at < ?');
        args.push(f.to);
      }
      const sql = `${ADMIN_LOAN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY l.borrowed_at DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], AdminLoanSql>(sql)
        .all(...args, f.limit ?? 5000)
        .map(toAdminLoan);
    },

    findAdminLoan(id) {
      const r = db.prepare<[string], AdminLoanSql>(`${ADMIN_LOAN_SELECT} WHERE l.id = ?`).get(id);
      return r ? toAdminLoan(r) : null;
    },

    closeLoanManually: (id, now) =>
      db.transaction(() => {
        const row = db
          .prepare<[number, string], { item_id: string }>(
            'UPDATE loans SET returned_at = ? WHERE id = ? AND returned_at IS NULL RETURNING item_id',
          )
          .get(now, id);
        if (row) bumpItemVersion(db, row.item_id);
        return row !== undefined;
      })(),
  };
}
