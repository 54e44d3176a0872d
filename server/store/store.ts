/**
 * The server's store port. SQLite (better-sqlite3) implements it by default; the methods
 * are coarse on purpose (one call per use case) so that another adapter, such as
 * PostgreSQL for several replicas, can implement each as one transaction.
 */
import type { Role, TxKind, TxResult, ErrorCode } from '../../protocol/index.ts';
import type { PeopleStore } from './people-store.ts';
import type { SessionStore } from './session-store.ts';
import type { AdminStore } from './admin-store.ts';

export type UserRecord = {
  id: string;
  email: string | null;
  displayName: string;
  role: Role;
  active: boolean;
  passwordHash: string | null;
};

export type ItemRecord = {
  id: string;
  tag: string;
  name: string;
  category: string;
  loanDays: number;
  restrictedTo: Role | null;
  lockerSlot: string | null;
  retired: boolean;
  version: number;
  onLoan: boolean;
};

export type KioskRecord = {
  id: string;
  name: string;
  publicJwk: string | null;
  enrolledAt: number | null;
  revokedAt: number | null;
};

export type OpenLoan = {
  id: string;
  itemId: string;
  itemName: string;
  userId: string;
  userName: string;
  kioskId: string | null;
  borrowedAt: number;
  dueAt: number;
  returnedAt: number | null;
};

/** A transaction whose authentication the server has already judged (outside the DB transaction). */
export type PreparedTx = {
  id: string;
  seq: number;
  kind: TxKind;
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
  note: string | null;
  /** Null when the rental token checked out for this user, kiosk and occurredAt. */
  authError: ErrorCode | null;
};

export type LoanFilter = { status: 'open' | 'returned' | 'all'; userId?: string; itemId?: string };

export interface Store extends SessionStore, PeopleStore, AdminStore {
  // people and badges
  createUser(u: Omit<UserRecord, 'id'> & { id?: string }): UserRecord;
  findUserByEmail(email: string): UserRecord | null;
  findUserById(id: string): UserRecord | null;
  addBadge(userId: string, credentialHash: string, label?: string, rosterHash?: string): void;
  recordRoster(id: string, kioskId: string, issuedAt: number, expiresAt: number): void;
  findRoster(id: string): { kioskId: string; issuedAt: number; expiresAt: number } | null;
  findUserByRosterHash(rosterHash: string): UserRecord | null;
  /** Active people, for enrolling a badge at a kiosk. */
  listActivePeople(): { id: string; displayName: string }[];
  findUserByBadgeHash(credentialHash: string): UserRecord | null;

  // items
  createItem(i: Omit<ItemRecord, 'id' | 'version' | 'onLoan' | 'retired'> & { id?: string }): ItemRecord;
  /** Items changed after `cursor` (all when null), with the new cursor. */
  itemsSince(cursor: number | null): { items: ItemRecord[]; cursor: number };

  // kiosks
  createKiosk(name: string, enrollmentCodeHash: string, expiresAt: number): KioskRecord;
  /** Single use: succeeds once per code, before it expires. */
  enrollKiosk(enrollmentCodeHash: string, publicJwk: string, now: number): KioskRecord | null;
  findKiosk(id: string): KioskRecord | null;
  revokeKiosk(id: string, now: number): boolean;

  // loans and sync
  loans(filter: LoanFilter): OpenLoan[];
  openLoansOf(userId: string): OpenLoan[];
  /** Apply a batch in one database transaction, in sequence order, each id at most once. */
  applySyncBatch(kioskId: string, txs: PreparedTx[], now: number): TxResult[];

  isEmpty(): boolean;
  close(): void;
}
