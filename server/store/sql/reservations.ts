/** ReservationStore over the `reservations` table (portable SQL; see server/store/reservation-store.ts). */
import type { IdFactory } from '../../ids.ts';
import type {
  CategoryLoan,
  ReservationFilter,
  ReservationRecord,
  ReservationStore,
} from '../reservation-store.ts';
import { ITEM_SELECT, toItem, type ItemRow } from './rows.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type ReservationRow = Omit<ReservationRecord, 'startsAt' | 'endsAt' | 'createdAt' | 'endedAt'> & {
  startsAt: number | string;
  endsAt: number | string;
  createdAt: number | string;
  endedAt: number | string | null;
};

const SELECT = `
  SELECT r.id, r.item_id AS "itemId", i.name AS "itemName", i.tag AS "itemTag",
         COALESCE(r.category, i.category) AS "category", r.user_id AS "userId", u.display_name AS "userName",
         r.starts_at AS "startsAt", r.ends_at AS "endsAt", r.status, r.created_by AS "createdBy",
         c.display_name AS "createdByName", r.created_at AS "createdAt", r.loan_id AS "loanId",
         r.ended_at AS "endedAt"
  FROM reservations r
  LEFT JOIN items i ON i.id = r.item_id
  JOIN users u ON u.id = r.user_id
  LEFT JOIN users c ON c.id = r.created_by`;

const toRecord = (r: ReservationRow): ReservationRecord => ({
  ...r,
  startsAt: Number(r.startsAt),
  endsAt: Number(r.endsAt),
  createdAt: Number(r.createdAt),
  endedAt: r.endedAt === null ? null : Number(r.endedAt),
});

/** Reservations of the category by name, or of an item in it. */
const IN_CATEGORY = `(r.category = ? OR r.item_id IN (SELECT id FROM items WHERE category = ?))`;

function filterOf(f: ReservationFilter): { where: string[]; args: SqlValue[] } {
  const where: string[] = [];
  const args: SqlValue[] = [];
  const add = (cond: string, ...values: SqlValue[]) => {
    where.push(cond);
    args.push(...values);
  };
  if (f.userId !== undefined) add('r.user_id = ?', f.userId);
  if (f.itemId !== undefined) add('r.item_id = ?', f.itemId);
  if (f.category !== undefined) add(IN_CATEGORY, f.category, f.category);
  if (f.status === 'current') add("r.status = 'active' AND r.ends_at > ?", f.now ?? 0);
  else if (f.status !== undefined && f.status !== 'all') add('r.status = ?', f.status);
  return { where, args };
}

export function sqlReservations(db: SqlRunner, newId: IdFactory): ReservationStore {
  const find = async (id: string) => {
    const r = await db.get<ReservationRow>(`${SELECT} WHERE r.id = ?`, [id]);
    return r ? toRecord(r) : null;
  };
  return {
    async insertReservation(n) {
      const id = newId('rsv');
      await db.run(
        `INSERT INTO reservations (id, item_id, category, user_id, starts_at, ends_at, status, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
        [id, n.itemId, n.category, n.userId, n.startsAt, n.endsAt, n.createdBy, n.createdAt],
      );
      return (await find(id))!;
    },
    findReservation: find,
    async activeReservationsIn(category, from, to) {
      const rows = await db.all<ReservationRow>(
        `${SELECT} WHERE r.status = 'active' AND ${IN_CATEGORY} AND r.starts_at < ? AND r.ends_at > ?
         ORDER BY r.starts_at, r.id`,
        [category, category, to, from],
      );
      return rows.map(toRecord);
    },
    async itemsInCategory(category) {
      const rows = await db.all<ItemRow>(`${ITEM_SELECT} WHERE i.category = ? ORDER BY i.id`, [category]);
      return rows.map(toItem);
    },
    async openLoansIn(category) {
      const rows = await db.all<
        Omit<CategoryLoan, 'borrowedAt' | 'dueAt'> & { borrowedAt: number | string; dueAt: number | string }
      >(
        `SELECT l.id, l.item_id AS "itemId", l.user_id AS "userId", u.display_name AS "userName",
           l.borrowed_at AS "borrowedAt", l.due_at AS "dueAt"
         FROM loans l JOIN items i ON i.id = l.item_id JOIN users u ON u.id = l.user_id
         WHERE i.category = ? AND l.returned_at IS NULL ORDER BY l.id`,
        [category],
      );
      return rows.map((r) => ({ ...r, borrowedAt: Number(r.borrowedAt), dueAt: Number(r.dueAt) }));
    },
    async endReservation(id, status, at, loanId = null) {
      const r = await db.run(
        `UPDATE reservations SET status = ?, ended_at = ?, loan_id = ? WHERE id = ? AND status = 'active'`,
        [status, at, loanId, id],
      );
      return r.changes === 1;
    },
    async reservationsPage(f) {
      const { where, args } = filterOf(f);
      const cond = where.length ? where.join(' AND ') : '1 = 1';
      const after = f.after ? ' AND (r.starts_at > ? OR (r.starts_at = ? AND r.id > ?))' : '';
      const afterArgs = f.after ? [f.after.at, f.after.at, f.after.id] : [];
      const rows = (
        await db.all<ReservationRow>(`${SELECT} WHERE ${cond}${after} ORDER BY r.starts_at, r.id LIMIT ?`, [
          ...args,
          ...afterArgs,
          f.limit + 1,
        ])
      ).map(toRecord);
      const shown = rows.slice(0, f.limit);
      const last = shown[shown.length - 1];
      const total = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM reservations r WHERE ${cond}`,
        args,
      );
      return {
        rows: shown,
        total: Number(total?.n ?? 0),
        next: rows.length > f.limit && last ? { at: last.startsAt, id: last.id } : null,
      };
    },
    async reservationsToExpire(startedBefore, now) {
      const rows = await db.all<ReservationRow>(
        `${SELECT} WHERE r.status = 'active' AND (r.starts_at < ? OR r.ends_at <= ?) ORDER BY r.starts_at, r.id`,
        [startedBefore, now],
      );
      return rows.map(toRecord);
    },
    async activeReservationsBetween(from, to) {
      const rows = await db.all<ReservationRow>(
        `${SELECT} WHERE r.status = 'active' AND r.starts_at < ? AND r.ends_at > ? ORDER BY r.starts_at, r.id`,
        [to, from],
      );
      return rows.map(toRecord);
    },
    async reservationsAt(category, at, lead = 0) {
      const rows = await db.all<ReservationRow>(
        `${SELECT} WHERE r.status = 'active' AND ${IN_CATEGORY} AND r.starts_at <= ? AND r.ends_at > ?
         ORDER BY r.starts_at, r.id`,
        [category, category, at + lead, at],
      );
      return rows.map(toRecord);
    },
  };
}
