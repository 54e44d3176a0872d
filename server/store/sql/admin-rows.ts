/** Row shapes and SELECTs shared by the admin store modules (loans, transactions). */
import type { SqlRunner } from './sql-db.ts';
import type { ErrorCode, ReturnCondition, TxKind } from '../../../protocol/index.ts';
import { partsFromColumn } from './rows.ts';
import type { AdminLoanRow, TxRow } from '../admin-store.ts';

export type AdminLoanSql = {
  id: string;
  item_id: string;
  item_name: string;
  item_tag: string;
  user_id: string;
  user_name: string;
  kiosk_id: string | null;
  kiosk_name: string | null;
  borrowed_at: number;
  due_at: number;
  returned_at: number | null;
  return_note: string | null;
  return_report: ReturnCondition | null;
  return_missing: string | null;
};

/** A loan, with what its return said of the item (the return's note, and its report if any). */
export const ADMIN_LOAN_SELECT = `
  SELECT l.id, l.item_id, i.name AS item_name, i.tag AS item_tag, l.user_id, u.display_name AS user_name,
         l.kiosk_id, k.name AS kiosk_name, l.borrowed_at, l.due_at, l.returned_at,
         rt.note AS return_note, rc.report AS return_report, rc.missing_parts AS return_missing
  FROM loans l JOIN items i ON i.id = l.item_id JOIN users u ON u.id = l.user_id
  LEFT JOIN kiosks k ON k.id = l.kiosk_id
  LEFT JOIN transactions rt ON rt.id = l.return_tx_id
  LEFT JOIN item_conditions rc ON rc.item_id = l.item_id AND rc.tx_id = l.return_tx_id`;

export const toAdminLoan = (r: AdminLoanSql): AdminLoanRow => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  itemTag: r.item_tag,
  userId: r.user_id,
  userName: r.user_name,
  kioskId: r.kiosk_id,
  kioskName: r.kiosk_name,
  borrowedAt: r.borrowed_at,
  dueAt: r.due_at,
  returnedAt: r.returned_at,
  returnNote: r.return_note,
  returnReport: r.return_report,
  returnMissingParts: partsFromColumn(r.return_missing),
});

export type TxSql = {
  id: string;
  kind: TxKind;
  status: 'applied' | 'rejected' | 'conflict';
  code: string | null;
  item_id: string;
  item_name: string | null;
  user_id: string;
  user_name: string | null;
  kiosk_id: string;
  kiosk_name: string | null;
  occurred_at: number;
  received_at: number;
  clock_trusted: number;
  note: string | null;
  report: ReturnCondition | null;
  missing_parts: string | null;
};

export const TX_SELECT = `
  SELECT t.id, t.kind, t.status, t.code, t.item_id, i.name AS item_name, t.user_id,
         u.display_name AS user_name, t.kiosk_id, k.name AS kiosk_name, t.occurred_at, t.received_at,
         t.clock_trusted, t.note, c.report, c.missing_parts
  FROM transactions t LEFT JOIN items i ON i.id = t.item_id LEFT JOIN users u ON u.id = t.user_id
  LEFT JOIN kiosks k ON k.id = t.kiosk_id
  LEFT JOIN item_conditions c ON c.item_id = t.item_id AND c.tx_id = t.id`;

export const toTx = (r: TxSql): TxRow => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  code: r.code as ErrorCode | null,
  itemId: r.item_id,
  itemName: r.item_name,
  userId: r.user_id,
  userName: r.user_name,
  kioskId: r.kiosk_id,
  kioskName: r.kiosk_name,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
  clockTrusted: r.clock_trusted === 1,
  note: r.note,
  report: r.report,
  missingParts: partsFromColumn(r.missing_parts),
});

/** Give an item the next catalog version, so kiosks pulling with a cursor see the change. */
export async function bumpItemVersion(db: SqlRunner, itemId: string): Promise<void> {
  await db.run('UPDATE items SET version = ? WHERE id = ?', [await db.versionStamp(), itemId]);
}
