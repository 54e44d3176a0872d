/**
 * Reservations on the server (issue 16): making one, cancelling one, and the facts the rules
 * of protocol/reservations.ts judge by. Domain code over the store port; each change runs in
 * one transaction with its audit entry.
 *
 * Two requests racing for the last item cannot both succeed: every booking of a category
 * (an item of it by name, or any one of it) runs under one exclusive key for that category,
 * taken before the transaction starts (PostgreSQL: an advisory lock, so the second sees what
 * the first committed; SQLite has one writer anyway), and the transaction itself is
 * SERIALIZABLE on PostgreSQL as a second guard.
 */
import { AppError, borrowBlock, ruleFor, type ErrorCode, type PolicySet } from '../../protocol/index.ts';
import {
  bookingConflict,
  loanWindow,
  pickupWindow,
  windowProblem,
  type Booking,
  type CategoryFacts,
  type ReservationLimits,
  type Window,
} from '../../protocol/reservations.ts';
import type { AuditActor } from '../store/admin-store.ts';
import type { ReservationRecord } from '../store/reservation-store.ts';
import type { ItemRecord, Store, StoreOps } from '../store/store.ts';

/** How a room runs reservations (server config). */
export type ReservationSettings = ReservationLimits & {
  /** How long after its start a reservation waits to be picked up before it expires. */
  graceMinutes: number;
};

export const RESERVATION_DEFAULTS: ReservationSettings = { graceMinutes: 60, maxDays: 14, maxLeadDays: 90 };

export const graceMs = (s: ReservationSettings) => s.graceMinutes * 60_000;

/** The pickup grace this server runs with (RENTAL_RESERVATION_GRACE_MIN), or the default. */
export const configuredGraceMs = (deps: { reservations?: ReservationSettings }) =>
  graceMs(deps.reservations ?? RESERVATION_DEFAULTS);

/** Whether the store holds it: a reservation past its pickup time is on its way to expiring. */
const stillHeld = (r: ReservationRecord, now: number, grace: number) => pickupWindow(r, grace).endsAt > now;

export type LoadedFacts = CategoryFacts & { items: ItemRecord[]; reservations: ReservationRecord[] };

/**
 * Everything booked on a category and its items around `window`: active reservations (those
 * still waiting to be picked up) and open loans (to their due date, or now while overdue).
 */
export async function loadCategoryFacts(
  tx: StoreOps,
  category: string,
  window: Window,
  now: number,
  grace: number,
): Promise<LoadedFacts> {
  const items = await tx.itemsInCategory(category);
  const reservations = (await tx.activeReservationsIn(category, window.startsAt, window.endsAt)).filter((r) =>
    stillHeld(r, now, grace),
  );
  const loans = await tx.openLoansIn(category);
  const bookings: Booking[] = [
    ...reservations.map((r) => ({
      id: r.id,
      kind: 'reservation' as const,
      itemId: r.itemId,
      category: r.itemId === null ? r.category : null,
      personId: r.userId,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
    })),
    ...loans.map((l) => ({
      id: l.id,
      kind: 'loan' as const,
      itemId: l.itemId,
      category: null,
      personId: l.userId,
      ...loanWindow(l, now),
    })),
  ];
  return {
    category,
    items,
    reservations,
    lendable: items.filter((i) => borrowBlock(i, null) === null).map((i) => i.id),
    bookings,
  };
}

export type NewReservationInput = {
  itemId?: string | undefined;
  category?: string | undefined;
  userId: string;
  startsAt: number;
  endsAt: number;
  actor: AuditActor;
  now: number;
  policies: PolicySet;
  settings: ReservationSettings;
};

const refuse = (code: ErrorCode, message: string): never => {
  throw new AppError(code, message);
};

