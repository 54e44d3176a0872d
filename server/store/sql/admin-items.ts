/** Items for the dashboard: who holds each one, edits (tag, name, retire) that kiosks pick up. */
import { AppError } from '../../../protocol/index.ts';
import type { ItemListStatus } from '../../../protocol/index.ts';
import type { AdminStore, ItemListQuery, ItemPatch, ItemWithHolder } from '../admin-store.ts';
import { bumpItemVersion } from './admin-rows.ts';
import { ITEM_COLUMNS, toItemRecord, type ItemColumns } from './rows.ts';
import { itemSearch } from './item-search.ts';
import { keysetPage, type KeysetQuery } from './list-page.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

type ItemParts = Pick<
  AdminStore,
  | 'itemsWithHolders'
  | 'itemList'
  | 'itemCategories'
  | 'findItemWithHolder'
  | 'findItemByTag'
  | 'updateItem'
  | 'setItemPhoto'
  | 'itemPhoto'
  | 'itemPhotosSince'
>;

type Row = ItemColumns & {
  loan_id: string | null;
  holder_id: string | null;
  holder_name: string | null;
  borrowed_at: number | null;
  due_at: number | null;
  serial: string | null;
  notes: string | null;
  photo: string | null;
};

type PhotoRow = {
  hash: string;
  image: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  created_at: number | string;
};

const SELECT = `
  SELECT ${ITEM_COLUMNS}, i.serial, i.notes, i.photo, l.id AS loan_id, l.user_id AS holder_id, u.display_name AS holder_name, l.borrowed_at, l.due_at
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
  serial: r.serial,
  notes: r.notes,
  photo: r.photo,
});

const COLUMNS: Record<keyof ItemPatch, string> = {
  tag: 'tag',
  name: 'name',
  category: 'category',
  loanDays: 'loan_days',
  restrictedTo: 'restricted_to',
  lockerSlot: 'locker_slot',
  retired: 'retired',
  serial: 'serial',
  notes: 'notes',
  parts: 'parts',
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
 * the same rows and the count never walks the loans of every item. With a search the
 * indexes answer, also the same conditions for walking the sort index (list-page.ts).
 */
async function listFilter(
  db: SqlRunner,
  query: ItemListQuery,
): Promise<{ where: string[]; args: SqlValue[]; indexed?: KeysetQuery['indexed'] }> {
  const where = [STATUS[query.status]];
  const walk = [STATUS[query.status]];
  const args: SqlValue[] = query.status === 'overdue' ? [query.now] : [];
  const q = query.q?.trim();
  const search = q ? await itemSearch(db, q) : null;
  if (search) {
    where.push(search.where);
    walk.push(search.walk ?? search.where);
    args.push(...search.args);
  }
  if (query.category) {
    where.push('i.category = ?');
    walk.push('i.category = ?');
    args.push(query.category);
  }
  // rowid: SQLite's, the only database whose search says it may be walked.
  const indexed = search?.walk ? { walk, size: '(SELECT max(rowid) FROM items)' } : undefined;
  return { where, args, indexed };
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
      const { where, args, indexed } = await listFilter(db, query);
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
          indexed,
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
        args.push(typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v);
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
    setItemPhoto: (itemId, photo) =>
      db.atomic(async (tx) => {
        if (!(await tx.get('SELECT id FROM items WHERE id = ?', [itemId]))) return false;
        await tx.run('DELETE FROM item_photos WHERE item_id = ?', [itemId]);
        if (photo) {
          await tx.run(
            `INSERT INTO item_photos (item_id, hash, image, thumb, width, height, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [itemId, photo.hash, photo.image, photo.thumb, photo.width, photo.height, photo.at],
          );
        }
        await tx.run('UPDATE items SET photo = ? WHERE id = ?', [photo?.hash ?? null, itemId]);
        await bumpItemVersion(tx, itemId);
        return true;
      }),
    async itemPhoto(hash) {
      const r = await db.get<PhotoRow>(
        'SELECT hash, image, thumb, width, height, created_at FROM item_photos WHERE hash = ?',
        [hash],
      );
      return r
        ? {
            hash: r.hash,
            image: Buffer.from(r.image),
            thumb: Buffer.from(r.thumb),
            width: r.width,
            height: r.height,
            at: Number(r.created_at),
          }
        : null;
    },
    async itemPhotosSince(cursor) {
      const rows = await db.all<{ id: string; photo: string }>(
        'SELECT id, photo FROM items WHERE version >= ? AND photo IS NOT NULL',
        [cursor ?? 0],
      );
      return new Map(rows.map((r) => [r.id, r.photo]));
    },
  };
}
