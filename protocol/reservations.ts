/**
 * Reservations: whether a window may be booked, whether it collides with what is booked
 * already, and whether a reservation holds an item back from someone at a moment. Pure; the
 * server applies it when a reservation is made, at sync (a kiosk's borrow of a reserved
 * item, a renewal running into one) and for the availability view; the kiosk can apply the
 * same code to the reservations it holds with its catalog (STYLE.md rule 17).
 *
 * Decisions (where the issue is silent):
 * - Windows are half-open, [startsAt, endsAt): one that ends at 10:00 and one that starts
 *   at 10:00 do not collide, so a room can book a camera back to back.
 * - "Any one of a category" is a count, not an assignment: at every moment of the window,
 *   the category's reservations plus the items of it reserved by name or out on loan must not
 *   outnumber its lendable items. Counts only rise where a booking starts, so checking the
 *   window's start and each booking's start inside it is enough.
 * - A loan occupies its item from its start until its due date; an overdue loan until now
 *   (it is expected back, and a reservation made later than now cannot wait for it forever).
 * - A reservation holds its item back only for its pickup time: from its start until
 *   `graceMs` later (or its end, if sooner). Not picked up by then, it expires and frees the
 *   item (server/maintenance/reservation-expiry.ts). Before its start the item lends freely
 *   (a loan that runs into the window is the renewal rule's concern and the dashboard's view).
 * - A start a little in the past (PAST_SLACK_MS) is "now": a form filled in a minute ago.
 */
import type { ErrorCode } from './errors.ts';

export const MINUTE_MS = 60_000;
/** How far in the past a window may start and still mean "from now". */
export const PAST_SLACK_MS = 15 * MINUTE_MS;

export const RESERVATION_STATUSES = ['active', 'picked_up', 'cancelled', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export type Window = { startsAt: number; endsAt: number };

/** How long and how far ahead a reservation may be (server config; no limit when absent). */
export type ReservationLimits = { maxDays?: number | null; maxLeadDays?: number | null };

/**
 * Something that occupies an item, or one of a category, over a window: a reservation (item
 * or category) or a loan (always an item). `personId` is who it is for.
 */
export type Booking = Window & {
  id: string;
  kind: 'reservation' | 'loan';
  itemId: string | null;
  category: string | null;
  personId: string;
};

/** Why a window cannot be booked, with what a person needs to understand it. */
export type ReservationRefusal =
  | { code: 'RESERVATION_WINDOW_INVALID' }
  | { code: 'RESERVATION_IN_PAST' }
  | { code: 'RESERVATION_TOO_LONG'; maxDays: number }
  | { code: 'RESERVATION_TOO_FAR'; maxLeadDays: number }
  /** Booked already over part of the window: the first booking in the way, and when it ends. */
  | { code: 'RESERVATION_CONFLICT'; bookingId: string; kind: Booking['kind']; freeAt: number };

const DAY = 24 * 60 * MINUTE_MS;

/** Whether two half-open windows share a moment. */
export const overlaps = (a: Window, b: Window): boolean => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** What is wrong with this window as a new reservation at `now`, or null. */
export function windowProblem(
  w: Window,
  now: number,
  limits: ReservationLimits = {},
): ReservationRefusal | null {
  if (!Number.isFinite(w.startsAt) || !Number.isFinite(w.endsAt) || w.endsAt <= w.startsAt)
    return { code: 'RESERVATION_WINDOW_INVALID' };
  if (w.startsAt < now - PAST_SLACK_MS) return { code: 'RESERVATION_IN_PAST' };
  if (limits.maxDays && w.endsAt - w.startsAt > limits.maxDays * DAY)
    return { code: 'RESERVATION_TOO_LONG', maxDays: limits.maxDays };
  if (limits.maxLeadDays && w.startsAt - now > limits.maxLeadDays * DAY)
    return { code: 'RESERVATION_TOO_FAR', maxLeadDays: limits.maxLeadDays };
  return null;
}

/** The window a loan occupies its item: to its due date, or to now while it is overdue. */
export const loanWindow = (loan: { borrowedAt: number; dueAt: number }, now: number): Window => ({
  startsAt: loan.borrowedAt,
  endsAt: Math.max(loan.dueAt, now),
});

export type CategoryFacts = {
  category: string;
  /** The category's items that can be lent at all (not retired, condition ok), by id. */
  lendable: readonly string[];
  /** Everything booked on the category or its items (active reservations, open loans). */
  bookings: readonly Booking[];
};

/**
 * Whether `candidate` (an item, or one of the category) can be booked over its window next
 * to what is booked: null, or the booking in the way. Bookings with the candidate's own id
 * are not counted (a loan being renewed is its own candidate).
 */
export function bookingConflict(
  candidate: Window & { id?: string; itemId: string | null },
  facts: CategoryFacts,
): ReservationRefusal | null {
  const others = facts.bookings.filter((b) => b.id !== candidate.id && overlaps(b, candidate));
  if (candidate.itemId !== null) {
    const onItem = others
      .filter((b) => b.itemId === candidate.itemId)
      .sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt);
    const first = onItem[0];
    if (first) return conflictWith(first, others);
  }
  // Counts rise only where a booking starts: check there, and at the window's start.
  const moments = [
    candidate.startsAt,
    ...others.map((b) => b.startsAt).filter((t) => t > candidate.startsAt),
  ].sort((a, b) => a - b);
  const lendable = new Set(facts.lendable);
  for (const t of moments) {
    const at = others.filter((b) => b.startsAt <= t && t < b.endsAt);
    const busy = new Set(at.filter((b) => b.itemId !== null && lendable.has(b.itemId)).map((b) => b.itemId));
    if (candidate.itemId !== null && lendable.has(candidate.itemId)) busy.add(candidate.itemId);
    const wantAny = at.filter((b) => b.itemId === null).length + (candidate.itemId === null ? 1 : 0);
    if (wantAny > lendable.size - busy.size) {
      // The booking that ends first is the one whose end frees room soonest.
      const blocker = [...at].sort((a, b) => a.endsAt - b.endsAt)[0];
      if (!blocker) return { code: 'RESERVATION_CONFLICT', bookingId: '', kind: 'reservation', freeAt: t };
      return conflictWith(blocker, others);
    }
  }
  return null;
}

