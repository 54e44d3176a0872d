/** Kiosk-facing routes: enrollment, badge tap, catalog. */
import { Type, type Static } from '@sinclair/typebox';
import { Credential } from '../credentials.ts';
import { ITEM_CONDITIONS } from '../lending.ts';
import { CompactJwt, Id, KitParts, Role, Strict, Timestamp } from './common.ts';
import { Jwk } from './health.ts';
import { PolicySet, SuspensionFacts } from './policies.ts';

export const EnrollRequest = Strict({
  code: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Z0-9-]+$' }),
  publicJwk: Jwk,
});
export type EnrollRequest = Static<typeof EnrollRequest>;

export const EnrollResponse = Strict({
  kioskId: Id,
  name: Type.String(),
  issuer: Type.String(),
});
export type EnrollResponse = Static<typeof EnrollResponse>;

export const LoanSummary = Strict({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  borrowedAt: Timestamp,
  dueAt: Timestamp,
  /** Protocol 5: how many times the loan was renewed (protocol/renewals.ts). */
  renewals: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type LoanSummary = Static<typeof LoanSummary>;

export const SessionUser = Strict({
  id: Id,
  displayName: Type.String({ maxLength: 200 }),
  role: Role,
});
export type SessionUser = Static<typeof SessionUser>;

export const TapRequest = Strict({ credential: Credential });
export type TapRequest = Static<typeof TapRequest>;

export const TapResponse = Strict({
  token: CompactJwt,
  expiresAt: Timestamp,
  user: SessionUser,
  loans: Type.Array(LoanSummary),
  maxLoans: Type.Integer({ minimum: 0 }),
  /** Protocol 3: an admin's suspension of this person's borrowing (null: none). */
  suspension: Type.Optional(Type.Union([SuspensionFacts, Type.Null()])),
});
export type TapResponse = Static<typeof TapResponse>;

export const ItemConditionSchema = Type.Union(ITEM_CONDITIONS.map((c) => Type.Literal(c)));

export const CatalogItem = Strict({
  id: Id,
  tag: Type.String({ maxLength: 128 }),
  name: Type.String({ maxLength: 200 }),
  category: Type.String({ maxLength: 100 }),
  loanDays: Type.Integer({ minimum: 1 }),
  restrictedTo: Type.Union([Role, Type.Null()]),
  /** The locker this item lives in, whose relay opens after a committed borrow or return. */
  lockerSlot: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  onLoan: Type.Boolean(),
  retired: Type.Boolean(),
  /** Absent from servers before conditions existed: 'ok'. Only an 'ok' item is lent. */
  condition: Type.Optional(ItemConditionSchema),
  /**
   * Protocol 4: the first name only (protocol/names.ts) of whoever holds it on loan, so a
   * person returning someone else's item is told whose it was; null when it is not on loan.
   */
  heldBy: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  /**
   * Protocol 5: the hash of the item's photo (null: none). The kiosk fetches its thumbnail
   * from /v1/item-photos/<hash>/thumb once and keeps it; a new photo is a new hash.
   */
  photo: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9a-f]{64}$' }), Type.Null()])),
  /** Protocol 7: a kit's named parts (empty: no kit), which the return screen asks after. */
  parts: Type.Optional(KitParts),
});
export type CatalogItem = Static<typeof CatalogItem>;

export const CatalogQuery = Strict({
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
  /** Protocol 5: the `next` token of the page before (opaque; the cursor is then not sent). */
  page: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,400}\\.[A-Za-z0-9_-]{43}$' })),
});
export type CatalogQuery = Static<typeof CatalogQuery>;

/**
 * Protocol 6: one reservation the kiosk must keep to (issue 16): whose it is (the person's id,
 * as the tap answer and the offline roster name them; nothing more about them), the item by
 * name or any one of `category`, and its window. The rules are protocol/reservations.ts.
 */
export const CatalogReservation = Strict({
  id: Id,
  /** The item reserved by name; null for any one of `category`. */
  itemId: Type.Union([Id, Type.Null()]),
  /** The category reserved, or (for an item) the item's category. */
  category: Type.String({ maxLength: 100 }),
  userId: Id,
  startsAt: Timestamp,
  endsAt: Timestamp,
});
export type CatalogReservation = Static<typeof CatalogReservation>;

/**
 * Protocol 6: the active reservations whose pickup time is now or within the next days
 * (KIOSK_RESERVATION_DAYS), whole with every answer, and how long after its start a
 * reservation is held for pickup.
 */
export const CatalogReservations = Strict({
  pickupGraceMs: Type.Integer({ minimum: 0 }),
  held: Type.Array(CatalogReservation, { maxItems: 10000 }),
});
export type CatalogReservations = Static<typeof CatalogReservations>;

/** How far ahead a kiosk is told of reservations: long enough to ride out an outage. */
export const KIOSK_RESERVATION_DAYS = 7;

export const CatalogResponse = Strict({
  /** Opaque to the kiosk: pass it back to get only what changed since. */
  cursor: Type.String(),
  /** True when `items` is the whole catalog rather than changes since the cursor. */
  full: Type.Boolean(),
  serverTime: Timestamp,
  items: Type.Array(CatalogItem),
  /**
   * Protocol 3: the lending policies in force, with every answer (they are small), so an
   * offline kiosk judges a cart and a due date by the rules the server will judge it by.
   */
  policies: Type.Optional(PolicySet),
  /**
   * Protocol 5: the answer is one page of CATALOG_PAGE_SIZE items (by item id); this token
   * fetches the next one, null on the last page. Every page of one pull carries the same
   * `cursor` and `full`; the kiosk applies the set only once the last page is here.
   */
  next: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** Protocol 6: the reservations to keep to, on every page; the kiosk keeps the last page's. */
  reservations: Type.Optional(CatalogReservations),
});
export type CatalogResponse = Static<typeof CatalogResponse>;

