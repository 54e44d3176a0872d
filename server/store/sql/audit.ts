/**
 * The audit log: every change made from the dashboard (who, what, when, from which session)
 * and, merged in on read, every transaction a kiosk sent. Transactions are not copied into
 * the log: their own table already records them exactly once, inside the sync transaction.
 *
 * A page is read from each side apart, each in the order of its own index ((at, seq) for the
 * log, (received_at, id) for transactions, with or without a filter column in front), and
 * the two are merged here: neither side is ever sorted whole, so the first page of a log of
 * a million rows reads a hundred or so index entries. The order, newest first, is that of
 * the row's key: 15-digit time, then ':a' and the log's sequence, or ':t' and the
 * transaction's id (so in one millisecond, transactions come before log rows).
 */
import {
  AUDIT_COUNT_CAP,
  type AdminStore,
  type AuditChange,
  type AuditFilter,
  type AuditEntryRow as AuditRow,
} from '../admin-store.ts';
import { AppError } from '../../../protocol/index.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type AuditParts = Pick<AdminStore, 'audit' | 'auditLog' | 'auditPage'>;

/** A key from a previous page, taken apart; null when it is not one this store writes. */
export function parseAuditKey(key: string): { at: number; side: 'a' | 't'; rest: string } | null {
  const m = /^([0-9]{15}):(a([0-9]{12})|t([A-Za-z0-9_-]{1,64}))$/.exec(key);
  if (!m) return null;
  return m[3] !== undefined
    ? { at: Number(m[1]), side: 'a', rest: m[3] }
    : { at: Number(m[1]), side: 't', rest: m[4]! };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Higher than any sequence number: "every log row of that millisecond". */
const SEQ_MAX = 999_999_999_999;

type LogSql = Omit<AuditRow, 'key' | 'changes' | 'tx'> & { seq: number | string; changes: string | null };
type TxSql = {
  id: string;
  at: number | string;
  kind: 'borrow' | 'return';
  status: 'applied' | 'rejected' | 'conflict';
  code: string | null;
  itemId: string;
  itemName: string | null;
  userId: string;
  userName: string | null;
  kioskId: string;
  kioskName: string | null;
};

// The name of what a log row is about, as it is called now (so old rows read well too).
const TARGET_NAME = `CASE a.target_kind
    WHEN 'person' THEN (SELECT u.display_name FROM users u WHERE u.id = a.target_id)
    WHEN 'item' THEN (SELECT i.name FROM items i WHERE i.id = a.target_id)
    WHEN 'kiosk' THEN (SELECT k.name FROM kiosks k WHERE k.id = a.target_id)
    WHEN 'loan' THEN (SELECT i.name FROM loans l JOIN items i ON i.id = l.item_id WHERE l.id = a.target_id)
    WHEN 'transaction' THEN (SELECT i.name FROM transactions t JOIN items i ON i.id = t.item_id WHERE t.id = a.target_id)
    ELSE NULL END`;
// Whose loan or transaction it was, for "…이 빌린 카메라".
const TARGET_PERSON = `CASE a.target_kind
    WHEN 'loan' THEN (SELECT u.display_name FROM loans l JOIN users u ON u.id = l.user_id WHERE l.id = a.target_id)
    WHEN 'transaction' THEN (SELECT u.display_name FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = a.target_id)
    ELSE NULL END`;

const LOG_SELECT = `
  SELECT a.seq, a.at, a.actor_kind AS "actorKind", a.actor_id AS "actorId", a.actor_name AS "actorName", a.via,
         a.action, a.target_kind AS "targetKind", a.target_id AS "targetId", a.detail, a.changes,
         ${TARGET_NAME} AS "targetName", ${TARGET_PERSON} AS "targetPerson"
  FROM audit_log a`;

const TX_SELECT = `
  SELECT t.id, t.received_at AS at, t.kind, t.status, t.code, t.item_id AS "itemId", i.name AS "itemName",
         t.user_id AS "userId", u.display_name AS "userName", t.kiosk_id AS "kioskId", k.name AS "kioskName"
  FROM transactions t LEFT JOIN kiosks k ON k.id = t.kiosk_id LEFT JOIN items i ON i.id = t.item_id
  LEFT JOIN users u ON u.id = t.user_id`;

function readChanges(text: string | null): AuditChange[] | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as AuditChange[]) : null;
  } catch {
    return null;
  }
}

const fromLog = ({ seq, changes, ...r }: LogSql): AuditRow => ({
  ...r,
  at: Number(r.at),
  key: `${pad(Number(r.at), 15)}:a${pad(Number(seq), 12)}`,
  changes: readChanges(changes),
  tx: null,
});

const fromTx = (t: TxSql): AuditRow => ({
  key: `${pad(Number(t.at), 15)}:t${t.id}`,
  at: Number(t.at),
  actorKind: 'kiosk',
  actorId: t.kioskId,
  actorName: t.kioskName,
  via: `kiosk:${t.kioskId}`,
  action: `tx.${t.kind}`,
  targetKind: 'item',
  targetId: t.itemId,
  targetName: t.itemName,
  targetPerson: t.userName,
  detail: `${t.status}${t.code ? ` ${t.code}` : ''} · ${t.itemName ?? t.itemId} · ${t.userName ?? t.userId}`,
  changes: null,
  tx: {
    kind: t.kind,
    status: t.status,
    code: t.code,
    userId: t.userId,
    userName: t.userName,
    itemName: t.itemName,
    kioskName: t.kioskName,
  },
});

