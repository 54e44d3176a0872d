/**
 * The server's store port: asynchronous, with a transaction primitive. Use cases (applying
 * a sync batch, rotating a refresh token) are domain code that runs inside
 * `withTransaction`; the store maps rows and runs SQL. Two databases implement it:
 * SQLite (better-sqlite3, the embedded default) and PostgreSQL (pg, for several replicas),
 * with one set of queries (sql/) and a driver, migrations and dialect each.
 */
import type { ErrorCode, ItemCondition, ReturnCondition, Role, TxKind } from '../../protocol/index.ts';
import type { PeopleStore } from './people-store.ts';
import type { SessionStore } from './session-store.ts';
import type { AdminStore } from './admin-store.ts';
import type { ReportStore } from './report-store.ts';
import type { SecretsStore } from './secrets-store.ts';
import type { ReplicaStore } from './replica-store.ts';
import type { SharedStateStore } from './shared-state-store.ts';
import type { ScimStore } from './scim-store.ts';
import type { IdentityStore } from './identity-store.ts';
import type { PolicyStore } from './policy-store.ts';
import type { ReservationStore } from './reservation-store.ts';
import type { AtomicOptions } from './sql/sql-db.ts';

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
  /** Only an 'ok' item is lent (protocol/lending.ts); the note and time of the last change. */
  condition: ItemCondition;
  /** What the return that made it 'needs_check' reported; null when staff set it. */
  conditionReport: ReturnCondition | null;
  conditionNote: string | null;
  conditionAt: number | null;
  /** A kit's named parts (protocol/lending.ts); empty for an item that is no kit. */
  parts: string[];
  /** The parts the return that made it 'needs_check' reported missing; null when none were. */
  missingParts: string[] | null;
};

/** One change of an item's condition, for its history. */
export type ItemConditionChange = {
  itemId: string;
  at: number;
  condition: ItemCondition;
  /** What the person returning it reported, for a kiosk's report. */
  report: ReturnCondition | null;
  note: string | null;
  /** A kit's parts the return reported missing; null when none were. */
  missingParts: string[] | null;
  by: { kind: 'kiosk' | 'user'; name: string | null };
  /** The return that reported it, for a kiosk's report. */
  txId: string | null;
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
  /** How many times the loan was renewed (protocol/renewals.ts). */
  renewals: number;
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
  /** A return reported damaged or incomplete (ignored on a borrow). */
  condition?: ReturnCondition | null;
  /** A kit's parts the return reported missing (ignored on a borrow). */
  missingParts?: string[] | null;
  /** Null when the rental token checked out for this user, kiosk and occurredAt. */
  authError: ErrorCode | null;
  /**
   * Offline (roster) rows: when the roster they claim was issued and expires, the row's proof,
   * and what is wrong with the proof (a conflict to look at, not a rejection: a return is
   * still a physical event). Absent for rows made with a rental token.
   */
  offline?: OfflineFacts | null;
  /**
   * A rental-token row whose claimed time falls outside its genuine token's life (the kiosk's
   * clock jumped): the life it had. The row is applied at a time inside it, as TIME_DOUBTFUL.
   */
  tokenLife?: { from: number; until: number } | null;
};

export type OfflineFacts = {
  rosterIssuedAt: number;
  rosterExpiresAt: number;
  proof: string | null;
  proofError: ErrorCode | null;
};

export type LoanFilter = { status: 'open' | 'returned' | 'all'; userId?: string; itemId?: string };