/**
 * Service mode at the kiosk: an admin's rental token (checked by the server: admin, active,
 * this kiosk) plus the device assertion authorise listing people and enrolling a badge.
 */
export const KioskPeopleRequest = Strict({ token: CompactJwt });
export type KioskPeopleRequest = Static<typeof KioskPeopleRequest>;

/**
 * Protocol 4: what tells two people of one name apart in the enrol list (from the directory
 * or the admin; null when not known).
 */
export const PersonDistinction = {
  department: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  employeeNumber: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
};

export const KioskPeopleResponse = Strict({
  people: Type.Array(Strict({ id: Id, displayName: Type.String({ maxLength: 200 }), ...PersonDistinction }), {
    maxItems: 5000,
  }),
});
export type KioskPeopleResponse = Static<typeof KioskPeopleResponse>;

export const KioskBadgeEnrolRequest = Strict({ token: CompactJwt, userId: Id, credential: Credential });
export type KioskBadgeEnrolRequest = Static<typeof KioskBadgeEnrolRequest>;

export const KioskBadgeEnrolResponse = Strict({ userId: Id, displayName: Type.String({ maxLength: 200 }) });
export type KioskBadgeEnrolResponse = Static<typeof KioskBadgeEnrolResponse>;

/** One badge reader's state as the kiosk sees it. */
export const ReaderHealth = Strict({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.String({ minLength: 1, maxLength: 32 }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('absent'), Type.Literal('error')]),
  detail: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ReaderHealth = Static<typeof ReaderHealth>;

/** A kiosk's periodic report of its own health, shown live on the dashboard. */
export const HeartbeatRequest = Strict({
  appVersion: Type.String({ minLength: 1, maxLength: 64 }),
  /** Outbox rows not yet acknowledged by the server. */
  queueDepth: Type.Integer({ minimum: 0 }),
  /** Age in seconds of the oldest unacknowledged row, null when the queue is empty. */
  oldestUnsyncedAgeS: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  readers: Type.Array(ReaderHealth, { maxItems: 16 }),
  /** Kiosk clock minus server clock in ms, null until measured. */
  clockOffsetMs: Type.Union([Type.Number(), Type.Null()]),
});
export type HeartbeatRequest = Static<typeof HeartbeatRequest>;

export const HeartbeatResponse = Strict({
  serverTime: Timestamp,
  /**
   * This kiosk's transactions that still wait for a person on the dashboard (conflicts and
   * rejections not yet resolved): the service screen's count, so one resolved on the
   * dashboard stops counting here. Absent from older servers.
   */
  openConflicts: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * The highest sequence number the server holds from this kiosk (0: none). Lower than rows
   * the kiosk holds as answered means the server lost them (restored from a backup): the
   * kiosk sends those again. Absent from older servers.
   */
  lastSeq: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type HeartbeatResponse = Static<typeof HeartbeatResponse>;

/** How often a kiosk should send a heartbeat; the dashboard calls it offline after three missed. */
export const HEARTBEAT_INTERVAL_S = 30;

/**
 * The offline roster (DESIGN.md, Badge tap -> session, step 3): who may start a session
 * while the server is unreachable. Signed by the server as a JWT (`typ: roster+jwt`,
 * aud this kiosk); badges appear only as slow, salted hashes under this kiosk's own
 * roster key (protocol/tokens.ts, OFFLINE_BADGE_LABEL), so the roster alone gives a badge
 * number only to a search that pays a full scrypt per guess.
 */
export const RosterEntry = Strict({
  /** base64url of the first 32 bytes of scrypt(badge secret, this kiosk's roster key). */
  h: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
  userId: Id,
  displayName: Type.String({ maxLength: 200 }),
  role: Role,
  /** Loans open at the server when the roster was signed. */
  openLoans: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});
export type RosterEntry = Static<typeof RosterEntry>;

/** The cost of each entry's hash; bounded so a roster cannot make a kiosk hash for seconds. */
export const RosterKdf = Strict({
  alg: Type.Literal('scrypt'),
  N: Type.Integer({ minimum: 1024, maximum: 65536 }),
  r: Type.Integer({ minimum: 1, maximum: 16 }),
  p: Type.Integer({ minimum: 1, maximum: 4 }),
});
export type RosterKdf = Static<typeof RosterKdf>;

export const RosterClaims = Strict({
  entries: Type.Array(RosterEntry),
  /** Most loans one person may hold after borrowing offline. */
  maxLoans: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  /** Most items one person may borrow in one offline session. */
  maxOfflineBorrows: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  kdf: RosterKdf,
});
export type RosterClaims = Static<typeof RosterClaims>;

export const RosterResponse = Strict({
  /** A compact JWT like any other, but it carries everyone: not held to CompactJwt's 4 KB. */
  roster: Type.String({
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$',
    maxLength: 16 * 1024 * 1024,
  }),
  /**
   * This kiosk's own roster key (the scrypt salt of every entry), base64url; the kiosk keeps
   * it in its data dir. Derived for this kiosk and its key generation: another kiosk's
   * roster, or this one's after a revoke, is hashed under another key.
   */
  rosterKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
  expiresAt: Timestamp,
});
export type RosterResponse = Static<typeof RosterResponse>;
