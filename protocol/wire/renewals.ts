/**
 * Renewals on the dashboard: a member's own loans (GET /v1/people/me/loans/current and
 * /past, POST /v1/people/me/loans/:id/renew) and staff renewing anyone's
 * (GET /v1/admin/loans/:id/renewal, POST /v1/admin/loans/:id/renew). The rule is
 * protocol/renewals.ts; these carry its verdict with the numbers a person needs.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ErrorCodeSchema, Id, Strict, Timestamp } from './common.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

/** Why a loan may not be renewed now (protocol/renewals.ts RenewalRefusal, dates as ISO). */
export const RenewalRefusalBody = Strict({
  code: ErrorCodeSchema,
  limit: Type.Optional(Count),
  used: Type.Optional(Count),
  dueAt: Type.Optional(Timestamp),
  until: Type.Optional(Type.String()),
  note: Type.Optional(Nullable(Type.String())),
  overdue: Type.Optional(Count),
  category: Type.Optional(Type.String()),
  have: Type.Optional(Count),
  canTake: Type.Optional(Count),
});
export type RenewalRefusalBody = Static<typeof RenewalRefusalBody>;

/** What renewing one loan now would do: its new due date, or the rule that stops it. */
export const RenewalPreview = Strict({
  loanId: Id,
  itemName: Type.String(),
  userName: Type.String(),
  dueAt: Timestamp,
  /** Renewals made so far, and how many the rule allows for this person and item. */
  renewals: Count,
  limit: Count,
  newDueAt: Nullable(Timestamp),
  refusal: Nullable(RenewalRefusalBody),
});
export type RenewalPreview = Static<typeof RenewalPreview>;

export const RenewalPreviewResponse = Strict({ renewal: RenewalPreview });
export type RenewalPreviewResponse = Static<typeof RenewalPreviewResponse>;

/** A member's loan still out, with what renewing it would do. */
export const MyCurrentLoan = Strict({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  borrowedAt: Timestamp,
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  renewal: RenewalPreview,
});
export type MyCurrentLoan = Static<typeof MyCurrentLoan>;

export const MyCurrentLoansResponse = Strict({ loans: Type.Array(MyCurrentLoan) });
export type MyCurrentLoansResponse = Static<typeof MyCurrentLoansResponse>;

export const MyPastLoan = Strict({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  itemTag: Type.String(),
  borrowedAt: Timestamp,
  dueAt: Timestamp,
  returnedAt: Timestamp,
  /** Came back after its due date. */
  late: Type.Boolean(),
});
export type MyPastLoan = Static<typeof MyPastLoan>;

export const MyPastLoansQuery = Strict({
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type MyPastLoansQuery = Static<typeof MyPastLoansQuery>;

export const MyPastLoansResponse = Strict({
  /** Newest borrow first. */
  loans: Type.Array(MyPastLoan),
  total: Count,
  next: Nullable(Type.String()),
});
export type MyPastLoansResponse = Static<typeof MyPastLoansResponse>;

/** The loan after a renewal. */
export const RenewResponse = Strict({ renewal: RenewalPreview });
export type RenewResponse = Static<typeof RenewResponse>;

/**
 * A renewal as the person confirmed it: the due date they saw (optional; older callers send
 * {}). When the loan is no longer due then (this renewal was already made by a double click,
 * a retry or another tab, or staff moved it), nothing is extended a second time and the
 * answer is the loan as it is.
 */
export const RenewRequest = Strict({ dueAt: Type.Optional(Timestamp) });
export type RenewRequest = Static<typeof RenewRequest>;
