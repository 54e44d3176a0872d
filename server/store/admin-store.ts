/**
 * The part of the store port the admin dashboard uses: listings with filters, edits, the
 * audit log, kiosk heartbeats, unknown badge taps and conflict resolution. Kept apart from
 * the kiosk-facing methods in store.ts so each file stays one concern; `Store` extends it.
 */
import type {
  ErrorCode,
  ItemListSort,
  ItemListStatus,
  PeopleListStatus,
  ReaderHealth,
  ReturnCondition,
  Role,
  TxKind,
} from '../../protocol/index.ts';
import type { ItemRecord, UserRecord } from './store.ts';

export type AdminLoanRow = {
  id: string;
  itemId: string;
  itemName: string;
  itemTag: string;
  userId: string;
  userName: string;
  kioskId: string | null;
  kioskName: string | null;
  borrowedAt: number;
  dueAt: number;
  returnedAt: number | null;
  /** What the return said of the item: its note, its report, the kit's parts missing. */
  returnNote: string | null;
  returnReport: ReturnCondition | null;
  returnMissingParts: string[] | null;
};

export type AdminLoanFilter = {
  status: 'open' | 'overdue' | 'returned' | 'all';
  /** Needed for `overdue`: loans due before this moment. */
  now: number;
  userId?: string;
  itemId?: string;
  kioskId?: string;
  from?: number;
  to?: number;
  /** At most this many (newest first); without it, every match. */
  limit?: number;
  /** The last loan of the previous page: the page goes on after it. */
  after?: { at: number; id: string } | null;
};

export type ItemWithHolder = ItemRecord & {
  holder: { loanId: string; userId: string; userName: string; since: number; dueAt: number } | null;
  /** The maker's serial number: free text, not unique (the tag is the unique asset tag). */
  serial: string | null;
  notes: string | null;
  /** The content hash of the item's photo (ItemPhoto.hash), or null when it has none. */
  photo: string | null;
};

/**
 * An item's photo as the server re-encoded it: the image (<= 640 px) and a kiosk thumbnail.
 * `hash` is of the item's id and the image, so no two items ever share one.
 */
export type ItemPhoto = {
  hash: string;
  image: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  at: number;
};

/** One page of the items list, in (sort column, id) order; `after` is the last row seen. */
export type ItemListQuery = {
  /** Part of a tag, name, category or holder's name, any case. */
  q?: string;
  category?: string;
  /** 'active' is every item not retired. */
  status: ItemListStatus;
  sort: ItemListSort;
  after?: { value: string; id: string } | null;
  limit: number;
  /** For 'overdue' and 'available'. */
  now: number;
};
export type PeopleListQuery = {
  q?: string;
  role?: Role;
  status: PeopleListStatus;
  after?: Keyset | null;
  limit: number;
};
/** Where a keyset page starts: the last row's sort value and id. */
export type Keyset = { value: string; id: string };

export type ItemListPage = {
  items: ItemWithHolder[];
  /** How many items match, over every page. */
  total: number;
  /** Where the next page starts, or null on the last. */
  next: { value: string; id: string } | null;
};

export type ItemPatch = Partial<
  Pick<
    ItemRecord,
    'tag' | 'name' | 'category' | 'loanDays' | 'restrictedTo' | 'lockerSlot' | 'retired' | 'parts'
  > &
    Pick<ItemWithHolder, 'serial' | 'notes'>
>;

/** employeeNumber and department come from the directory (SCIM), to tell people apart. */
export type PersonRow = UserRecord & {
  badges: number;
  openLoans: number;
  employeeNumber: string | null;
  department: string | null;
};
export type PersonPatch = Partial<
  Pick<UserRecord, 'displayName' | 'email' | 'role' | 'active' | 'passwordHash'> & {
    employeeNumber: string | null;
    department: string | null;
  }
>;

export type BadgeRow = { id: string; label: string | null; hint: string | null; addedAt: number | null };

export type UnknownTapRow = {
  id: string;
  hint: string;
  kioskId: string;
  kioskName: string | null;
  at: number;
  count: number;
};

export type HeartbeatRow = {
  kioskId: string;
  receivedAt: number;
  queueDepth: number;
  oldestUnsyncedAgeS: number | null;
  readers: ReaderHealth[];
  clockOffsetMs: number | null;
  appVersion: string;
};

export type KioskRow = {
  id: string;
  name: string;
  enrolledAt: number | null;
  revokedAt: number | null;
  lastSyncAt: number | null;
  heartbeat: HeartbeatRow | null;
};

