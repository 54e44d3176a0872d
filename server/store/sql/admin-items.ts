/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import { AppError } from '../../../protocol/index.ts';
import type { AdminStore, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import { bumpItemVersion } from './admin-rows.ts';
import { ITEM_COLUMNS, toItemRecord, type ItemColumns } from './rows.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

type ItemParts = Pick<AdminStore, 'itemsWithHolders' | 'findItemWithHolder' | 'findItemByTag' | 'updateItem'>;

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

export function adminItems(db: SqlRunner): ItemParts {
  const find = async (r: SqlRunner, id: string) => {
    const row = await r.get<Row>(`${SELECT} WHERE i.id = ?`, [id]);
    return row ? toItem(row) : null;
  };
  return {
    itemsWithHolders: async () =>
      (await db.all<Row>(`${SELECT} ORDER BY i.retired, i.category, i.name, i.id`)).map(toItem),
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
