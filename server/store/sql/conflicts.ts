/**
 * Conflicted and rejected transactions, with the evidence a person needs to settle them:
 * the transaction itself and the one it collided with (the borrow whose loan it closed, or
 * else the item's previous transaction). Resolving records who and why; the row stays.
 */
import type { AdminStore, ConflictRow } from '../admin-store.ts';
import { TX_SELECT, toTx, type TxSql } from './admin-rows.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type ConflictParts = Pick<AdminStore, 'conflicts' | 'conflictsPage' | 'findConflict' | 'resolveConflict'>;

type Sql = TxSql & { resolved_at: number | null; resolved_by: string | null; resolution: string | null };

const SELECT = TX_SELECT.replace('SELECT t.id,', 'SELECT t.resolved_at, t.resolved_by, t.resolution, t.id,');

export function conflictsStore(db: SqlRunner): ConflictParts {
  const withEvidence = async (r: Sql): Promise<ConflictRow> => {
    const other =
      (await db.get<TxSql>(
        `${TX_SELECT} WHERE t.id = (SELECT l.borrow_tx_id FROM loans l WHERE l.return_tx_id = ? AND l.borrow_tx_id != ?)`,
        [r.id, r.id],
      )) ??
      (await db.get<TxSql>(
        `${TX_SELECT} WHERE t.item_id = ? AND t.id != ? AND t.occurred_at <= ? AND t.status != 'rejected'
         ORDER BY t.occurred_at DESC LIMIT 1`,
        [r.item_id, r.id, r.occurred_at],
      ));
    return {
      ...toTx(r),
      other: other ? toTx(other) : null,
      resolvedAt: r.resolved_at,
      resolvedBy: r.resolved_by,
      resolution: r.resolution,
    };
  };

  return {
    async conflicts(state) {
      const filter =
        state === 'open'
          ? 'AND t.resolved_at IS NULL'
          : state === 'resolved'
            ? 'AND t.resolved_at IS NOT NULL'
            : '';
      const rows = await db.all<Sql>(
        `${SELECT} WHERE t.status != 'applied' ${filter} ORDER BY t.received_at DESC, t.id`,
      );
      return Promise.all(rows.map(withEvidence));
    },
    // Newest first by (received_at, id), on an index of never-applied rows (one per filter),
    // so a page reads its own rows and the count reads the index, whatever the table's size.
    async conflictsPage(f) {
      const where = ["t.status != 'applied'"];
      const args: SqlValue[] = [];
      if (f.state === 'open') where.push('t.resolved_at IS NULL');
      if (f.state === 'resolved') where.push('t.resolved_at IS NOT NULL');
      if (f.kioskId !== undefined) {
        where.push('t.kiosk_id = ?');
        args.push(f.kioskId);
      }
      if (f.code !== undefined) {
        where.push('t.code = ?');
        args.push(f.code);
      }
      if (f.from !== undefined) {
        where.push('t.received_at >= ?');
        args.push(f.from);
      }
      if (f.to !== undefined) {
        where.push('t.received_at < ?');
        args.push(f.to);
      }
      const cond = where.join(' AND ');
      const rows = await db.all<Sql>(
        `${SELECT} WHERE ${cond}${f.after ? ' AND (t.received_at, t.id) < (?, ?)' : ''}
         ORDER BY t.received_at DESC, t.id DESC LIMIT ?`,
        [...args, ...(f.after ? [f.after.at, f.after.id] : []), f.limit + 1],
      );
      const counted = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM transactions t WHERE ${cond}`,
        args,
      );
      const shown = rows.slice(0, f.limit);
      const last = shown[shown.length - 1];
      return {
        rows: await Promise.all(shown.map(withEvidence)),
        total: Number(counted?.n ?? 0),
        next: rows.length > f.limit && last ? { at: Number(last.received_at), id: last.id } : null,
      };
    },
    async findConflict(id) {
      const r = await db.get<Sql>(`${SELECT} WHERE t.id = ? AND t.status != 'applied'`, [id]);
      return r ? withEvidence(r) : null;
    },
    resolveConflict: async (id, by, note, now) =>
      (
        await db.run(
          `UPDATE transactions SET resolved_at = ?, resolved_by = ?, resolution = ?
           WHERE id = ? AND status != 'applied' AND resolved_at IS NULL`,
          [now, by, note, id],
        )
      ).changes === 1,
  };
}
