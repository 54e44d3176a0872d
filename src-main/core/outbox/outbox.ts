/**
 * The durable outbox: every confirmed borrow or return is one row, committed before the
 * screen says "done". A row leaves the pending set only when the server has answered for
 * it (applied, duplicate, rejected or conflict); nothing is ever retried twice at once
 * or dropped on the floor.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Transaction, TxAuth, TxKind, TxResult } from '../../../protocol/index.ts';
import { DAY_MS, toIso, type ReturnCondition } from '../../../protocol/index.ts';

export type NewRow = {
  kind: TxKind;
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
  auth: TxAuth;
  note?: string | null;
  /** A return reported damaged or incomplete: the item waits for a check. */
  condition?: ReturnCondition | null;
  /** A kit's parts this return reported missing (protocol 7). */
  missingParts?: string[] | null;
};

export type OutboxRow = NewRow & { id: string; seq: number };

/** A waiting row as the screen sees it: which item, which way, whose, when. */
export type WaitingRow = Pick<
  OutboxRow,
  'id' | 'seq' | 'kind' | 'itemId' | 'userId' | 'occurredAt' | 'condition'
>;

type Row = {
  seq: number;
  id: string;
  kind: TxKind;
  item_id: string;
  user_id: string;
  occurred_at: number;
  clock_trusted: number;
  auth: string;
  note: string | null;
  condition: ReturnCondition | null;
  /** JSON array of part names, or null. */
  missing_parts: string | null;
  created_at: number;
};

const toRow = (r: Row): OutboxRow => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind,
  itemId: r.item_id,
  userId: r.user_id,
  occurredAt: r.occurred_at,
  clockTrusted: r.clock_trusted === 1,
  auth: JSON.parse(r.auth) as TxAuth,
  note: r.note,
  condition: r.condition,
  missingParts: r.missing_parts === null ? null : (JSON.parse(r.missing_parts) as string[]),
});

