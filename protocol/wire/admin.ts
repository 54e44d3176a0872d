/**
 * The admin dashboard's HTTP contract (/v1/admin/...): every request body and query the
 * dashboard sends, and every response it reads. The dashboard UI (src-dashboard)
 * imports these types; the server's admin routes are typed and checked by them.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Credential } from '../credentials.ts';
import type { ErrorCode } from '../errors.ts';
import { ErrorCodeSchema, Id, KitParts, Role, Strict, Timestamp } from './common.ts';
import { SAFE_LINE, SAFE_NOTE, SAFE_TRIMMED_LINE, SAFE_VISIBLE_LINE, lineHasUnsafeChars } from '../text.ts';
import { KIT_PART_NAME_MAX, KIT_PARTS_MAX } from '../lending.ts';
import { ReaderHealth } from './kiosk.ts';
import { ItemConditionSchema } from './kiosk.ts';
import { ReturnConditionSchema, TxKind } from './sync.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
// What a person types (protocol/text.ts): no control or invisible characters, something visible.
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: SAFE_VISIBLE_LINE });
const Note = Type.String({ minLength: 1, maxLength: 1000, pattern: SAFE_NOTE });

// ---------- overview ----------

export const OverviewQuery = Strict({
  /** Start of "today" as the dashboard's person sees it (their time zone). */
  since: Type.Optional(Timestamp),
});
export type OverviewQuery = Static<typeof OverviewQuery>;

/** One transaction a kiosk sent, with the names of what it is about (recent activity, conflict evidence). */
export const TxEvidence = Strict({
  id: Type.String(),
  kind: TxKind,
  status: Type.Union([Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('conflict')]),
  code: Nullable(ErrorCodeSchema),
  itemId: Id,
  itemName: Nullable(Type.String()),
  userId: Id,
  userName: Nullable(Type.String()),
  kioskId: Id,
  kioskName: Nullable(Type.String()),
  occurredAt: Timestamp,
  receivedAt: Timestamp,
  clockTrusted: Type.Boolean(),
  /** Recorded while the kiosk could not reach the server (it arrived late). */
  offline: Type.Boolean(),
  note: Nullable(Type.String()),
  /** A return's report of the item, and the kit's parts it said were missing (null: none). */
  report: Nullable(ReturnConditionSchema),
  missingParts: Nullable(KitParts),
});
export type TxEvidence = Static<typeof TxEvidence>;

export const OverviewResponse = Strict({
  itemsOut: Type.Integer(),
  itemsTotal: Type.Integer(),
  overdue: Type.Integer(),
  kiosksOnline: Type.Integer(),
  kiosksOffline: Type.Integer(),
  conflictsOpen: Type.Integer(),
  /** Items waiting for staff: needs check or in repair. */
  itemsNeedingCheck: Type.Integer(),
  today: Strict({ borrows: Type.Integer(), returns: Type.Integer() }),
  recent: Type.Array(TxEvidence),
  serverTime: Timestamp,
});
export type OverviewResponse = Static<typeof OverviewResponse>;

// ---------- loans ----------

export const AdminLoanStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('overdue'),
  Type.Literal('returned'),
  Type.Literal('all'),
]);
export type AdminLoanStatus = Static<typeof AdminLoanStatus>;

