/** Loans for the dashboard: filtered listings, overview counts, recent activity, manual close. */
import type { AdminLoanFilter, AdminStore } from '../admin-store.ts';
import {
  ADMIN_LOAN_SELECT,
  TX_SELECT,
  bumpItemVersion,
  toAdminLoan,
  toTx,
  type AdminLoanSql,
  type TxSql,
} from './admin-rows.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type LoanParts = Pick<
  AdminStore,
  | 'overviewCounts'
  | 'recentTransactions'
  | 'adminLoans'
  | 'countAdminLoans'
  | 'findAdminLoan'
  | 'closeLoanManually'
>;

/** The WHERE of a loans query, on `loans l` alone, shared by the page and its count. */
function loanFilter(f: AdminLoanFilter): { where: string[]; args: SqlValue[] } {
  const where: string[] = [];
  const args: SqlValue[] = [];
  if (f.status === 'open') where.push('l.returned_at IS NULL');
  if (f.status === 'returned') where.push('l.returned_at IS NOT NULL');
  if (f.status === 'overdue') {
    where.push('l.returned_at IS NULL AND l.due_at < ?');
    args.push(f.now);
  }
  const eq: [keyof AdminLoanFilter, string][] = [
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
  return { where, args };
}

/**
 * SQLite only: the index a list of loans still out reads, named, because SQLite's planner picks
 * loans_returned (returned_at, …) for `returned_at IS NULL` on its own, with or without
 * statistics: it takes that equality for a few rows, when every open loan (20,000 at the goal's
 * size, npm run bench: dashboard_lists) shares the NULL, and sorts them all for one page.
 * The partial indexes hold exactly the open loans: newest first by (borrowed_at, id), overdue by
 * due_at (fewer than those out, and the count of them is answered by the index alone).
 * A person's or an item's loans have smaller indexes of their own, so those are left to the planner.
 * PostgreSQL keeps the share of NULLs in its statistics and needs no name.
 */
function openLoansIndex(db: SqlRunner, f: AdminLoanFilter): string | null {
  if (db.dialect.name !== 'sqlite' || f.userId !== undefined || f.itemId !== undefined) return null;
  if (f.status === 'open') return 'loans_open_borrowed';
  if (f.status === 'overdue') return 'loans_due_open';
  return null;
}

export function adminLoans(db: SqlRunner): LoanParts {
  const count = async (sql: string, args: SqlValue[] = []) => (await db.get<{ n: number }>(sql, args))!.n;

  return {
    async overviewCounts(now, since) {
      const [itemsOut, itemsTotal, overdue, conflictsOpen, needsAttention, borrowsSince, returnsSince] =
        await Promise.all([
          count('SELECT COUNT(*) AS n FROM loans WHERE returned_at IS NULL'),
          count('SELECT COUNT(*) AS n FROM items WHERE retired = 0'),
          count('SELECT COUNT(*) AS n FROM loans WHERE returned_at IS NULL AND due_at < ?', [now]),
          count("SELECT COUNT(*) AS n FROM transactions WHERE status != 'applied' AND resolved_at IS NULL"),
          count(
            "SELECT COUNT(*) AS n FROM items WHERE retired = 0 AND condition IN ('needs_check', 'in_repair')",
          ),
          count(
            "SELECT COUNT(*) AS n FROM transactions WHERE kind = 'borrow' AND status != 'rejected' AND occurred_at >= ?",
            [since],
          ),
          count(
            "SELECT COUNT(*) AS n FROM transactions WHERE kind = 'return' AND status != 'rejected' AND occurred_at >= ?",
            [since],
          ),
        ]);
      return { itemsOut, itemsTotal, overdue, conflictsOpen, needsAttention, borrowsSince, returnsSince };
    },

    recentTransactions: async (limit) =>
      (
        await db.all<TxSql>(`${TX_SELECT} ORDER BY t.received_at DESC, t.occurred_at DESC LIMIT ?`, [limit])
      ).map(toTx),

    async adminLoans(f) {
      const { where, args } = loanFilter(f);
      if (f.after) {
        where.push('(l.borrowed_at, l.id) < (?, ?)');
        args.push(f.after.at, f.after.id);
      }
      const order = 'ORDER BY l.borrowed_at DESC, l.id DESC';
      const limit = f.limit === undefined ? '' : ' LIMIT ?';
      const params = f.limit === undefined ? args : [...args, f.limit];
      const index = openLoansIndex(db, f);
      // The page's ids first, from the named index alone (loans_open_borrowed covers them), then
      // the joins for those rows only.
      const sql = index
        ? `${ADMIN_LOAN_SELECT} WHERE l.id IN (SELECT l.id FROM loans l INDEXED BY ${index}
             WHERE ${where.join(' AND ')} ${order}${limit}) ${order}`
        : `${ADMIN_LOAN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order}${limit}`;
      return (await db.all<AdminLoanSql>(sql, params)).map(toAdminLoan);
    },

    async countAdminLoans(f) {
      const { where, args } = loanFilter(f);
      const index = openLoansIndex(db, f);
      const row = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM loans l${index ? ` INDEXED BY ${index}` : ''} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        args,
      );
      return Number(row?.n ?? 0);
    },

    async findAdminLoan(id) {
      const r = await db.get<AdminLoanSql>(`${ADMIN_LOAN_SELECT} WHERE l.id = ?`, [id]);
      return r ? toAdminLoan(r) : null;
    },

    closeLoanManually: (id, now) =>
      db.atomic(async (tx) => {
        const row = await tx.get<{ item_id: string }>(
          'UPDATE loans SET returned_at = ? WHERE id = ? AND returned_at IS NULL RETURNING item_id',
          [now, id],
        );
        if (row) await bumpItemVersion(tx, row.item_id);
        return row !== undefined;
      }),
  };
}
