/**
 * Reservations on the dashboard (issue 16): a member's own (GET/POST /v1/people/me/reservations,
 * POST /v1/people/me/reservations/:id/cancel, GET /v1/people/me/availability) and staff for
 * anyone (the same under /v1/admin/reservations and /v1/admin/availability). The rules are
 * protocol/reservations.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Strict, Timestamp } from './common.ts';
import { CategoryName } from './policies.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const ReservationStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('picked_up'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

export const Reservation = Strict({
  id: Id,
  /** The item reserved by name; null for "any one of" the category. */
  itemId: Nullable(Id),
  itemName: Nullable(Type.String()),
  itemTag: Nullable(Type.String()),
  category: Type.String(),
  userId: Id,
  userName: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  /** Not picked up by then, it expires and frees the item. */
  pickupUntil: Timestamp,
  status: ReservationStatusSchema,
  createdByName: Nullable(Type.String()),
  createdAt: Timestamp,
  loanId: Nullable(Id),
  endedAt: Nullable(Timestamp),
});
export type Reservation = Static<typeof Reservation>;

/** An item by name or one of a category (exactly one); staff may name the person. */
export const CreateReservationRequest = Strict({
  itemId: Type.Optional(Id),
  category: Type.Optional(CategoryName),
  userId: Type.Optional(Id),
  startsAt: Timestamp,
  endsAt: Timestamp,
});
export type CreateReservationRequest = Static<typeof CreateReservationRequest>;

export const ReservationResponse = Strict({ reservation: Reservation });
export type ReservationResponse = Static<typeof ReservationResponse>;

export const ReservationListQuery = Strict({
  status: Type.Optional(
    Type.Union([
      Type.Literal('current'),
      Type.Literal('all'),
      Type.Literal('active'),
      Type.Literal('picked_up'),
      Type.Literal('cancelled'),
      Type.Literal('expired'),
    ]),
  ),
  userId: Type.Optional(Id),
  itemId: Type.Optional(Id),
  category: Type.Optional(CategoryName),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type ReservationListQuery = Static<typeof ReservationListQuery>;

export const ReservationListResponse = Strict({
  /** By start, then id. */
  reservations: Type.Array(Reservation),
  total: Count,
  next: Nullable(Type.String()),
});
export type ReservationListResponse = Static<typeof ReservationListResponse>;

export const AvailabilityQuery = Strict({
  item: Type.Optional(Id),
  category: Type.Optional(CategoryName),
  from: Timestamp,
  to: Timestamp,
});
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const AvailabilityResponse = Strict({
  itemId: Nullable(Id),
  itemName: Nullable(Type.String()),
  category: Type.String(),
  /** Items of the category that can be lent at all (1 or 0 for an item). */
  lendable: Count,
  from: Timestamp,
  to: Timestamp,
  /** What is free when, in order, covering [from, to). */
  segments: Type.Array(Strict({ startsAt: Timestamp, endsAt: Timestamp, free: Count })),
  /** What is booked in the window; whose it is only for staff or the person's own. */
  bookings: Type.Array(
    Strict({
      kind: Type.Union([Type.Literal('reservation'), Type.Literal('loan')]),
      itemName: Nullable(Type.String()),
      startsAt: Timestamp,
      endsAt: Timestamp,
      mine: Type.Boolean(),
      who: Nullable(Type.String()),
    }),
  ),
});
export type AvailabilityResponse = Static<typeof AvailabilityResponse>;

/** What a person may reserve: each category with its items that can be lent to them. */
export const ReservableResponse = Strict({
  categories: Type.Array(
    Strict({
      category: Type.String(),
      items: Type.Array(Strict({ id: Id, tag: Type.String(), name: Type.String() })),
    }),
  ),
});
export type ReservableResponse = Static<typeof ReservableResponse>;