/** What the kiosk-facing routes read and write. */
export interface KioskSideStore {
  // people and badges
  createUser(u: Omit<UserRecord, 'id'> & { id?: string }): Promise<UserRecord>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  addBadge(userId: string, credentialHash: string, label?: string, rosterHash?: string): Promise<void>;
  recordRoster(id: string, kioskId: string, issuedAt: number, expiresAt: number): Promise<void>;
  findRoster(id: string): Promise<{ kioskId: string; issuedAt: number; expiresAt: number } | null>;
  findUserByRosterHash(rosterHash: string): Promise<UserRecord | null>;
  /** The sealed badge secrets (the `roster_hash` values) of one person's badges, active or not. */
  rosterSecretsOf(userId: string): Promise<string[]>;
  /** The kiosk's offline roster key generation (bumped when it is revoked); null for no such kiosk. */
  kioskRosterGeneration(kioskId: string): Promise<number | null>;
  /**
   * Roster entries already derived for a kiosk and key generation, by sealed badge secret:
   * each is a deliberately slow hash, worked out once rather than at every roster or restart.
   */
  derivedRosterEntries(kioskId: string, generation: number): Promise<{ secret: string; entry: string }[]>;
  /** Keep derived entries (a replica that derived them too is no conflict). */
  saveRosterEntries(
    kioskId: string,
    generation: number,
    entries: { secret: string; entry: string }[],
  ): Promise<void>;
  /** Active people, for enrolling a badge at a kiosk. */
  listActivePeople(): Promise<
    {
      id: string;
      displayName: string;
      department: string | null;
      employeeNumber: string | null;
      email: string | null;
    }[]
  >;
  findUserByBadgeHash(credentialHash: string): Promise<UserRecord | null>;
  /**
   * A badge's holder, and whether the badge has its roster seal and its hint yet: the first
   * tap fills them in (setRosterHash), and the taps after it need not compute them again.
   */
  findBadgeHolder(credentialHash: string): Promise<{ user: UserRecord; sealed: boolean } | null>;

  // items
  createItem(
    i: Omit<
      ItemRecord,
      | 'id'
      | 'version'
      | 'onLoan'
      | 'retired'
      | 'condition'
      | 'conditionReport'
      | 'conditionNote'
      | 'conditionAt'
      | 'parts'
      | 'missingParts'
    > & {
      id?: string;
      /** A kit's parts, already normalised (protocol/lending.ts normalizeKitParts). */
      parts?: string[];
    },
  ): Promise<ItemRecord>;
  /**
   * Items changed since `cursor` (all when null), with the cursor to send next time, and the
   * display name of whoever holds each of those items on loan (by item id). With `page`: at
   * most `limit` of them, by item id, after `afterId` (keyset; the kiosk's paged pull).
   */
  itemsSince(
    cursor: number | null,
    page?: { afterId: string | null; limit: number },
  ): Promise<{ items: ItemRecord[]; cursor: number; holders: Map<string, string> }>;

  // kiosks
  createKiosk(name: string, enrollmentCodeHash: string, expiresAt: number): Promise<KioskRecord>;
  /**
   * A new one-time code for an existing kiosk that lost its key (a damaged SD card): the
   * kiosk enrolling with it keeps its id, its transactions and its enrolment time; only its
   * public key changes. Null for an unknown or revoked kiosk.
   */
  renewEnrollmentCode(
    kioskId: string,
    enrollmentCodeHash: string,
    expiresAt: number,
  ): Promise<KioskRecord | null>;
  /** Single use: succeeds once per code, before it expires. */
  enrollKiosk(enrollmentCodeHash: string, publicJwk: string, now: number): Promise<KioskRecord | null>;
  findKiosk(id: string): Promise<KioskRecord | null>;
  /**
   * Also moves the kiosk to a new roster key generation (its roster matches nothing issued
   * after) and forgets the entries derived under the old one.
   */
  revokeKiosk(id: string, now: number): Promise<boolean>;
  /** Forget enrollment codes past their time (the kiosk row stays, never enrolled). Returns how many. */
  expireEnrollmentCodes(now: number): Promise<number>;

  // loans and sync
  loans(filter: LoanFilter): Promise<OpenLoan[]>;
  openLoansOf(userId: string): Promise<OpenLoan[]>;

  isEmpty(): Promise<boolean>;
}

/** A transaction a kiosk sent, as the server recorded it (its outcome is final). */
export type RecordedTx = {
  id: string;
  kioskId: string;
  seq: number;
  kind: TxKind;
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
  receivedAt: number;
  /** Where the sync placed it on its item's timeline (its claimed time, held to what the server knows). */
  effectiveAt: number;
  note: string | null;
  status: 'applied' | 'rejected' | 'conflict';
  code: ErrorCode | null;
  loanId: string | null;
  /** An offline row's proof; each is accepted once. */
  offlineProof?: string | null;
};

/** A recorded transaction as it stands on its item's timeline. */
export type TimelineTx = Pick<
  RecordedTx,
  'id' | 'kioskId' | 'kind' | 'userId' | 'effectiveAt' | 'status' | 'code' | 'loanId'
>;

export type ItemLoan = {
  id: string;
  userId: string;
  kioskId: string | null;
  borrowTxId: string;
  borrowedAt: number;
  dueAt: number;
  returnedAt: number | null;
  /** Null when staff closed it by hand. */
  returnTxId: string | null;
};