/** The conditions of one side (without the page's start), and their arguments. */
function sideWhere(side: 'a' | 't', f: AuditFilter): { where: string[]; args: SqlValue[] } | null {
  if (f.kind === 'tx' ? side === 'a' : f.kind !== undefined && side === 't') return null;
  const at = side === 'a' ? 'a.at' : 't.received_at';
  const where: string[] = [];
  const args: SqlValue[] = [];
  if (side === 'a' && f.kind !== undefined) {
    where.push('a.action_kind = ?');
    args.push(f.kind);
  }
  // At a kiosk the person who tapped is who acted; the thing a transaction is about is its item.
  if (f.actorId !== undefined) {
    where.push(side === 'a' ? 'a.actor_id = ?' : 't.user_id = ?');
    args.push(f.actorId);
  }
  if (f.targetId !== undefined) {
    where.push(side === 'a' ? 'a.target_id = ?' : 't.item_id = ?');
    args.push(f.targetId);
  }
  if (f.from !== undefined) {
    where.push(`${at} >= ?`);
    args.push(f.from);
  }
  if (f.to !== undefined) {
    where.push(`${at} < ?`);
    args.push(f.to);
  }
  return { where, args };
}

export function auditStore(db: SqlRunner): AuditParts {
  const page: AdminStore['auditPage'] = async (f) => {
    const before = f.before ? parseAuditKey(f.before) : null;
    // A key this store never wrote (a link edited by hand): a typed refusal, not a crash.
    if (f.before && !before)
      throw new AppError('BAD_REQUEST', 'this page link is not valid; start from the first page');
    const take = f.limit + 1;
    const log = sideWhere('a', f);
    const txs = sideWhere('t', f);
    const and = (w: string[]) => (w.length ? w.join(' AND ') : '1 = 1');

    const logRows = async () => {
      if (!log) return [];
      const w = [...log.where];
      const args = [...log.args];
      if (before) {
        w.push('(a.at, a.seq) < (?, ?)');
        args.push(before.at, before.side === 'a' ? Number(before.rest) : SEQ_MAX);
      }
      const rows = await db.all<LogSql>(
        `${LOG_SELECT} WHERE ${and(w)} ORDER BY a.at DESC, a.seq DESC LIMIT ?`,
        [...args, take],
      );
      return rows.map(fromLog);
    };
    const txRows = async () => {
      if (!txs) return [];
      const w = [...txs.where];
      const args = [...txs.args];
      if (before) {
        // Log rows of a millisecond come after its transactions: from one, only older ones
        // ('' is below every id).
        w.push('(t.received_at, t.id) < (?, ?)');
        args.push(before.at, before.side === 't' ? before.rest : '');
      }
      const rows = await db.all<TxSql>(
        `${TX_SELECT} WHERE ${and(w)} ORDER BY t.received_at DESC, t.id DESC LIMIT ?`,
        [...args, take],
      );
      return rows.map(fromTx);
    };
    // Counted up to the cap (one past it tells that there are more).
    const count = async (table: string, side: { where: string[]; args: SqlValue[] } | null) =>
      side
        ? Number(
            (
              await db.get<{ n: number | string }>(
                `SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${table} WHERE ${and(side.where)} LIMIT ${AUDIT_COUNT_CAP + 1}) c`,
                side.args,
              )
            )?.n ?? 0,
          )
        : 0;

    const [a, t, na, nt] = [
      await logRows(),
      await txRows(),
      await count('audit_log a', log),
      await count('transactions t', txs),
    ];
    // Keys are ASCII, so JavaScript's order is the databases' byte order.
    const merged = [...a, ...t].sort((x, y) => (x.key < y.key ? 1 : x.key > y.key ? -1 : 0));
    const rows = merged.slice(0, f.limit);
    return {
      rows,
      total: Math.min(na, AUDIT_COUNT_CAP) + Math.min(nt, AUDIT_COUNT_CAP),
      capped: na > AUDIT_COUNT_CAP || nt > AUDIT_COUNT_CAP,
      next: merged.length > f.limit ? rows[rows.length - 1]!.key : null,
    };
  };

  return {
    async audit(e, now) {
      const dot = e.action.indexOf('.');
      await db.run(
        `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, via, action, action_kind, target_kind,
                                target_id, detail, changes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          now,
          e.actor.kind,
          e.actor.id,
          e.actor.name,
          e.actor.via,
          e.action,
          dot > 0 ? e.action.slice(0, dot) : e.action,
          e.targetKind ?? null,
          e.targetId ?? null,
          e.detail ?? null,
          e.changes && e.changes.length ? JSON.stringify(e.changes) : null,
        ],
      );
    },
    async auditLog({ before, limit }) {
      // The log's plain columns, as before names and changes were read with it.
      return (await page({ ...(before ? { before } : {}), limit })).rows.map(
        ({ targetName: _n, targetPerson: _p, changes: _c, tx: _t, ...plain }) => plain,
      );
    },
    auditPage: page,
  };
}
