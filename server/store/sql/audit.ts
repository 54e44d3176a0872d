/**
 * The audit log: every change made from the dashboard (who, what, when, from which session)
 * and, merged in on read, every transaction a kiosk sent. Transactions are not copied into
 * the log: their own table already records them exactly once, inside the sync transaction.
 */
import type { AdminStore, AuditRow } from '../admin-store.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type AuditParts = Pick<AdminStore, 'audit' | 'auditLog'>;

// A sortable cursor: 15-digit time, then a key that orders rows written in the same ms.
const merged = (pad: (expr: string, width: number) => string) => `
  SELECT ${pad('a.at', 15)} || ':a' || ${pad('a.seq', 12)} AS key, a.at, a.actor_kind AS "actorKind",
         a.actor_id AS "actorId", a.actor_name AS "actorName", a.via, a.action, a.target_kind AS "targetKind",
         a.target_id AS "targetId", a.detail
  FROM audit_log a
  UNION ALL
  SELECT ${pad('t.received_at', 15)} || ':t' || t.id, t.received_at, 'kiosk', t.kiosk_id, k.name,
         'kiosk:' || t.kiosk_id, 'tx.' || t.kind, 'item', t.item_id,
         t.status || COALESCE(' ' || t.code, '') || ' · ' || COALESCE(i.name, t.item_id) || ' · ' ||
         COALESCE(u.display_name, t.user_id)
  FROM transactions t LEFT JOIN kiosks k ON k.id = t.kiosk_id LEFT JOIN items i ON i.id = t.item_id
  LEFT JOIN users u ON u.id = t.user_id`;

export function auditStore(db: SqlRunner): AuditParts {
  const MERGED = merged(db.dialect.pad);
  return {
    async audit(e, now) {
      await db.run(
        `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, via, action, target_kind, target_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          now,
          e.actor.kind,
          e.actor.id,
          e.actor.name,
          e.actor.via,
          e.action,
          e.targetKind ?? null,
          e.targetId ?? null,
          e.detail ?? null,
        ],
      );
    },
    auditLog({ before, limit }) {
      const args: SqlValue[] = before ? [before, limit] : [limit];
      return db.all<AuditRow>(
        `SELECT * FROM (${MERGED}) m ${before ? 'WHERE key < ?' : ''} ORDER BY key DESC LIMIT ?`,
        args,
      );
    },
  };
}