export const AdminLoansQuery = Strict({
  status: Type.Optional(AdminLoanStatus),
  userId: Type.Optional(Id),
  itemId: Type.Optional(Id),
  kioskId: Type.Optional(Id),
  /** Borrowed at or after. */
  from: Type.Optional(Timestamp),
  /** Borrowed before. */
  to: Type.Optional(Timestamp),
  /** `next` of the previous page. */
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type AdminLoansQuery = Static<typeof AdminLoansQuery>;

export const AdminLoan = Strict({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  itemTag: Type.String(),
  userId: Id,
  userName: Type.String(),
  kioskId: Nullable(Id),
  kioskName: Nullable(Type.String()),
  borrowedAt: Timestamp,
  dueAt: Timestamp,
  returnedAt: Nullable(Timestamp),
  overdue: Type.Boolean(),
  /** What the return said of the item: its note, its report, the kit's parts it said were missing. */
  returnNote: Nullable(Type.String()),
  returnReport: Nullable(ReturnConditionSchema),
  returnMissingParts: Nullable(KitParts),
});
export type AdminLoan = Static<typeof AdminLoan>;

export const AdminLoansResponse = Strict({
  /** Newest borrow first. */
  loans: Type.Array(AdminLoan),
  /** How many loans match, over every page. */
  total: Type.Integer({ minimum: 0 }),
  /** Pass as `after` for the next page; null on the last. */
  next: Nullable(Type.String()),
});
export type AdminLoansResponse = Static<typeof AdminLoansResponse>;

// ---------- items ----------

export const ItemHolder = Strict({
  loanId: Id,
  userId: Id,
  userName: Type.String(),
  since: Timestamp,
  dueAt: Timestamp,
});

export const AdminItem = Strict({
  id: Id,
  tag: Type.String(),
  name: Type.String(),
  category: Type.String(),
  loanDays: Type.Integer(),
  restrictedTo: Nullable(Role),
  lockerSlot: Nullable(Type.String()),
  retired: Type.Boolean(),
  holder: Nullable(ItemHolder),
  /** Only an 'ok' item is lent. */
  condition: ItemConditionSchema,
  /** What the return that made it 'needs_check' reported; null when staff set it. */
  conditionReport: Nullable(ReturnConditionSchema),
  conditionNote: Nullable(Type.String()),
  conditionAt: Nullable(Timestamp),
  /** The maker's serial number: free text, not unique (the tag is the unique asset tag). */
  serial: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  /** Where its photo is served (the URL changes with the photo, so it is cached for good); null: none. */
  photo: Nullable(Type.String()),
  /** A kit's named parts, in the order a return lists them; empty for an item that is no kit. */
  parts: KitParts,
  /** The parts the return that made it 'needs_check' reported missing; null when none were. */
  missingParts: Nullable(KitParts),
});
export type AdminItem = Static<typeof AdminItem>;

/** One change of an item's condition, for its history. */
export const ItemConditionEntry = Strict({
  at: Timestamp,
  condition: ItemConditionSchema,
  report: Nullable(ReturnConditionSchema),
  note: Nullable(Type.String()),
  /** A kit's parts the return reported missing; null when none were. */
  missingParts: Nullable(KitParts),
  /** A kiosk's report (its name) or a staff member's change (their name). */
  by: Strict({
    kind: Type.Union([Type.Literal('kiosk'), Type.Literal('user')]),
    name: Nullable(Type.String()),
  }),
});
export type ItemConditionEntry = Static<typeof ItemConditionEntry>;

/** Staff set an item's condition: 'ok' clears a check; a note says why (audited). */
export const SetItemConditionRequest = Strict({ condition: ItemConditionSchema, note: Note });
export type SetItemConditionRequest = Static<typeof SetItemConditionRequest>;

export const ItemDetailResponse = Strict({
  item: AdminItem,
  history: Type.Array(AdminLoan),
  conditions: Type.Array(ItemConditionEntry),
});
export type ItemDetailResponse = Static<typeof ItemDetailResponse>;

const Tag = Type.String({ minLength: 1, maxLength: 128, pattern: SAFE_TRIMMED_LINE });
const Category = Type.String({ minLength: 1, maxLength: 100, pattern: SAFE_VISIBLE_LINE });
const LoanDays = Type.Integer({ minimum: 1, maximum: 365 });
const LockerSlot = Nullable(Type.String({ minLength: 1, maxLength: 32, pattern: SAFE_TRIMMED_LINE }));
/**
 * A kit's parts as typed on the dashboard: the server trims them, drops blanks and repeats
 * (protocol/lending.ts normalizeKitParts); an empty list makes the item no kit.
 */
const KitPartsInput = Type.Array(Type.String({ maxLength: KIT_PART_NAME_MAX, pattern: SAFE_LINE }), {
  maxItems: KIT_PARTS_MAX,
});
const Serial = Nullable(Type.String({ minLength: 1, maxLength: 100, pattern: SAFE_TRIMMED_LINE }));
const ItemNotes = Nullable(Type.String({ minLength: 1, maxLength: 2000, pattern: SAFE_NOTE }));

export const CreateItemRequest = Strict({
  tag: Tag,
  name: Name,
  category: Category,
  loanDays: LoanDays,
  restrictedTo: Type.Optional(Nullable(Role)),
  lockerSlot: Type.Optional(LockerSlot),
  serial: Type.Optional(Serial),
  notes: Type.Optional(ItemNotes),
  parts: Type.Optional(KitPartsInput),
});
export type CreateItemRequest = Static<typeof CreateItemRequest>;

export const UpdateItemRequest = Strict(
  {
    tag: Type.Optional(Tag),
    name: Type.Optional(Name),
    category: Type.Optional(Category),
    loanDays: Type.Optional(LoanDays),
    restrictedTo: Type.Optional(Nullable(Role)),
    lockerSlot: Type.Optional(LockerSlot),
    serial: Type.Optional(Serial),
    notes: Type.Optional(ItemNotes),
    parts: Type.Optional(KitPartsInput),
    retired: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
export type UpdateItemRequest = Static<typeof UpdateItemRequest>;

export const ItemResponse = Strict({ item: AdminItem });
export type ItemResponse = Static<typeof ItemResponse>;

/** CSV text with a header row: tag,name,category,loanDays[,restrictedTo][,lockerSlot]. */
export const ImportItemsRequest = Strict({ csv: Type.String({ minLength: 1, maxLength: 1_000_000 }) });
export type ImportItemsRequest = Static<typeof ImportItemsRequest>;

export const ImportRowError = Strict({ line: Type.Integer(), code: ErrorCodeSchema, message: Type.String() });
export type ImportRowError = Static<typeof ImportRowError>;

export const ImportItemsResponse = Strict({
  created: Type.Integer(),
  updated: Type.Integer(),
  errors: Type.Array(ImportRowError),
});
export type ImportItemsResponse = Static<typeof ImportItemsResponse>;

// ---------- people and badges ----------

export const AdminPerson = Strict({
  id: Id,
  displayName: Type.String(),
  email: Nullable(Type.String()),
  role: Role,
  active: Type.Boolean(),
  badges: Type.Integer(),
  openLoans: Type.Integer(),
  /** From the organisation's directory (SCIM enterprise extension); null when unknown. */
  employeeNumber: Nullable(Type.String()),
  department: Nullable(Type.String()),
});
export type AdminPerson = Static<typeof AdminPerson>;

/** The fields of a person an admin edits on the dashboard (the password apart). */
export const PERSON_FIELDS = [
  'displayName',
  'email',
  'role',
  'active',
  'employeeNumber',
  'department',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];
export const PersonFieldSchema = Type.Union(PERSON_FIELDS.map((f) => Type.Literal(f)));

export const AdminPeopleResponse = Strict({
  people: Type.Array(AdminPerson),
  /** How many people match, over every page. */
  total: Type.Integer({ minimum: 0 }),
  /** Pass as `after` for the next page; null on the last (and when every person was asked for). */
  next: Nullable(Type.String()),
});
export type AdminPeopleResponse = Static<typeof AdminPeopleResponse>;

export const BadgeInfo = Strict({
  id: Id,
  label: Nullable(Type.String()),
  /** The credential's kind and last characters, enough to tell badges apart, no more. */
  hint: Nullable(Type.String()),
  addedAt: Nullable(Timestamp),
});
export type BadgeInfo = Static<typeof BadgeInfo>;

export const PersonDetailResponse = Strict({
  person: AdminPerson,
  badges: Type.Array(BadgeInfo),
  loans: Type.Array(AdminLoan),
  /**
   * A person provisioned by the organisation's directory (SCIM): the fields it owns, which
   * are changed there, not here. Null for a person made here.
   */
  directory: Nullable(Strict({ owned: Type.Array(PersonFieldSchema) })),
});
export type PersonDetailResponse = Static<typeof PersonDetailResponse>;

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 10, maxLength: 1024 });

export const CreatePersonRequest = Strict({
  displayName: Name,
  email: Type.Optional(Nullable(Email)),
  role: Role,
  /** Only people who log in to the dashboard need one. */
  password: Type.Optional(Password),
  /** A first badge, typed as its number (normalized credential, e.g. `kbd:1000234`). */
  badge: Type.Optional(Credential),
});
export type CreatePersonRequest = Static<typeof CreatePersonRequest>;

/**
 * An edit of a person. Text fields are only bounded here, not judged: the server checks them
 * with checkPersonFields, so a bad one comes back as a code that names the field and the
 * rule (EMAIL_INVALID…), which the dashboard shows beside that field.
 */
const LooseText = Type.String({ maxLength: 1000 });
export const UpdatePersonRequest = Strict(
  {
    displayName: Type.Optional(LooseText),
    email: Type.Optional(Nullable(LooseText)),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
    employeeNumber: Type.Optional(Nullable(LooseText)),
    department: Type.Optional(Nullable(LooseText)),
    password: Type.Optional(Password),
  },
  { minProperties: 1 },
);
export type UpdatePersonRequest = Static<typeof UpdatePersonRequest>;

export const PERSON_LIMITS = { displayName: 200, email: 254, employeeNumber: 50, department: 100 } as const;
const EMAIL_RULE = /^[^\s@]+@[^\s@]+$/;

/** Which field a refusal of a person edit is about, for showing it beside that field. */
export const PERSON_FIELD_OF: Partial<Record<ErrorCode, PersonField>> = {
  PERSON_NAME_INVALID: 'displayName',
  EMAIL_INVALID: 'email',
  EMAIL_TAKEN: 'email',
  EMPLOYEE_NUMBER_INVALID: 'employeeNumber',
  DEPARTMENT_INVALID: 'department',
};

type PersonText = {
  displayName?: string;
  email?: string | null;
  employeeNumber?: string | null;
  department?: string | null;
};

/**
 * Trim the text fields of an edit (an empty optional one becomes null) and judge them: the
 * cleaned edit, or the first field that breaks its rule with the code that says so.
 */
export function checkPersonFields<T extends PersonText>(
  edit: T,
): { ok: true; edit: T } | { ok: false; code: ErrorCode; field: PersonField } {
  const out: T = { ...edit };
  const blankToNull = (v: string | null | undefined) =>
    v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim();
  if (edit.displayName !== undefined) {
    const name = edit.displayName.trim();
    if (!name || name.length > PERSON_LIMITS.displayName || lineHasUnsafeChars(name))
      return { ok: false, code: 'PERSON_NAME_INVALID', field: 'displayName' };
    out.displayName = name;
  }
  if (edit.email !== undefined) {
    const email = blankToNull(edit.email);
    if (
      email !== null &&
      (email!.length > PERSON_LIMITS.email || !EMAIL_RULE.test(email!) || lineHasUnsafeChars(email!))
    )
      return { ok: false, code: 'EMAIL_INVALID', field: 'email' };
    out.email = email;
  }
  if (edit.employeeNumber !== undefined) {
    const v = blankToNull(edit.employeeNumber);
    if (v && (v.length > PERSON_LIMITS.employeeNumber || lineHasUnsafeChars(v)))
      return { ok: false, code: 'EMPLOYEE_NUMBER_INVALID', field: 'employeeNumber' };
    out.employeeNumber = v;
  }
  if (edit.department !== undefined) {
    const v = blankToNull(edit.department);
    if (v && (v.length > PERSON_LIMITS.department || lineHasUnsafeChars(v)))
      return { ok: false, code: 'DEPARTMENT_INVALID', field: 'department' };
    out.department = v;
  }
  return { ok: true, edit: out };
}

export const PersonResponse = Strict({ person: AdminPerson });
export type PersonResponse = Static<typeof PersonResponse>;

/** A badge's label as typed: one line of what a person types (protocol/text.ts). */
const BadgeLabel = Type.String({ maxLength: 100, pattern: SAFE_LINE });

/** Add a badge by its typed number, or by choosing an unknown badge tapped at a kiosk. */
export const AddBadgeRequest = Type.Union([
  Strict({ credential: Credential, label: Type.Optional(BadgeLabel) }),
  Strict({ unknownTapId: Id, label: Type.Optional(BadgeLabel) }),
]);
export type AddBadgeRequest = Static<typeof AddBadgeRequest>;

export const BadgeParams = Strict({ id: Id, badgeId: Id });
export type BadgeParams = Static<typeof BadgeParams>;

/** A badge's label, as the admin calls it ("spare card"); null or empty clears it. */
export const UpdateBadgeRequest = Strict({
  label: Nullable(Type.String({ maxLength: 1000, pattern: SAFE_LINE })),
});
export type UpdateBadgeRequest = Static<typeof UpdateBadgeRequest>;
export const BADGE_LABEL_MAX = 100;

export const UnknownTap = Strict({
  id: Id,
  hint: Type.String(),
  kioskId: Id,
  kioskName: Nullable(Type.String()),
  at: Timestamp,
  count: Type.Integer(),
});
export type UnknownTap = Static<typeof UnknownTap>;

export const UnknownTapsQuery = Strict({
  kioskId: Type.Optional(Id),
  /** Last tapped at or after. */
  from: Type.Optional(Timestamp),
  /** Last tapped before. */
  to: Type.Optional(Timestamp),
  /** `next` of the previous page. */
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type UnknownTapsQuery = Static<typeof UnknownTapsQuery>;

export const UnknownTapsResponse = Strict({
  /** Newest tap first. */
  taps: Type.Array(UnknownTap),
  /** How many match, over every page (always sent; optional for readers of the one-page list). */
  total: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Pass as `after` for the next page; null on the last. */
  next: Type.Optional(Nullable(Type.String())),
});
export type UnknownTapsResponse = Static<typeof UnknownTapsResponse>;

// ---------- kiosks ----------

export const KioskHealth = Strict({
  receivedAt: Timestamp,
  queueDepth: Type.Integer(),
  oldestUnsyncedAgeS: Nullable(Type.Number()),
  readers: Type.Array(ReaderHealth),
  clockOffsetMs: Nullable(Type.Number()),
  appVersion: Type.String(),
});
export type KioskHealth = Static<typeof KioskHealth>;

export const AdminKiosk = Strict({
  id: Id,
  name: Type.String(),
  state: Type.Union([
    Type.Literal('pending'),
    Type.Literal('online'),
    Type.Literal('offline'),
    Type.Literal('revoked'),
  ]),
  enrolledAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  lastSeenAt: Nullable(Timestamp),
  health: Nullable(KioskHealth),
});
export type AdminKiosk = Static<typeof AdminKiosk>;

export const AdminKiosksResponse = Strict({ kiosks: Type.Array(AdminKiosk), serverTime: Timestamp });
export type AdminKiosksResponse = Static<typeof AdminKiosksResponse>;

export const CreateKioskRequest = Strict({ name: Name });
export type CreateKioskRequest = Static<typeof CreateKioskRequest>;

export const CreateKioskResponse = Strict({
  kiosk: AdminKiosk,
  /** Shown once: only its hash is stored. */
  enrollmentCode: Type.String(),
  expiresAt: Timestamp,
});
export type CreateKioskResponse = Static<typeof CreateKioskResponse>;

export const KioskResponse = Strict({ kiosk: AdminKiosk });
export type KioskResponse = Static<typeof KioskResponse>;

// ---------- conflicts ----------

export const AdminConflict = Strict({
  id: Type.String(),
  status: Type.Union([Type.Literal('rejected'), Type.Literal('conflict')]),
  code: Nullable(ErrorCodeSchema),
  itemId: Id,
  itemName: Nullable(Type.String()),
  tx: TxEvidence,
  /** The other transaction this one collided with, when there is one. */
  other: Nullable(TxEvidence),
  resolvedAt: Nullable(Timestamp),
  resolvedBy: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  /** Who holds the item now, as the server's loans say (what a correction would change). */
  holder: Nullable(Strict({ userId: Id, userName: Type.String(), since: Timestamp })),
});
export type AdminConflict = Static<typeof AdminConflict>;

/** A page cursor the server wrote (`next`), opaque to the client. */
const PageCursor = Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' });
const PageLimit = Type.String({ pattern: '^[0-9]{1,3}$' });

export const ConflictsQuery = Strict({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')])),
  kioskId: Type.Optional(Id),
  code: Type.Optional(ErrorCodeSchema),
  /** Received at or after. */
  from: Type.Optional(Timestamp),
  /** Received before. */
  to: Type.Optional(Timestamp),
  /** `next` of the previous page. */
  after: Type.Optional(PageCursor),
  limit: Type.Optional(PageLimit),
});
export type ConflictsQuery = Static<typeof ConflictsQuery>;

export const ConflictsResponse = Strict({
  /** Newest received first. */
  conflicts: Type.Array(AdminConflict),
  /** How many match, over every page. */
  total: Type.Integer({ minimum: 0 }),
  /** Pass as `after` for the next page; null on the last. */
  next: Nullable(Type.String()),
});
export type ConflictsResponse = Static<typeof ConflictsResponse>;

export const ConflictParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type ConflictParams = Static<typeof ConflictParams>;

/** The kiosk id on transactions staff record from the dashboard (a correction of where an item is). */
export const STAFF_KIOSK_ID = 'dashboard';

export const ResolveConflictRequest = Strict({
  note: Note,
  /**
   * Where the item really is, if the loans should change: null, back (nobody holds it); a
   * person's id, with them from now on. Absent: the loans stay as they are.
   */
  holder: Type.Optional(Nullable(Id)),
});
export type ResolveConflictRequest = Static<typeof ResolveConflictRequest>;

export const ConflictResponse = Strict({ conflict: AdminConflict });
export type ConflictResponse = Static<typeof ConflictResponse>;

// ---------- manual loan actions (staff) ----------

export const CloseLoanRequest = Strict({ note: Note });
export type CloseLoanRequest = Static<typeof CloseLoanRequest>;

export const LoanResponse = Strict({ loan: AdminLoan });
export type LoanResponse = Static<typeof LoanResponse>;

// ---------- audit ----------

/** One field an edit changed (server/audit/record.ts). */
export const AuditChange = Strict({
  field: Type.String(),
  before: Nullable(Type.String()),
  after: Nullable(Type.String()),
});
export type AuditChange = Static<typeof AuditChange>;

export const AuditEntry = Strict({
  id: Type.String(),
  at: Timestamp,
  actorKind: Type.Union([Type.Literal('user'), Type.Literal('kiosk'), Type.Literal('system')]),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  /** The login session (access token id) or kiosk the change came from. */
  via: Nullable(Type.String()),
  action: Type.String(),
  targetKind: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  /** What the entry is about, by its name now; null when it has none or is gone. */
  targetName: Nullable(Type.String()),
  /** Whose loan or transaction the entry is about. */
  targetPerson: Nullable(Type.String()),
  /** A short account in words, for entries the dashboard has no sentence for. */
  detail: Nullable(Type.String()),
  /** For an edit: only the fields that changed, before and after (stored values: 'staff', not words). */
  changes: Nullable(Type.Array(AuditChange)),
  /** For a kiosk transaction: what happened, to whom and where. */
  tx: Nullable(
    Strict({
      kind: TxKind,
      status: Type.Union([Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('conflict')]),
      code: Nullable(Type.String()),
      userId: Type.String(),
      userName: Nullable(Type.String()),
      itemName: Nullable(Type.String()),
      kioskName: Nullable(Type.String()),
    }),
  ),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** The kinds of audit entry a person can filter by: an action's part before its dot; tx for kiosk transactions. */
export const AUDIT_KINDS = [
  'tx',
  'loan',
  'conflict',
  'item',
  'person',
  'badge',
  'kiosk',
  'policies',
  'reminders',
  'group',
  'sso',
  'scim-token',
  'reservation',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const AuditQuery = Strict({
  /** Entries strictly older than this cursor (`next` of a previous page). */
  before: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9]{15}:[at][A-Za-z0-9_-]{1,64}$' })),
  limit: Type.Optional(PageLimit),
  kind: Type.Optional(Type.Union(AUDIT_KINDS.map((k) => Type.Literal(k)))),
  /** Who acted: a person (at a kiosk, the person who tapped). */
  actorId: Type.Optional(Id),
  /** What it was about: a person, item or kiosk (a transaction's item). */
  targetId: Type.Optional(Id),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditResponse = Strict({
  entries: Type.Array(AuditEntry),
  /** How many match, over every page; with totalAtLeast, at least that many (counting stopped). */
  total: Type.Integer({ minimum: 0 }),
  totalAtLeast: Type.Boolean(),
  next: Nullable(Type.String()),
});
export type AuditResponse = Static<typeof AuditResponse>;

// ---------- reminders ----------

export const RunRemindersResponse = Strict({
  overdueLoans: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
});
export type RunRemindersResponse = Static<typeof RunRemindersResponse>;

// ---------- live events (server-sent) ----------

/** What a dashboard hears on /v1/admin/events: enough to refresh the right page. */
export const LiveEvent = Type.Union([
  Strict({
    type: Type.Literal('transactions'),
    kioskId: Id,
    applied: Type.Integer(),
    conflicts: Type.Integer(),
    rejected: Type.Integer(),
  }),
  Strict({ type: Type.Literal('kiosk'), kioskId: Id }),
  Strict({ type: Type.Literal('change'), what: Type.String() }),
]);
export type LiveEvent = Static<typeof LiveEvent>;

// ---------- system (server processes) ----------

/**
 * A server process as the System page shows it: alive (beating), draining (closing, the load
 * balancer takes it out), stopped (closed cleanly: its last word) or gone (silent for three
 * heartbeats: killed, crashed, or its machine lost).
 */
export const ReplicaStateSchema = Type.Union([
  Type.Literal('alive'),
  Type.Literal('draining'),
  Type.Literal('stopped'),
  Type.Literal('gone'),
]);
export type ReplicaStateName = Static<typeof ReplicaStateSchema>;

/** The route groups a server times its requests by (server/metrics/route-groups.ts). */
export const SystemRouteGroup = Type.Union([
  Type.Literal('tap'),
  Type.Literal('sync'),
  Type.Literal('catalog'),
  Type.Literal('heartbeat'),
  Type.Literal('dashboard'),
  Type.Literal('ops'),
  Type.Literal('other'),
]);
export type SystemRouteGroup = Static<typeof SystemRouteGroup>;

/** One route group's requests over a process's last heartbeat interval. */
export const RouteGroupFigures = Strict({
  group: SystemRouteGroup,
  /** Requests per second. */
  rps: Type.Number(),
  /** Latency quantiles in ms (interpolated within histogram buckets); null without requests. */
  p50Ms: Nullable(Type.Number()),
  p95Ms: Nullable(Type.Number()),
  /** Share of 5xx answers, 0..1. */
  errorRate: Type.Number(),
});
export type RouteGroupFigures = Static<typeof RouteGroupFigures>;

export const BackupStatus = Strict({ lastOkAt: Nullable(Timestamp), lastErrorAt: Nullable(Timestamp) });
export type BackupStatus = Static<typeof BackupStatus>;

/**
 * The daily overdue reminders: the channels configured (none: the job is off) and the last
 * run one of the servers made (one server of the fleet sends each day) and what it did.
 */
export const ReminderStatus = Strict({
  channels: Type.Array(Type.String()),
  lastRun: Nullable(
    Strict({ at: Timestamp, overdueLoans: Type.Integer(), sent: Type.Integer(), failed: Type.Integer() }),
  ),
});
export type ReminderStatus = Static<typeof ReminderStatus>;

export const DbPool = Strict({ inUse: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() });

/** What a process measured over its last heartbeat interval (written with the beat). */
export const ReplicaFiguresSchema = Strict({
  windowS: Type.Number(),
  /** Only the groups that had requests in the interval. */
  groups: Type.Array(RouteGroupFigures),
  streams: Type.Integer(),
  rssBytes: Type.Integer(),
  sqlite: Nullable(Strict({ dbBytes: Type.Integer(), walBytes: Type.Integer() })),
  /** PostgreSQL: the process's connection pool at the beat. */
  pool: Nullable(DbPool),
  backup: Nullable(BackupStatus),
  /** The overdue-reminder job as this process knows it; null from processes that predate it. */
  reminders: Nullable(ReminderStatus),
});
export type ReplicaFiguresSchema = Static<typeof ReplicaFiguresSchema>;

export const SystemReplica = Strict({
  id: Type.String(),
  /** host:port */
  host: Type.String(),
  pid: Type.Integer(),
  version: Type.String(),
  startedAt: Timestamp,
  lastBeatAt: Timestamp,
  state: ReplicaStateSchema,
  /** The process that answered this request. */
  self: Type.Boolean(),
  figures: Nullable(ReplicaFiguresSchema),
  /**
   * One point per heartbeat over the last hour, oldest first: requests per second over all
   * route groups, the slowest group's p95, and the share of 5xx answers.
   */
  history: Type.Array(
    Strict({ at: Timestamp, rps: Type.Number(), p95Ms: Nullable(Type.Number()), errorRate: Type.Number() }),
  ),
});
export type SystemReplica = Static<typeof SystemReplica>;

export const SystemResponse = Strict({
  serverTime: Timestamp,
  /** How often each process writes its heartbeat; gone after three missed. */
  beatIntervalS: Type.Integer(),
  /** Running processes, and those stopped or gone within the last day; alive first. */
  replicas: Type.Array(SystemReplica),
  /** Processes stopped or gone longer ago (kept a week), not listed. */
  olderReplicas: Type.Integer(),
  database: Strict({
    kind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    /** SQLite file and WAL sizes, from the freshest running process's last beat; null for PostgreSQL. */
    dbBytes: Nullable(Type.Integer()),
    walBytes: Nullable(Type.Integer()),
    measuredAt: Nullable(Timestamp),
    /** PostgreSQL: the connection pools of the running processes, summed; null for SQLite. */
    pool: Nullable(DbPool),
  }),
  /** Dashboard live streams open, summed over running processes. */
  streams: Type.Integer(),
  /** The embedded server's scheduled backups (latest over the processes); null for PostgreSQL. */
  backup: Nullable(BackupStatus),
  /** The newest reminder run any listed process made, and the channels configured. */
  reminders: Nullable(ReminderStatus),
});
export type SystemResponse = Static<typeof SystemResponse>;
