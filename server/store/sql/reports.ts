/**
 * The dashboard's reports in SQL (report-store.ts): each one aggregate query over indexed
 * rows. Overdue reports read the open loans through loans_due_open; usage reads the loans
 * that overlap the period (open ones through loans_open_borrowed, returned ones through
 * loans_returned), so neither walks the whole loan history. Portable SQL: CASE instead of
 * MIN/MAX of two values (LEAST/GREATEST on PostgreSQL), Number() over counts and sums.
 */
import type { ReportStore } from '../report-store.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type PersonSql = { user_id: string; name: string; email: string | null; loans: number; oldest: number };
type CategorySql = { category: string; loans: number; people: number; oldest: number };
type UsageSql = {
  id: string;
  tag: string;
  name: string;
  category: string;
  loans: number;
  ms: number;
};

export function sqlReports(db: SqlRunner): ReportStore {
  return {
    async overdueByPerson(q) {
      const join = q.category === undefined ? '' : 'JOIN items i ON i.id = l.item_id AND i.category = ?';
      const args: SqlValue[] = q.category === undefined ? [q.now] : [q.category, q.now];
      const overdue = `FROM loans l ${join} WHERE l.returned_at IS NULL AND l.due_at < ?`;
      const [rows, totals] = await Promise.all([
        db.all<PersonSql>(
          `SELECT o.user_id, u.display_name AS name, u.email, o.loans, o.oldest
           FROM (SELECT l.user_id, COUNT(*) AS loans, MIN(l.due_at) AS oldest ${overdue} GROUP BY l.user_id) o
           JOIN users u ON u.id = o.user_id
           ORDER BY o.oldest, o.user_id LIMIT ?`,
          [...args, q.limit],
        ),
        db.get<{ people: number; loans: number }>(
          `SELECT COUNT(DISTINCT l.user_id) AS people, COUNT(*) AS loans ${overdue}`,
          args,
        ),
      ]);
      return {
        rows: rows.map((r) => ({
          userId: r.user_id,
          userName: r.name,
          email: r.email,
          loans: Number(r.loans),
          oldestDueAt: Number(r.oldest),
        })),
        people: Number(totals?.people ?? 0),
        loans: Number(totals?.loans ?? 0),
      };
    },

    async overdueByCategory(now) {
      const rows = await db.all<CategorySql>(
        `SELECT i.category, COUNT(*) AS loans, COUNT(DISTINCT l.user_id) AS people, MIN(l.due_at) AS oldest
         FROM loans l JOIN items i ON i.id = l.item_id
         WHERE l.returned_at IS NULL AND l.due_at < ?
         GROUP BY i.category ORDER BY COUNT(*) DESC, i.category`,
        [now],
      );
      return rows.map((r) => ({
        category: r.category,
        loans: Number(r.loans),
        people: Number(r.people),
        oldestDueAt: Number(r.oldest),
      }));
    },

    async itemUsage(q) {
      const { from, to } = q;
      // One item has at most one open loan and its loans never overlap, so the clipped
      // spans of its loans add up to its time on loan.
      const overlap = `
        SELECT l.item_id, l.borrowed_at,
          (CASE WHEN l.returned_at IS NULL OR l.returned_at > ? THEN ? ELSE l.returned_at END)
          - (CASE WHEN l.borrowed_at < ? THEN ? ELSE l.borrowed_at END) AS span
        FROM loans l`;
      // With a category, only that category's loans are added up (the join runs per loan).
      const cat = q.category === undefined ? '' : 'JOIN items c ON c.id = l.item_id AND c.category = ?';
      const catArgs: SqlValue[] = q.category === undefined ? [] : [q.category];
      const spans = `
        ${overlap} ${cat} WHERE l.returned_at IS NULL AND l.borrowed_at < ?
        UNION ALL
        ${overlap} ${cat} WHERE l.returned_at > ? AND l.borrowed_at < ?`;
      const branch = (...where: number[]): SqlValue[] => [to, to, from, from, ...catArgs, ...where];
      const spanArgs = [...branch(to), ...branch(from, to)];
      // The per-item sums are made once (a CTE used twice is materialised on both databases);
      // only the page of rows is joined to the items.
      const [rows, counts] = await Promise.all([
        db.all<UsageSql & { used: number }>(
          `WITH p AS (
             SELECT s.item_id, SUM(CASE WHEN s.borrowed_at >= ? THEN 1 ELSE 0 END) AS loans, SUM(s.span) AS ms
             FROM (${spans}) s GROUP BY s.item_id)
           SELECT i.id, i.tag, i.name, i.category, t.loans, t.ms, (SELECT COUNT(*) FROM p) AS used
           FROM (SELECT item_id, loans, ms FROM p ORDER BY ms DESC, item_id LIMIT ?) t
           JOIN items i ON i.id = t.item_id
           ORDER BY t.ms DESC, i.id`,
          [from, ...spanArgs, q.limit],
        ),
        db.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM items i WHERE i.retired = 0${q.category === undefined ? '' : ' AND i.category = ?'}`,
          catArgs,
        ),
      ]);
      // Every row carries the same count; no row (limit is at least 1) means no item was lent.
      const used = rows.length > 0 ? Number(rows[0]!.used) : 0;
      return {
        rows: rows.map((r) => ({
          itemId: r.id,
          tag: r.tag,
          name: r.name,
          category: r.category,
          loans: Number(r.loans),
          msOnLoan: Number(r.ms),
        })),
        items: Number(counts?.n ?? 0),
        itemsUsed: used,
      };
    },
  };
}