export const toTransaction = (r: OutboxRow): Transaction => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind,
  itemId: r.itemId,
  userId: r.userId,
  occurredAt: toIso(r.occurredAt),
  clockTrusted: r.clockTrusted,
  auth: r.auth,
  ...(r.note ? { note: r.note } : {}),
  ...(r.condition ? { condition: r.condition } : {}),
  ...(r.missingParts?.length ? { missingParts: r.missingParts } : {}),
});

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(
  db: Database.Database,
  deps: {
    now: () => number;
    newId?: (ms: number) => string;
    /** Throws when the file under the database is no longer the one opened (sqlite.ts). */
    guard?: () => void;
  },
) {
  const newId = deps.newId ?? ((ms: number) => uuidv7({ msecs: ms }));
  const insert = db.prepare(
    `INSERT INTO outbox (id, kind, item_id, user_id, occurred_at, clock_trusted, auth, note, condition,
                         missing_parts, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  const pendingStmt = db.prepare<[number], Row>(
    "SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
  );
  const settle = db.prepare(
    "UPDATE outbox SET state = ?, result_code = ?, synced_at = ? WHERE id = ? AND state = 'pending'",
  );

  /** All rows of one confirmation (a cart) commit together or not at all. */
  const appendAll = db.transaction((rows: NewRow[]): OutboxRow[] =>
    rows.map((r) => {
      const id = newId(r.occurredAt);
      const { seq } = insert.get(
        id,
        r.kind,
        r.itemId,
        r.userId,
        r.occurredAt,
        r.clockTrusted ? 1 : 0,
        JSON.stringify(r.auth),
        r.note ?? null,
        r.kind === 'return' ? (r.condition ?? null) : null,
        r.kind === 'return' && r.missingParts?.length ? JSON.stringify(r.missingParts) : null,
        deps.now(),
      ) as { seq: number };
      return { ...r, id, seq };
    }),
  );

  // (A renewal moves nothing: the item stays out.)
  // The server moved the item (applied, or a conflict it still applied): carry that into the
  // cached catalog in the same transaction, so availability never flickers back to "free"
  // between a row leaving the pending set and the next catalog pull.
  const moveItem = db.prepare(
    `UPDATE catalog_items SET on_loan = (SELECT CASE kind WHEN 'return' THEN 0 ELSE 1 END FROM outbox WHERE id = @id)
      WHERE id = (SELECT item_id FROM outbox WHERE id = @id)`,
  );

  const settleAll = db.transaction((results: TxResult[], at: number) => {
    for (const r of results) {
      const outcome = r.status === 'duplicate' ? (r.first?.status ?? 'applied') : r.status;
      const code = r.status === 'duplicate' ? (r.first?.code ?? null) : (r.code ?? null);
      const settled = settle.run(outcome, code, at, r.id).changes === 1;
      if (settled && outcome !== 'rejected') moveItem.run({ id: r.id });
    }
  });

  // The newest waiting row of each item with rows waiting (outbox_items, kept by triggers):
  // at most one row per item, however long the queue.
  // Only what the screen uses (not the proof, which is large and parsed only to send).
  const newestWaiting = db.prepare<[], WaitingRow>(
    `SELECT o.id, o.seq, o.kind, o.item_id AS itemId, o.user_id AS userId, o.occurred_at AS occurredAt,
            o.condition
       FROM outbox_items w JOIN outbox o ON o.seq = w.newest_seq`,
  );
  const waitingCount = db.prepare<[], { n: number | null }>('SELECT SUM(waiting) AS n FROM outbox_items');
  const oldestWaiting = db.prepare<[], { created_at: number }>(
    "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
  );
  const attention = db.prepare<[], { n: number }>(
    "SELECT COUNT(*) AS n FROM outbox WHERE state IN ('rejected', 'conflict')",
  );
  // A row refused as another kiosk's id (TX_ID_CLASH) was never recorded here: not reopened,
  // or it would be sent again at every heartbeat.
  const reopen = db.prepare<[number]>(
    `UPDATE outbox SET state = 'pending', result_code = NULL, synced_at = NULL
      WHERE seq > ? AND state <> 'pending' AND COALESCE(result_code, '') <> 'TX_ID_CLASH'`,
  );
  const attentionSince = db.prepare<[number], { n: number }>(
    "SELECT COUNT(*) AS n FROM outbox WHERE state IN ('rejected', 'conflict') AND synced_at > ?",
  );
  const isWaiting = db.prepare<[string], { one: number }>(
    "SELECT 1 AS one FROM outbox WHERE id = ? AND state = 'pending'",
  );
  const pruneStmt = db.prepare(
    `DELETE FROM outbox WHERE seq IN (
       SELECT seq FROM outbox WHERE state <> 'pending' AND synced_at < @before
         AND (state = 'applied' OR synced_at < @attentionBefore)
       ORDER BY synced_at LIMIT @limit)`,
  );

  return {
    append: (rows: NewRow[]) => {
      deps.guard?.();
      return appendAll(rows);
    },
    pending: (limit: number) => pendingStmt.all(limit).map(toRow),
    /** Record the server's answers; ids the server did not answer stay pending. */
    complete: (results: TxResult[]) => settleAll(results, deps.now()),
    stats: () => ({
      pending: waitingCount.get()?.n ?? 0,
      oldestPendingAt: oldestWaiting.get()?.created_at ?? null,
      needsAttention: attention.get()!.n,
    }),
    /**
     * What the screen lays over the catalog: the newest waiting row of each item (its kind and
     * person decide whether the item is out and whose it is) and how many rows wait in all.
     */
    waiting: () => ({ newestByItem: newestWaiting.all(), count: waitingCount.get()?.n ?? 0 }),
    /**
     * Rows waiting for a person. `server`: what the server last said is still open for this
     * kiosk (it knows what staff resolved on the dashboard), plus rows answered since; without
     * it, every rejected or conflict row this kiosk holds.
     */
    needsAttention: (server: { open: number; at: number } | null) =>
      server ? server.open + attentionSince.get(server.at)!.n : attention.get()!.n,
    /**
     * The server holds nothing from this kiosk after `lastSeq` (it was restored from a
     * backup): answered rows after it wait to be sent again. Returns how many.
     */
    reopenAfter: (lastSeq: number) => reopen.run(lastSeq).changes,
    /** Whether any of these rows still waits for the server (a receipt's "not yet sent"). */
    anyWaiting: (ids: string[]) => ids.some((id) => isWaiting.get(id) !== undefined),
    /**
     * Delete settled rows older than their retention (the server holds them for good), a batch
     * at a time so a long-offline kiosk does not stall a screen. Returns how many went.
     */
    prune: (now: number, retention: OutboxRetention = DEFAULT_RETENTION, limit = 500) =>
      pruneStmt.run({
        before: now - retention.settledMs,
        attentionBefore: now - retention.needsAttentionMs,
        limit,
      }).changes,
  };
}

export type OutboxRetention = { settledMs: number; needsAttentionMs: number };
/**
 * Applied rows stay two weeks (the service screen and a person asking "did my return go
 * through?"); rejected and conflict rows, which staff act on, stay 90 days.
 */
export const DEFAULT_RETENTION: OutboxRetention = { settledMs: 14 * DAY_MS, needsAttentionMs: 90 * DAY_MS };
