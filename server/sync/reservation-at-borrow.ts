/**
 * A kiosk's borrow meets the reservations (issue 16), judged at sync with the same rule the
 * kiosk applies (protocol/reservations.ts): a borrow of an item held for someone else's
 * reservation at the borrow's time is applied (the person has the item: physical truth) and
 * marked a conflict ITEM_RESERVED, with an audit entry naming the reservation; a borrow by
 * the reservation's holder picks it up (its loan recorded on it, exactly once: only an
 * active reservation can be picked up, and a retried row is answered before it gets here).
 */
import { borrowBlock } from '../../protocol/index.ts';
import { EARLY_PICKUP_MS, reservationBlock, reservationPickedUp } from '../../protocol/reservations.ts';
import type { ReservationRecord } from '../store/reservation-store.ts';
import type { ItemRecord, StoreOps } from '../store/store.ts';

export type BorrowMeetsReservation = {
  /** The reservation of someone else that holds the item back now. */
  blockedBy: ReservationRecord | null;
  /** The borrower's own reservation this borrow picks up. */
  pickup: ReservationRecord | null;
};

export async function reservationAtBorrow(
  tx: StoreOps,
  item: ItemRecord,
  userId: string,
  at: number,
  graceMs: number,
): Promise<BorrowMeetsReservation> {
  const held = await tx.reservationsAt(item.category, at, EARLY_PICKUP_MS);
  if (held.length === 0) return { blockedBy: null, pickup: null };
  const facts = held.map((r) => ({
    ...r,
    personId: r.userId,
    category: r.itemId === null ? r.category : null,
  }));
  const args = { item, personId: userId, at, graceMs, reservations: facts };
  const pickup = reservationPickedUp(args);
  // In its own pickup time a reservation is its holder's (no one else's can hold the same item
  // then); taken early, it gives way to someone else's that holds the item now, as at the kiosk.
  if (pickup && pickup.startsAt <= at)
    return { blockedBy: null, pickup: held.find((r) => r.id === pickup.id)! };
  const items = await tx.itemsInCategory(item.category);
  const freeInCategory = items
    .filter((i) => i.id === item.id || (borrowBlock(i, null) === null && !i.onLoan))
    .map((i) => i.id);
  const block = reservationBlock({ ...args, freeInCategory });
  if (block) return { blockedBy: held.find((r) => r.id === block.id)!, pickup: null };
  return { blockedBy: null, pickup: pickup ? held.find((r) => r.id === pickup.id)! : null };
}

/** Apply what the borrow meant for the reservations; returns the conflict code, if any. */
export async function settleReservation(
  tx: StoreOps,
  meets: BorrowMeetsReservation,
  borrow: { txId: string; loanId: string | null; at: number; itemName: string; userName: string | null },
  now: number,
): Promise<'ITEM_RESERVED' | null> {
  if (meets.pickup && borrow.loanId) {
    await tx.endReservation(meets.pickup.id, 'picked_up', borrow.at, borrow.loanId);
    return null;
  }
  const r = meets.blockedBy;
  if (!r) return null;
  await tx.audit(
    {
      actor: { kind: 'system', id: null, name: 'sync', via: null },
      action: 'reservation.conflict',
      targetKind: 'reservation',
      targetId: r.id,
      // Read back by the dashboard's audit sentence: item · borrower · holder · transaction · from.
      detail: `${borrow.itemName} · ${borrow.userName ?? '?'} · ${r.userName} · ${borrow.txId} · ${new Date(r.startsAt).toISOString()}`,
    },
    now,
  );
  return 'ITEM_RESERVED';
}