/** Make a reservation, or refuse it with a typed code; nothing is saved when refused. */
export async function createReservation(store: Store, r: NewReservationInput): Promise<ReservationRecord> {
  if ((r.itemId === undefined) === (r.category === undefined))
    refuse('BAD_REQUEST', 'name an item or a category, not both');
  const window = { startsAt: r.startsAt, endsAt: r.endsAt };
  const problem = windowProblem(window, r.now, r.settings);
  if (problem) refuse(problem.code, `window refused: ${problem.code}`);
  // The category is the lock key, so it is known before the transaction starts.
  const named = r.itemId !== undefined ? await store.findItem(r.itemId) : null;
  if (r.itemId !== undefined && !named) refuse('ITEM_UNKNOWN', 'no such item');
  const category = named ? named.category : r.category!;
  const grace = graceMs(r.settings);
  return store.withTransaction(
    async (tx) => {
      const user = await tx.findUserById(r.userId);
      if (!user) return refuse('USER_UNKNOWN', 'no such person');
      if (!user.active) refuse('USER_INACTIVE', 'this person is deactivated');
      const item = r.itemId !== undefined ? await tx.findItem(r.itemId) : null;
      if (r.itemId !== undefined) {
        if (!item) return refuse('ITEM_UNKNOWN', 'no such item');
        const block = borrowBlock(item, user.role);
        if (block) refuse(block, `this item cannot be lent: ${block}`);
      }
      if (!ruleFor(r.policies, category, user.role).mayBorrow)
        refuse('CATEGORY_NOT_ALLOWED', `${user.role} may not borrow ${category}`);
      const facts = await loadCategoryFacts(tx, category, window, r.now, grace);
      if (r.itemId === undefined) {
        if (facts.items.length === 0) refuse('ITEM_UNKNOWN', 'no item of this category');
        // The category may hold items this person's role may not take: one of them must be theirs.
        const theirs = facts.items.filter((i) => borrowBlock(i, user.role) === null);
        if (theirs.length === 0)
          refuse('ITEM_NOT_ALLOWED', 'no item of this category may be lent to this person');
      }
      const conflict = bookingConflict({ itemId: r.itemId ?? null, ...window }, facts);
      if (conflict?.code === 'RESERVATION_CONFLICT')
        refuse('RESERVATION_CONFLICT', `booked until ${new Date(conflict.freeAt).toISOString()}`);
      const saved = await tx.insertReservation({
        itemId: r.itemId ?? null,
        category: r.itemId === undefined ? category : null,
        userId: user.id,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        createdBy: r.actor.id,
        createdAt: r.now,
      });
      await tx.audit(
        {
          actor: r.actor,
          action: 'reservation.create',
          targetKind: 'reservation',
          targetId: saved.id,
          detail: `${describe(saved)} · ${saved.userName} · ${iso(saved.startsAt)} -> ${iso(saved.endsAt)}`,
        },
        r.now,
      );
      return saved;
    },
    { exclusiveKey: `reservations:${category}` },
  );
}

const iso = (t: number) => new Date(t).toISOString();
/** What was reserved, as the audit log's detail names it. */
export const describe = (r: ReservationRecord) =>
  r.itemId ? `${r.itemTag} ${r.itemName}` : `${r.category} (any)`;

/**
 * Cancel an active reservation, in one transaction with its audit entry. A member may cancel
 * only their own (another's is NOT_FOUND, as if absent); one already picked up, cancelled or
 * expired is RESERVATION_NOT_ACTIVE.
 */
export async function cancelReservation(
  store: Store,
  c: { id: string; ownerOnly: string | null; actor: AuditActor; now: number },
): Promise<ReservationRecord> {
  return store.withTransaction(async (tx) => {
    const r = await tx.findReservation(c.id);
    if (!r || (c.ownerOnly !== null && r.userId !== c.ownerOnly))
      return refuse('NOT_FOUND', 'no such reservation');
    if (r.status !== 'active' || !(await tx.endReservation(r.id, 'cancelled', c.now)))
      refuse('RESERVATION_NOT_ACTIVE', `the reservation is ${r.status}`);
    await tx.audit(
      {
        actor: c.actor,
        action: 'reservation.cancel',
        targetKind: 'reservation',
        targetId: r.id,
        detail: `${describe(r)} · ${r.userName} · ${iso(r.startsAt)} -> ${iso(r.endsAt)}`,
      },
      c.now,
    );
    return { ...r, status: 'cancelled', endedAt: c.now };
  });
}
