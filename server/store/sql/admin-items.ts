/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import { AppError } from '../../../protocol/index.ts';
import type { ItemListStatus } from '../../../protocol/index.ts';
import type { AdminStore, ItemListQuery, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import { bumpItemVersion } from './admin-rows.ts';
import { ITEM_COLUMNS, toItemRecord, type ItemColumns } from './rows.ts';
import { containsPattern, keysetPage, likeAnyCase } from './list-page.ts';
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

/**
 * The WHERE of a list query, on `items i` alone (no join), so the count and the page read
 * the same rows and the count never walks the loans of every item.
 */
function listFilter(query: ItemListQuery, dialect: Dialect): { where: string[]; args: SqlValue[] } {
  const where = [STATUS[query.status]];
  const args: SqlValue[] = query.status === 'overdue' ? [query.now] : [];
  const q = query.q?.trim();
  if (q) {
    const like = likeAnyCase(dialect);
    where.push(
      `(i.tag ${like} OR i.name ${like} OR i.category ${like} OR i.id IN (
        SELECT hl.item_id FROM loans hl JOIN users hu ON hu.id = hl.user_id
        WHERE hl.returned_at IS NULL AND hu.display_name ${like}))`,
    );
    args.push(...Array<string>(4).fill(containsPattern(q)));
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
      const { rows, total, next } = await keysetPage<Row>(
        db,
        {
          select: SELECT,
          from: 'items i',
          alias: 'i',
          where,
          args,
          column: `i.${query.sort}`,
          after: query.after,
          limit: query.limit,
        },
        (r) => String(r[query.sort]),
      );
      return { items: rows.map(toItem), total, next };
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
