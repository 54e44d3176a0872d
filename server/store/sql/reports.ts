/**
 * The dashboard's reports in SQL (report-store.ts): each one aggregate query over indexed
 * rows. Overdue reports read the open loans through loans_due_open; usage reads the loans
 * that overlap the period (open and returned ones through loans_returned; one category's
 * through loans_item_returned), so neither walks the whole loan history. MIN/MAX of two
 * values are LEAST/GREATEST on PostgreSQL; Number() over counts and sums.
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
      const [least, greatest] = db.dialect.name === 'sqlite' ? ['MIN', 'MAX'] : ['LEAST', 'GREATEST'];
      // One item has at most one open loan and its loans never overlap, so the clipped
      // spans of its loans add up to its time on loan. Each loan: whether it started in the
      // period, and its span clipped to [from, to) (an open one runs to `to`).
      const started = 'CASE WHEN l.borrowed_at >= ? THEN 1 ELSE 0 END';
      const span = `${least}(COALESCE(l.returned_at, ?), ?) - ${greatest}(l.borrowed_at, ?)`;
      const loanArgs = [from, to, to, from];
      // The per-item sums are made once (a CTE used twice is materialised on both databases);
      // only the page of rows is joined to the items.
      const sums =
        q.category === undefined
          ? // Every item: the loans that overlap the period, read by time (open ones through
            // returned_at IS NULL, returned ones ending after `from`: loans_returned), summed
            // per item. Grouping is most of the cost, and cannot be avoided: in a large room
            // nearly every loan of the period is its item's only one.
            {
              sql: `SELECT s.item_id, SUM(s.started) AS loans, SUM(s.span) AS ms FROM (
                SELECT l.item_id, ${started} AS started, ${span} AS span
                FROM loans l WHERE l.returned_at IS NULL AND l.borrowed_at < ?
                UNION ALL
                SELECT l.item_id, ${started} AS started, ${span} AS span
                FROM loans l WHERE l.returned_at > ? AND l.borrowed_at < ?) s
              GROUP BY s.item_id`,
              args: [...loanArgs, to, ...loanArgs, from, to],
            }
          : // One category: its items in id order (items_category), each one's loans of the
            // period from loans_item_returned, so they come grouped and are summed as they
            // come, instead of every loan of the period being read and its item looked up.
            {
              sql: `SELECT c.id AS item_id, SUM(${started}) AS loans, SUM(${span}) AS ms
              FROM items c JOIN loans l ON l.item_id = c.id
                AND (l.returned_at IS NULL OR l.returned_at > ?) AND l.borrowed_at < ?
              WHERE c.category = ? GROUP BY c.id`,
              args: [...loanArgs, from, to, q.category],
            };
      const [rows, counts] = await Promise.all([
        db.all<UsageSql & { used: number }>(
          `WITH p AS (${sums.sql})
           SELECT i.id, i.tag, i.name, i.category, t.loans, t.ms, (SELECT COUNT(*) FROM p) AS used
           FROM (SELECT item_id, loans, ms FROM p ORDER BY ms DESC, item_id LIMIT ?) t
           JOIN items i ON i.id = t.item_id
           ORDER BY t.ms DESC, i.id`,
          [...sums.args, q.limit],
        ),
        // The items in use: all (or the category's, items_category) less the few retired
        // ones (a partial index); "not retired" itself would read every item's row.
        db.get<{ n: number }>(
          q.category === undefined
            ? 'SELECT (SELECT COUNT(*) FROM items) - (SELECT COUNT(*) FROM items WHERE retired = 1) AS n'
            : `SELECT (SELECT COUNT(*) FROM items WHERE category = ?)
                 - (SELECT COUNT(*) FROM items WHERE category = ? AND retired = 1) AS n`,
          q.category === undefined ? [] : [q.category, q.category],
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