export type TxRow = {
  id: string;
  kind: TxKind;
  status: 'applied' | 'rejected' | 'conflict';
  code: ErrorCode | null;
  itemId: string;
  itemName: string | null;
  userId: string;
  userName: string | null;
  kioskId: string;
  kioskName: string | null;
  occurredAt: number;
  receivedAt: number;
  clockTrusted: boolean;
  note: string | null;
  /** What a return reported of the item (damaged, incomplete), and the kit's parts it said were missing. */
  report: ReturnCondition | null;
  missingParts: string[] | null;
};

export type ConflictRow = TxRow & {
  other: TxRow | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: string | null;
};

export type AuditActor = {
  kind: 'user' | 'kiosk' | 'system';
  id: string | null;
  name: string | null;
  /** The session (access token) or kiosk the change came from. */
  via: string | null;
};

export type AuditRecord = {
  actor: AuditActor;
  action: string;
  targetKind?: string;
  targetId?: string;
  /** A short human-readable account of the change; never secrets. */
  detail?: string;
  /** For an edit: each field that changed, before and after (see server/audit/record.ts). */
  changes?: AuditChange[];
};

/** One field an edit changed; values as plain text (a role, a name), null for none. */
export type AuditChange = { field: string; before: string | null; after: string | null };

/**
 * The audit log counts each side up to this many matches: past it, a page says "at least"
 * (counting a million rows exactly takes longer than the page itself, and nobody pages that
 * far; at 1,000,000 entries counting to 100,000 still took ~30 ms of a loaded machine).
 */
export const AUDIT_COUNT_CAP = 10_000;

/** Which audit rows a page shows (every field optional but the size), newest first. */
export type AuditFilter = {
  /** The action's kind, its part before the dot (person, item, kiosk…); 'tx' for kiosk transactions. */
  kind?: string;
  /** Who acted: a person's id (at a kiosk, the person who tapped). */
  actorId?: string;
  /** What it was about: a person's, item's or kiosk's id (a transaction's item). */
  targetId?: string;
  from?: number;
  to?: number;
  /** A row's key from the page before: rows strictly older. */
  before?: string;
  limit: number;
};

/** An audit row with what the dashboard needs to say it as a sentence. */
export type AuditEntryRow = AuditRow & {
  /** What the row is about, by its name now (null when it has none or is gone). */
  targetName: string | null;
  /** Whose loan or transaction a row is about. */
  targetPerson: string | null;
  changes: AuditChange[] | null;
  /** For a kiosk transaction: what happened, to whom, where. */
  tx: {
    kind: 'borrow' | 'return';
    status: 'applied' | 'rejected' | 'conflict';
    code: string | null;
    userId: string;
    userName: string | null;
    itemName: string | null;
    kioskName: string | null;
  } | null;
};

export type ConflictFilter = {
  state: 'open' | 'resolved' | 'all';
  kioskId?: string;
  code?: string;
  from?: number;
  to?: number;
  /** The last row of the page before (received time, id). */
  after?: { at: number; id: string } | null;
  limit: number;
};

export type AuditRow = {
  key: string;
  at: number;
  actorKind: AuditActor['kind'];
  actorId: string | null;
  actorName: string | null;
  via: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  detail: string | null;
};

export type OverviewCounts = {
  itemsOut: number;
  itemsTotal: number;
  overdue: number;
  conflictsOpen: number;
  /** Items not lendable until staff look at them (needs check, in repair); lost ones not counted. */
  needsAttention: number;
  borrowsSince: number;
  returnsSince: number;
};

export interface AdminStore {
  // overview and activity
  overviewCounts(now: number, since: number): Promise<OverviewCounts>;
  recentTransactions(limit: number): Promise<TxRow[]>;

  // loans
  /** Newest borrow first (then id, descending), so `after` pages never skip or repeat a loan. */
  adminLoans(filter: AdminLoanFilter): Promise<AdminLoanRow[]>;
  /** How many loans match, over every page (`limit` and `after` are not counted). */
  countAdminLoans(filter: AdminLoanFilter): Promise<number>;
  findAdminLoan(id: string): Promise<AdminLoanRow | null>;
  /** Close an open loan by hand (item found on the shelf). False if it was not open. */
  closeLoanManually(id: string, now: number): Promise<boolean>;