/**
 * Row-level steps the sync use case (server/sync/apply-batch.ts) composes inside one
 * transaction. They decide nothing: judging and ordering are the domain's.
 */
export interface SyncSteps {
  /**
   * Lock these items' and people's rows (in a fixed order, so two batches cannot deadlock)
   * until the transaction ends: a batch that touches them waits for this one.
   */
  lockRows(itemIds: string[], userIds: string[]): Promise<void>;
  findRecordedTx(id: string): Promise<Pick<RecordedTx, 'status' | 'code' | 'loanId'> | null>;
  /** As findRecordedTx, with the kiosk that sent it: ids are scoped to their kiosk. */
  findPriorTx(id: string): Promise<Pick<RecordedTx, 'kioskId' | 'status' | 'code' | 'loanId'> | null>;
  /** Whether a recorded transaction already carried this offline proof. */
  offlineProofUsed(proof: string): Promise<boolean>;
  /** The latest occurredAt this kiosk sent with a trusted clock (and the sync believed). */
  lastTrustedAt(kioskId: string): Promise<number | null>;
  findItem(id: string): Promise<ItemRecord | null>;
  openLoanOfItem(itemId: string): Promise<OpenLoan | null>;
  /** One loan by id, open or returned. */
  findLoan(loanId: string): Promise<OpenLoan | null>;
  countOpenLoansOf(userId: string): Promise<number>;
  /** Returns the new loan's id. */
  insertLoan(loan: {
    itemId: string;
    userId: string;
    kioskId: string;
    borrowTxId: string;
    borrowedAt: number;
    dueAt: number;
    /** Set for a loan that is over already (a timeline derived again, item-timeline.ts). */
    returnedAt?: number | null;
    returnTxId?: string | null;
  }): Promise<string>;
  closeLoan(loanId: string, at: number, returnTxId: string): Promise<boolean>;
  /** Renew an open loan: its new due date, one more renewal. False when it is not open. */
  renewLoan(loanId: string, dueAt: number): Promise<boolean>;
  /**
   * The latest moment anything moved this item: a recorded (not rejected) transaction's
   * place on the timeline, or a loan closed by staff. Null when nothing ever did.
   */
  latestItemEventAt(itemId: string): Promise<number | null>;
  /** The item's recorded, not rejected, transactions, in the order they were recorded. */
  itemTimeline(itemId: string): Promise<TimelineTx[]>;
  /** Every loan of the item, open and closed. */
  loansOfItem(itemId: string): Promise<ItemLoan[]>;
  /** Set a loan's end (null: open again); the caller keeps one open loan per item. */
  setLoanEnd(loanId: string, returnedAt: number | null, returnTxId: string | null): Promise<void>;
  deleteLoan(loanId: string): Promise<void>;
  /** Point a recorded transaction at the loan it is about (after a timeline was re-derived). */
  setTxLoan(txId: string, loanId: string | null): Promise<void>;
  /** Give the item a new catalog version, so kiosks pulling with a cursor see it changed. */
  touchItem(itemId: string): Promise<void>;
  recordTx(tx: RecordedTx): Promise<void>;
  /**
   * Keep the change in the item's history and, unless `current` is false (an older report
   * arriving late), make it the item's condition and let kiosks see it.
   */
  setItemCondition(
    change: Omit<ItemConditionChange, 'missingParts'> & { missingParts?: string[] | null; current?: boolean },
  ): Promise<void>;
  /** The item's condition changes, newest first. */
  itemConditions(itemId: string): Promise<ItemConditionChange[]>;
}

/** Everything the store does, bound to the database or to one transaction. */
export interface StoreOps
  extends
    KioskSideStore,
    SyncSteps,
    SessionStore,
    PeopleStore,
    AdminStore,
    ReportStore,
    SharedStateStore,
    SecretsStore,
    ReplicaStore,
    IdentityStore,
    PolicyStore,
    ReservationStore,
    ScimStore {}

export interface Store extends StoreOps {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction; what it does through `tx` commits or rolls back together.
   * On PostgreSQL `fn` may be run again after a serialisation failure: keep it to store work.
   */
  withTransaction<T>(fn: (tx: StoreOps) => Promise<T>, opts?: AtomicOptions): Promise<T>;
  close(): Promise<void>;
  /** PostgreSQL: this process's connection pool (open connections, idle ones, requests waiting). */
  poolStats?(): PoolStats;
}

export type PoolStats = { total: number; idle: number; waiting: number };
