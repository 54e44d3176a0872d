/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import { AppError } from '../../../protocol/index.ts';
import type { ItemListStatus } from '../../../protocol/index.ts';
import type { AdminStore, ItemListQuery, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import { bumpItemVersion } from './admin-rows.ts';
import { ITEM_COLUMNS, toItemRecord, type ItemColumns } from './rows.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

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

const STATUS: Record<ItemListStatus, string> = {
  all: '1 = 1',
  active: 'i.retired = 0',
  available: "i.retired = 0 AND i.condition = 'ok' AND l.id IS NULL",
  on_loan: 'l.id IS NOT NULL',
  overdue: 'l.id IS NOT NULL AND l.due_at < ?',
  attention: "i.retired = 0 AND i.condition != 'ok'",
  retired: 'i.retired = 1',
};

/** `%`, `_` and the escape itself match literally in a search. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function listFilter(query: ItemListQuery): { where: string[]; args: SqlValue[] } {
  const where = [STATUS[query.status]];
  const args: SqlValue[] = query.status === 'overdue' ? [query.now] : [];
  const q = query.q?.trim();
  if (q) {
    const like = `LIKE ? ESCAPE '\\'`;
    where.push(
      `(lower(i.tag) ${like} OR lower(i.name) ${like} OR lower(i.category) ${like} OR lower(u.display_name) ${like})`,
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
      const { where, args } = listFilter(query);
      const column = `i.${query.sort}`;
      const page = [...where];
      const pageArgs = [...args];
      if (query.after) {
        // Row values keep the order total and the page exact, with the (column, id) index.
        page.push(`(${column}, i.id) > (?, ?)`);
        pageArgs.push(query.after.value, query.after.id);
      }
      const rows = await db.all<Row>(
        `${SELECT} WHERE ${page.join(' AND ')} ORDER BY ${column}, i.id LIMIT ?`,
        [...pageArgs, query.limit + 1],
      );
      const counted = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM items i
           LEFT JOIN loans l ON l.item_id = i.id AND l.returned_at IS NULL
           LEFT JOIN users u ON u.id = l.user_id
         WHERE ${where.join(' AND ')}`,
        args,
      );
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit).map(toItem);
      const last = items[items.length - 1];
      return {
        items,
        total: Number(counted?.n ?? 0),
        next: more && last ? { value: String(last[query.sort]), id: last.id } : null,
      };
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
