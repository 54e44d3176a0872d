/**
 * Conflicted and rejected transactions, with the evidence a person needs to settle them:
 * the transaction itself and the one it collided with (the borrow whose loan it closed, or
 * else the item's previous transaction). Resolving records who and why; the row stays.
 */
import type { AdminStore, ConflictRow } from '../admin-store.ts';
import { TX_SELECT, toTx, type TxSql } from './admin-rows.ts';
import type { SqlRunner } from './sql-db.ts';

type ConflictParts = Pick<AdminStore, 'conflicts' | 'findConflict' | 'resolveConflict'>;

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
        `${SELECT} WHERE t.status != 'applied' ${filter} ORDER BY t.received_at DESC, t.id LIMIT 1000`,
      );
      return Promise.all(rows.map(withEvidence));
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