function conflictWith(b: Booking, others: readonly Booking[]): ReservationRefusal {
  // Free again when this booking and every booking of the same item that follows on ends.
  let freeAt = b.endsAt;
  for (const o of [...others].sort((x, y) => x.startsAt - y.startsAt))
    if (o.itemId !== null && o.itemId === b.itemId && o.startsAt <= freeAt && o.endsAt > freeAt)
      freeAt = o.endsAt;
  return { code: 'RESERVATION_CONFLICT', bookingId: b.id, kind: b.kind, freeAt };
}

/**
 * How long before its start a reservation may be picked up by its holder: someone who comes a
 * little early and finds the item on the shelf takes it as their reservation (it is shown to
 * them first, and the borrow fulfils it) instead of leaving a reservation to lapse behind a
 * loan of the very item. It holds nothing back from anyone else before its start.
 */
export const EARLY_PICKUP_MS = 2 * 60 * 60_000;

/** The moments a reservation holds its item back: its pickup time, from its start. */
export const pickupWindow = (r: Window, graceMs: number): Window => ({
  startsAt: r.startsAt,
  endsAt: Math.min(r.endsAt, r.startsAt + graceMs),
});

const heldAt = (r: Window, at: number, graceMs: number) => {
  const w = pickupWindow(r, graceMs);
  return w.startsAt <= at && at < w.endsAt;
};

/** Whether the holder may pick the reservation up at `at`: its pickup time, or a little before. */
export const pickableAt = (r: Window, at: number, graceMs: number): boolean => {
  const w = pickupWindow(r, graceMs);
  return w.startsAt - EARLY_PICKUP_MS <= at && at < w.endsAt;
};

export type ReservationFacts = Window & {
  id: string;
  itemId: string | null;
  category: string | null;
  personId: string;
};

/**
 * Whether a reservation for someone else stops `personId` borrowing `item` at `at`: a
 * reservation of this item, or of its category when taking it would leave fewer free items
 * than the category's reservations waiting to be picked up. `freeInCategory`: the category's
 * items that are lendable and not on loan at `at` (this one among them).
 */
export function reservationBlock(args: {
  item: { id: string; category: string };
  personId: string;
  at: number;
  graceMs: number;
  reservations: readonly ReservationFacts[];
  freeInCategory: readonly string[];
}): ReservationFacts | null {
  const held = args.reservations.filter((r) => heldAt(r, args.at, args.graceMs));
  const forOthers = held.filter((r) => r.personId !== args.personId);
  const onItem = forOthers.find((r) => r.itemId === args.item.id);
  if (onItem) return onItem;
  const waiting = forOthers.filter((r) => r.itemId === null && r.category === args.item.category);
  if (waiting.length === 0) return null;
  // Items reserved by name are not free for a category's reservations; the person's own
  // reservation of this very item means taking it costs the category nothing.
  const named = new Set(held.map((r) => r.itemId).filter((id): id is string => id !== null));
  if (named.has(args.item.id)) return null;
  const free = args.freeInCategory.filter((id) => !named.has(id));
  return free.length - 1 < waiting.length ? waiting[0]! : null;
}

