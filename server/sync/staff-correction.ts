/**
 * Staff saying where an item really is, when they resolve a conflict: "back on the shelf" or
 * "with this person". The correction is recorded on the item's timeline as a transaction of
 * its own (kiosk STAFF_KIOSK_ID), at the moment it was made, and the item's loans are derived
 * from the timeline again (item-timeline.ts). So it holds now, and it still holds when a
 * kiosk that was offline reconnects later and its rows are placed before it.
 */
import { v7 as uuidv7 } from 'uuid';
import { STAFF_KIOSK_ID as STAFF_KIOSK, type PolicySet } from '../../protocol/index.ts';
import { loanDueFor } from '../policies/policies.ts';
import type { StoreOps } from '../store/store.ts';
import { replayItem } from './item-timeline.ts';

export type Correction = {
  item: { id: string; loanDays: number; category: string };
  /** Who holds the item from now on; null: nobody (it is back). */
  holder: string | null;
  at: number;
  /** Why, in the staff member's words (kept on the transaction). */
  note: string;
  /** The lending policies a loan this makes falls due by (the item's own period without). */
  policies?: PolicySet;
};

/** Returns the recorded transaction's id, or null when the loans already say so. */
export async function correctHolder(tx: StoreOps, c: Correction): Promise<string | null> {
  const open = await tx.openLoanOfItem(c.item.id);
  if ((open?.userId ?? null) === c.holder) return null;
  const id = uuidv7({ msecs: c.at });
  const row =
    c.holder === null
      ? { id, kind: 'return' as const, userId: open!.userId, at: c.at, lends: true }
      : { id, kind: 'borrow' as const, userId: c.holder, at: c.at, lends: true };
  const { loanId } = await replayItem(tx, c.item, STAFF_KIOSK, row, (userId, start) =>
    loanDueFor(tx, c.policies, c.item, userId, start),
  );
  await tx.recordTx({
    id,
    kioskId: STAFF_KIOSK,
    seq: 0,
    kind: row.kind,
    itemId: c.item.id,
    userId: row.userId,
    occurredAt: c.at,
    clockTrusted: true,
    receivedAt: c.at,
    effectiveAt: c.at,
    note: c.note,
    status: 'applied',
    code: null,
    loanId,
  });
  return id;
}