  // items
  itemsWithHolders(): Promise<ItemWithHolder[]>;
  /** A page of items matching a search and filters (keyset paging: no page is ever cut short). */
  itemList(query: ItemListQuery): Promise<ItemListPage>;
  /** Every category with how many items (not retired) it has, for filters and pickers. */
  itemCategories(): Promise<{ category: string; items: number }[]>;
  findItemWithHolder(id: string): Promise<ItemWithHolder | null>;
  findItemByTag(tag: string): Promise<ItemRecord | null>;
  /** Throws AppError ALREADY_EXISTS when the new tag is taken. */
  updateItem(id: string, patch: ItemPatch): Promise<ItemRecord | null>;
  /**
   * Puts (or with null removes) an item's photo, replacing any before; kiosks pick the change
   * up with the item. False when there is no such item.
   */
  setItemPhoto(itemId: string, photo: ItemPhoto | null): Promise<boolean>;
  /** A photo by its hash, whichever item has it now; null once it was replaced or removed. */
  itemPhoto(hash: string): Promise<ItemPhoto | null>;
  /** Photo hashes of the items changed since a catalog cursor (as itemsSince), for kiosks. */
  itemPhotosSince(cursor: number | null): Promise<Map<string, string>>;

  // people and badges
  peopleWithCounts(): Promise<PersonRow[]>;
  /** Active people with the admin role. */
  countActiveAdmins(): Promise<number>;
  /** A page of people by name matching a search and filters (keyset paging). */
  peopleList(query: PeopleListQuery): Promise<{ people: PersonRow[]; total: number; next: Keyset | null }>;
  findPerson(id: string): Promise<PersonRow | null>;
  /** Throws AppError ALREADY_EXISTS when the new email is taken. */
  updateUser(id: string, patch: PersonPatch): Promise<UserRecord | null>;
  badgesOf(userId: string): Promise<BadgeRow[]>;
  /** Throws AppError BADGE_ALREADY_ENROLLED when the badge belongs to someone. */
  addBadgeWithHint(
    userId: string,
    badge: { credentialHash: string; rosterHash: string | null; hint: string | null; label: string | null },
    now: number,
  ): Promise<BadgeRow>;
  removeBadge(userId: string, badgeId: string): Promise<boolean>;
  /** Name one of a person's badges ("spare card"), or clear it with null; null when no such badge. */
  setBadgeLabel(userId: string, badgeId: string, label: string | null): Promise<BadgeRow | null>;
  recordUnknownTap(credentialHash: string, hint: string, kioskId: string, now: number): Promise<void>;
  unknownTaps(): Promise<UnknownTapRow[]>;
  /** A page of them, newest tap first (then id, descending), by kiosk and time, with the count over every page. */
  unknownTapsPage(filter: {
    kioskId?: string;
    from?: number;
    to?: number;
    after?: { at: number; id: string } | null;
    limit: number;
  }): Promise<{ rows: UnknownTapRow[]; total: number; next: { at: number; id: string } | null }>;
  /** The stored hash and hint of an unknown tap, for enrolling it; null when unknown. */
  takeUnknownTap(id: string): Promise<{ credentialHash: string; hint: string } | null>;

  // kiosks
  listKiosks(): Promise<KioskRow[]>;
  saveHeartbeat(h: HeartbeatRow): Promise<void>;
  /** This kiosk's transactions not applied and not yet resolved by a person. */
  openConflictsOfKiosk(kioskId: string): Promise<number>;
  /** The highest sequence number recorded from this kiosk; 0 when none. */
  lastSeqOfKiosk(kioskId: string): Promise<number>;

  // conflicts
  /** Every conflict in a state, newest first (no page: for tools and tests). */
  conflicts(state: 'open' | 'resolved' | 'all'): Promise<ConflictRow[]>;
  /** A page of conflicts, newest received first (then id, descending), with the count over every page. */
  conflictsPage(
    filter: ConflictFilter,
  ): Promise<{ rows: ConflictRow[]; total: number; next: { at: number; id: string } | null }>;
  findConflict(id: string): Promise<ConflictRow | null>;
  /** False when there is no such open conflict. */
  resolveConflict(id: string, by: string, note: string, now: number): Promise<boolean>;

  // audit
  audit(entry: AuditRecord, now: number): Promise<void>;
  /** Newest first: the audit log merged with every transaction a kiosk sent. */
  auditLog(opts: { before?: string; limit: number }): Promise<AuditRow[]>;
  /** A page of the same, filtered, with names and changes, and the count over every page. */
  auditPage(filter: AuditFilter): Promise<{
    rows: AuditEntryRow[];
    total: number;
    /** The count stopped at AUDIT_COUNT_CAP on a side: there are at least `total`. */
    capped: boolean;
    next: string | null;
  }>;
}