/**
 * The person's own reservation a borrow of `item` at `at` picks up: one of this item first,
 * else one of its category; null when they have none waiting. From EARLY_PICKUP_MS before
 * its start.
 */
export function reservationPickedUp(args: {
  item: { id: string; category: string };
  personId: string;
  at: number;
  graceMs: number;
  reservations: readonly ReservationFacts[];
}): ReservationFacts | null {
  const mine = args.reservations
    .filter((r) => r.personId === args.personId && pickableAt(r, args.at, args.graceMs))
    .sort((a, b) => a.startsAt - b.startsAt);
  return (
    mine.find((r) => r.itemId === args.item.id) ??
    mine.find((r) => r.itemId === null && r.category === args.item.category) ??
    null
  );
}

/**
 * Whether renewing a loan of `item` to `newDueAt` runs into someone else's reservation:
 * the loan, extended, is booked against the reservations of others (the person's own do not
 * stop them keeping the item). Null, or the reservation in the way.
 */
export function renewalCollision(args: {
  loan: { id: string; itemId: string; personId: string; dueAt: number };
  newDueAt: number;
  now: number;
  facts: CategoryFacts;
}): Booking | null {
  const from = Math.max(args.loan.dueAt, args.now);
  if (args.newDueAt <= from) return null;
  const extension: Window = { startsAt: from, endsAt: args.newDueAt };
  const bookings = args.facts.bookings.filter(
    (b) => b.id !== args.loan.id && !(b.kind === 'reservation' && b.personId === args.loan.personId),
  );
  if (
    !bookingConflict(
      { id: args.loan.id, itemId: args.loan.itemId, ...extension },
      { ...args.facts, bookings },
    )
  )
    return null;
  // Only reservations ask for an item (loans hold one already): the first one in the way.
  return (
    bookings
      .filter(
        (b) =>
          b.kind === 'reservation' &&
          overlaps(b, extension) &&
          (b.itemId === args.loan.itemId || (b.itemId === null && b.category === args.facts.category)),
      )
      .sort((a, b) => a.startsAt - b.startsAt)[0] ?? null
  );
}

/** Codes a reservation can be refused with, for the words tables' completeness. */
export const RESERVATION_CODES = [
  'RESERVATION_WINDOW_INVALID',
  'RESERVATION_IN_PAST',
  'RESERVATION_TOO_LONG',
  'RESERVATION_TOO_FAR',
  'RESERVATION_CONFLICT',
] as const satisfies readonly ErrorCode[];

/** One stretch of time with the same number of items free (the availability view). */
export type FreeSegment = Window & { free: number };

/**
 * What is free when over [from, to): for an item 1 or 0, for a category how many of its
 * lendable items no booking asks for (never below 0). Segments break where a booking starts
 * or ends; neighbours with the same count are merged.
 */
export function freeSegments(
  target: { itemId: string | null },
  facts: CategoryFacts,
  from: number,
  to: number,
): FreeSegment[] {
  if (to <= from) return [];
  const inside = facts.bookings.filter((b) => overlaps(b, { startsAt: from, endsAt: to }));
  const cuts = new Set([from, to]);
  for (const b of inside) for (const t of [b.startsAt, b.endsAt]) if (t > from && t < to) cuts.add(t);
  const points = [...cuts].sort((a, b) => a - b);
  const lendable = new Set(facts.lendable);
  const out: FreeSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const t = points[i]!;
    const at = inside.filter((b) => b.startsAt <= t && t < b.endsAt);
    let free: number;
    if (target.itemId !== null)
      free = lendable.has(target.itemId) && !at.some((b) => b.itemId === target.itemId) ? 1 : 0;
    else {
      const busy = new Set(
        at.filter((b) => b.itemId !== null && lendable.has(b.itemId)).map((b) => b.itemId),
      );
      free = Math.max(0, lendable.size - busy.size - at.filter((b) => b.itemId === null).length);
    }
    const last = out[out.length - 1];
    if (last && last.free === free) last.endsAt = points[i + 1]!;
    else out.push({ startsAt: t, endsAt: points[i + 1]!, free });
  }
  return out;
}
