/**
 * Row shapes of the core tables and their mapping to the port's records, shared by every
 * module that reads them. Booleans are stored as 0/1 on both databases.
 */
import type { ItemCondition, ReturnCondition, Role } from '../../../protocol/index.ts';
import type { ItemRecord, KioskRecord, OpenLoan, UserRecord } from '../store.ts';

export type UserRow = {
  id: string;
  email: string | null;
  display_name: string;
  role: Role;
  active: number;
  password_hash: string | null;
};

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  active: r.active === 1,
  passwordHash: r.password_hash,
});

export const USER_COLUMNS = 'u.id, u.email, u.display_name, u.role, u.active, u.password_hash';

export type ItemColumns = {
  id: string;
  tag: string;
  name: string;
  category: string;
  loan_days: number;
  restricted_to: Role | null;
  locker_slot: string | null;
  retired: number;
  version: number;
  condition: ItemCondition;
  condition_report: ReturnCondition | null;
  condition_note: string | null;
  condition_at: number | string | null;
  /** JSON arrays of strings (SQLite and PostgreSQL alike: TEXT). */
  parts: string;
  condition_missing: string | null;
};

export const ITEM_COLUMNS =
  'i.id, i.tag, i.name, i.category, i.loan_days, i.restricted_to, i.locker_slot, i.retired, i.version, ' +
  'i.condition, i.condition_report, i.condition_note, i.condition_at, i.parts, i.condition_missing';

/** A list of part names kept as a JSON array: null stays null; anything else read is a list. */
export const partsFromColumn = (text: string | null): string[] | null =>
  text === null ? null : (JSON.parse(text) as string[]);
export const partsToColumn = (parts: readonly string[] | null | undefined): string | null =>
  parts && parts.length > 0 ? JSON.stringify(parts) : null;

/** `onLoan` comes from whichever join the caller made (a flag column, or an open loan row). */
export const toItemRecord = (r: ItemColumns, onLoan: boolean): ItemRecord => ({
  id: r.id,
  tag: r.tag,
  name: r.name,
  category: r.category,
  loanDays: r.loan_days,
  restrictedTo: r.restricted_to,
  lockerSlot: r.locker_slot,
  retired: r.retired === 1,
  version: r.version,
  onLoan,
  condition: r.condition,
  conditionReport: r.condition_report,
  conditionNote: r.condition_note,
  // PostgreSQL BIGINT arrives as a string.
  conditionAt: r.condition_at === null ? null : Number(r.condition_at),
  parts: partsFromColumn(r.parts) ?? [],
  missingParts: partsFromColumn(r.condition_missing),
});

export type ItemRow = ItemColumns & { on_loan: number };
export const toItem = (r: ItemRow): ItemRecord => toItemRecord(r, r.on_loan === 1);

export const ITEM_SELECT = `
  SELECT ${ITEM_COLUMNS},
    CASE WHEN EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL)
      THEN 1 ELSE 0 END AS on_loan
  FROM items i`;

export type KioskRow = {
  id: string;
  name: string;
  public_jwk: string | null;
  enrolled_at: number | null;
  revoked_at: number | null;
};

export const KIOSK_COLUMNS = 'id, name, public_jwk, enrolled_at, revoked_at';

export const toKiosk = (r: KioskRow): KioskRecord => ({
  id: r.id,
  name: r.name,
  publicJwk: r.public_jwk,
  enrolledAt: r.enrolled_at,
  revokedAt: r.revoked_at,
});

export type LoanRow = {
  id: string;
  item_id: string;
  item_name: string;
  user_id: string;
  user_name: string;
  kiosk_id: string | null;
  borrowed_at: number;
  due_at: number;
  returned_at: number | null;
  renewals: number;
};

export const LOAN_SELECT = `
  SELECT l.id, l.item_id, i.name AS item_name, l.user_id, u.display_name AS user_name, l.kiosk_id,
         l.borrowed_at, l.due_at, l.returned_at, l.renewals
  FROM loans l JOIN items i ON i.id = l.item_id JOIN users u ON u.id = l.user_id`;

export const toLoan = (r: LoanRow): OpenLoan => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  userId: r.user_id,
  userName: r.user_name,
  kioskId: r.kiosk_id,
  borrowedAt: r.borrowed_at,
  dueAt: r.due_at,
  returnedAt: r.returned_at,
  renewals: Number(r.renewals),
});
