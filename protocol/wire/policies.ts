/**
 * The lending policies' wire shape: what an admin edits (GET/PUT /v1/admin/policies) and what
 * kiosks of protocol 3 receive with the catalog. The rules themselves are protocol/policies.ts.
 *
 * Numbers are plain integers here, not bounded by the schema: a negative limit is a policy
 * problem with its own code (POLICY_LIMIT_INVALID, from validatePolicies), not a bare
 * BAD_REQUEST, so the admin is told what is wrong in their language.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Role, Strict } from './common.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });

/** 'HH:MM', 00:00 to 23:59 (a closing time is a moment of its own day). */
export const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
/** A calendar date in the lending room's time zone. */
export const CalendarDate = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
export const CategoryName = Type.String({ minLength: 1, maxLength: 100 });

export const OpeningHours = Strict({ open: ClockTime, close: ClockTime });
export type OpeningHours = Static<typeof OpeningHours>;

/** Everything a rule can say; the default rule says all of it. */
const ruleFields = {
  /** Days of a loan; null: the item's own loan period. */
  loanDays: Nullable(Count),
  /** Items one person may hold at once, all categories together (role and default rules only). */
  maxItems: Count,
  /** Items of one category one person may hold at once; null: no limit beyond maxItems. */
  maxPerCategory: Nullable(Count),
  /** How many times one loan may be extended. */
  maxRenewals: Count,
  /** Whether the role may borrow the category at all. */
  mayBorrow: Type.Boolean(),
};

export const DefaultRule = Strict(ruleFields);
export type DefaultRule = Static<typeof DefaultRule>;

/**
 * A rule for a category, a role, or both: it says only what differs; the rest comes from the
 * next rule in the fallback order (category+role, category, role, default).
 */
export const PolicyRule = Strict({
  category: Nullable(CategoryName),
  role: Nullable(Role),
  loanDays: Type.Optional(ruleFields.loanDays),
  maxItems: Type.Optional(ruleFields.maxItems),
  maxPerCategory: Type.Optional(ruleFields.maxPerCategory),
  maxRenewals: Type.Optional(ruleFields.maxRenewals),
  mayBorrow: Type.Optional(ruleFields.mayBorrow),
});
export type PolicyRule = Static<typeof PolicyRule>;

export const PolicySet = Strict({
  /** The lending room's IANA time zone: hours and closed days are its local time. */
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  /**
   * Opening hours by weekday, Sunday first (JavaScript's getDay order); null for a weekday the
   * room is closed. Null for the whole: no hours kept, a loan is due at the time it was lent,
   * days later (moved past closed days).
   */
  hours: Nullable(Type.Array(Nullable(OpeningHours), { minItems: 7, maxItems: 7 })),
  /** Dates the room is closed (holidays), in its time zone. */
  closedDays: Type.Array(CalendarDate, { maxItems: 400, uniqueItems: true }),
  /** Whether an overdue loan stops its holder borrowing more. */
  blockOverdue: Type.Boolean(),
  default: DefaultRule,
  rules: Type.Array(PolicyRule, { maxItems: 500 }),
});
export type PolicySet = Static<typeof PolicySet>;

/** The stored policies with who changed them last; the dashboard's GET answer. */
export const PoliciesResponse = Strict({
  policies: PolicySet,
  /** Null while the built-in default stands (nothing saved yet). */
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
  /** This version of the set (also the ETag): sent back in If-Match, a save is refused if someone saved since. */
  version: Type.String({ maxLength: 40 }),
});
export type PoliciesResponse = Static<typeof PoliciesResponse>;

/** An admin's suspension of a person: no borrowing until `until` (returns still go). */
export const SuspensionRequest = Strict({
  until: CalendarDate,
  note: Type.String({ maxLength: 500 }),
});
export type SuspensionRequest = Static<typeof SuspensionRequest>;

/** A person's suspension as the kiosk gets it with the tap (protocol 3). */
export const SuspensionFacts = Strict({
  until: CalendarDate,
  note: Nullable(Type.String({ maxLength: 500 })),
});
export type SuspensionFacts = Static<typeof SuspensionFacts>;

export const SuspensionEntry = Strict({
  userId: Type.String(),
  displayName: Type.String(),
  until: CalendarDate,
  note: Nullable(Type.String()),
});
export const SuspensionsResponse = Strict({ suspensions: Type.Array(SuspensionEntry) });
export type SuspensionsResponse = Static<typeof SuspensionsResponse>;
