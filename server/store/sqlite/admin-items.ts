/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import type Database from 'better-sqlite3';
import { AppError } from '../../../protocol/index.ts';
import type { AdminStore, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import type { ItemRecord } from '../store.ts';
import { bumpItemVersion, uniqueViolation } from './admin-rows.ts';
import { toItemRecord, type ItemColumns } from './item-rows.ts';

type ItemParts = Pick<AdminStore, 'itemsWithHolders' | 'findItemWithHolder' | 'findItemByTag' | 'updateItem'>;

type Row = ItemColumns & {
  loan_id: string | null;
  holder_id: string | null;
  holder_name: string | null;
  borrowed_at: number | null;
  due_at: number | null;
};

const SELECT = `
  SELECT i.*, l.id AS loan_id, l.user_id AS holder_id, u.display_name AS holder_name, l.borrowed_at, l.due_at
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

export function adminItems(db: Database.Database): ItemParts {
  const byId = db.prepare<[string], Row>(`${SELECT} WHERE i.id = ?`);
  const find = (id: string) => {
    const r = byId.get(id);
    return r ? toItem(r) : null;
  };
  return {
    itemsWithHolders: () =>
      db.prepare<[], Row>(`${SELECT} ORDER BY i.retired, i.category, i.name`).all().map(toItem),
    findItemWithHolder: find,
    findItemByTag(tag) {
      const r = db.prepare<[string], Row>(`${SELECT} WHERE i.tag = ?`).get(tag);
      return r ? toItem(r) : null;
    },
    updateItem(id, patch) {
      const sets: string[] = [];
      const args: (string | number | null)[] = [];
      for (const [key, column] of Object.entries(COLUMNS) as [keyof ItemPatch, string][]) {
        if (patch[key] === undefined) continue;
        sets.push(`${column} = ?`);
        const v = patch[key];
        args.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      try {
        return db.transaction((): ItemRecord | null => {
          if (!find(id)) return null;
          if (sets.length) db.prepare(`UPDATE items SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
          bumpItemVersion(db, id);
          return find(id);
        })();
      } catch (err) {
        if (uniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'tag already used');
        throw err;
      }
    },
  };
}
