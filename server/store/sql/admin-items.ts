/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import { AppError } from '../../../protocol/index.ts';
import type { ItemListStatus } from '../../../protocol/index.ts';
import type { AdminStore, ItemListQuery, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import { bumpItemVersion } from './admin-rows.ts';
import { ITEM_COLUMNS, toItemRecord, type ItemColumns } from './rows.ts';
import { isUniqueViolation, type Dialect, type SqlRunner, type SqlValue } from './sql-db.ts';

type ItemParts = Pick<
  AdminStore,
  'itemsWithHolders' | 'itemList' | 'itemCategories' | 'findItemWithHolder' | 'findItemByTag' | 'updateItem'
>;

type Row = ItemColumns & {
  loan_id: string | null;
  holder_id: string | null;
  holder_name: string | null;
  borrowed_at: number | null;
  due_at: number | null;
};

const SELECT = `
  SELECT ${ITEM_COLUMNS}, l.id AS loan_id, l.user_id AS holder_id, u.display_name AS holder_name, l.borrowed_at, l.due_at
  FROM items i
  LEFT JOIN loans l ON l.item_id = i.id AND l.returned_at IS NULL
  LEFT JOIN users u ON u.id = l.user_id`;

const toItem = (r: Row): ItemWithHolder => ({
  ...toItemRecord(r, r.loan_id !== null),
  holder:
    r.loan_id !== null
      ? {
          loanId: r.loan_id,
          userId: r.holder_id!,
          userName: r.holder_name!,
          since: r.borrowed_at!,
          dueAt: r.due_at!,
        }
      : null,
});

const COLUMNS: Record<keyof ItemPatch, string> = {
  tag: 'tag',
  name: 'name',
  category: 'category',
  loanDays: 'loan_days',
  restrictedTo: 'restricted_to',
  lockerSlot: 'locker_slot',
  retired: 'retired',
};

/** Up to this many matches, a list query reads them all in one pass (see itemList). */
const FEW = 200;

/** The databases' text order (SQLite's BINARY, PostgreSQL's "C"): by UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Items out now: the open-loan index answers it once per query, not once per item. */
const OUT = 'SELECT item_id FROM loans WHERE returned_at IS NULL';

const STATUS: Record<ItemListStatus, string> = {
  all: '1 = 1',
  active: 'i.retired = 0',
  available: `i.retired = 0 AND i.condition = 'ok' AND i.id NOT IN (${OUT})`,
  on_loan: `i.id IN (${OUT})`,
  overdue: `i.id IN (${OUT} AND due_at < ?)`,
  attention: "i.retired = 0 AND i.condition != 'ok'",
  retired: 'i.retired = 1',
};

/** `%`, `_` and the escape itself match literally in a search. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The WHERE of a list query, on `items i` alone (no join), so the count and the page read
 * the same rows and the count never walks the loans of every item.
 */
function listFilter(query: ItemListQuery, dialect: Dialect): { where: string[]; args: SqlValue[] } {
  const where = [STATUS[query.status]];
  const args: SqlValue[] = query.status === 'overdue' ? [query.now] : [];
  const q = query.q?.trim();
  if (q) {
    const like = `${dialect.likeAnyCase} ? ESCAPE '\\'`;
    where.push(
      `(i.tag ${like} OR i.name ${like} OR i.category ${like} OR i.id IN (
        SELECT hl.item_id FROM loans hl JOIN users hu ON hu.id = hl.user_id
        WHERE hl.returned_at IS NULL AND hu.display_name ${like}))`,
    );
    args.push(...Array<string>(4).fill(likePattern(q)));
  }
  if (query.category) {
    where.push('i.category = ?');
    args.push(query.category);
  }
  return { where, args };
}

export function adminItems(db: SqlRunner): ItemParts {
  const find = async (r: SqlRunner, id: string) => {
    const row = await r.get<Row>(`${SELECT} WHERE i.id = ?`, [id]);
    return row ? toItem(row) : null;
  };
  return {
    itemsWithHolders: async () =>
      (await db.all<Row>(`${SELECT} ORDER BY i.retired, i.category, i.name, i.id`)).map(toItem),
    async itemList(query) {
      const { where, args } = listFilter(query, db.dialect);
      const cond = where.join(' AND ');
      const column = `i.${query.sort}`;
      const page = (rows: Row[], total: number) => {
        const items = rows.slice(0, query.limit).map(toItem);
        const last = items[items.length - 1];
        const more = rows.length > query.limit;
        return { items, total, next: more && last ? { value: String(last[query.sort]), id: last.id } : null };
      };
      // A search for something rare matches few items: one pass over the table finds every
      // one (no early stop is possible anyway), and the page is cut from them here.
      const keys = await db.all<{ id: string; v: string }>(
        `SELECT i.id AS "id", ${column} AS "v" FROM items i WHERE ${cond} LIMIT ${FEW + 1}`,
        args,
      );
      if (keys.length <= FEW) {
        keys.sort((x, y) => byteOrder(x.v, y.v) || byteOrder(x.id, y.id));
        const after = query.after;
        const from = after
          ? keys.findIndex(
              (k) =>
                byteOrder(k.v, after.value) > 0 || (k.v === after.value && byteOrder(k.id, after.id) > 0),
            )
          : 0;
        const ids = from < 0 ? [] : keys.slice(from, from + query.limit + 1).map((k) => k.id);
        if (ids.length === 0) return { items: [], total: keys.length, next: null };
        const rows = await db.all<Row>(`${SELECT} WHERE i.id IN (${ids.map(() => '?').join(', ')})`, ids);
        const order = new Map(ids.map((id, n) => [id, n]));
        rows.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
        return page(rows, keys.length);
      }
      // Many matches: the (column, id) index gives the page in order and stops early; the
      // row values keep the order total and no row is skipped or repeated between pages.
      const rows = await db.all<Row>(
        `${SELECT} WHERE ${cond}${query.after ? ` AND (${column}, i.id) > (?, ?)` : ''} ORDER BY ${column}, i.id LIMIT ?`,
        [...args, ...(query.after ? [query.after.value, query.after.id] : []), query.limit + 1],
      );
      const counted = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM items i WHERE ${cond}`,
        args,
      );
      return page(rows, Number(counted?.n ?? 0));
    },
    async itemCategories() {
      const rows = await db.all<{ category: string; n: number | string }>(
        'SELECT category, count(*) AS n FROM items WHERE retired = 0 GROUP BY category ORDER BY category',
      );
      return rows.map((r) => ({ category: r.category, items: Number(r.n) }));
    },
    findItemWithHolder: (id) => find(db, id),
    async findItemByTag(tag) {
      const r = await db.get<Row>(`${SELECT} WHERE i.tag = ?`, [tag]);
      return r ? toItem(r) : null;
    },
    async updateItem(id, patch) {
      const sets: string[] = [];
      const args: SqlValue[] = [];
      for (const [key, column] of Object.entries(COLUMNS) as [keyof ItemPatch, string][]) {
        if (patch[key] === undefined) continue;
        sets.push(`${column} = ?`);
        const v = patch[key];
        args.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      try {
        return await db.atomic(async (tx) => {
          if (!(await find(tx, id))) return null;
          if (sets.length) await tx.run(`UPDATE items SET ${sets.join(', ')} WHERE id = ?`, [...args, id]);
          await bumpItemVersion(tx, id);
          return find(tx, id);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'tag already used');
        throw err;
      }
    },
  };
}
