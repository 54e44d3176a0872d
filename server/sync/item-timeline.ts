/**
 * Physical truth wins whatever order kiosks reconnect in. Each item has a timeline: its
 * recorded transactions at the times the sync placed them (RecordedTx.effectiveAt), and the
 * loans staff closed by hand. The item's loans are what that timeline says: a borrow puts
 * the item in the borrower's hands (ending whoever held it), a return or a staff close puts
 * it back on the shelf.
 *
 * A row that arrives in time order changes the loans directly (apply-batch.ts). A row that
 * lands before things already recorded about its item (an offline kiosk reconnecting after
 * another) is placed on the timeline where it happened, and the item's loans are derived
 * again from the whole timeline: loans are closed, reopened, cut, added or dropped so they
 * match. Without this, kiosk B syncing before kiosk A left the item "available" while a
 * person held it (issue 14.1).
 *
 * Which rows move the item is the judge's rule (judge.ts): rejected rows are not on the
 * timeline at all; offline rows the server could not confirm lend nothing, though as returns
 * they still put the item back.
 */
import { loanDueAt, type ErrorCode } from '../../protocol/index.ts';
import type { ItemLoan, StoreOps, TimelineTx } from '../store/store.ts';

/** Codes of offline rows the server could not confirm: as borrows they lend nothing. */
export const UNCONFIRMED_OFFLINE: readonly ErrorCode[] = ['OFFLINE_PROOF_INVALID', 'OFFLINE_TIME_UNBOUNDED'];

type Event =
  | { kind: 'borrow'; id: string; userId: string; at: number; order: number; lends: boolean }
  | { kind: 'return'; id: string; userId: string; at: number; order: number }
  | { kind: 'staff'; loanId: string; at: number; order: number };

/** One stretch of the item in someone's hands. */
export type Holding = {
  borrowTxId: string;
  userId: string;
  start: number;
  end: number | null;
  /** The transaction that ended it (a return, or another person's borrow); null for staff or still open. */
  endTxId: string | null;
};

export type Fold = {
  holdings: Holding[];
  /** Who held the item just before each transaction on the timeline (by transaction id). */
  holderBefore: Map<string, Holding | null>;
};

/** The timeline's events in time order; at one instant, in the order they were recorded. */
export function foldTimeline(events: readonly Event[]): Fold {
  const sorted = [...events].sort((a, b) => a.at - b.at || a.order - b.order);
  const holdings: Holding[] = [];
  const holderBefore = new Map<string, Holding | null>();
  let holder = null as Holding | null;
  for (const e of sorted) {
    if (e.kind !== 'staff') holderBefore.set(e.id, holder);
    if (e.kind === 'borrow') {
      if (!e.lends || holder?.userId === e.userId) continue; // nothing moves, or already theirs
      if (holder) Object.assign(holder, { end: e.at, endTxId: e.id });
      const next: Holding = { borrowTxId: e.id, userId: e.userId, start: e.at, end: null, endTxId: null };
      holdings.push(next);
      holder = next;
    } else if (holder) {
      Object.assign(holder, { end: e.at, endTxId: e.kind === 'return' ? e.id : null });
      holder = null;
    }
  }
  return { holdings, holderBefore };
}

/** A row not yet recorded, to be placed on its item's timeline. */
export type LateRow = { id: string; kind: 'borrow' | 'return'; userId: string; at: number; lends: boolean };

/**
 * Places `row` on its item's timeline and makes the item's loans match the whole timeline.
 * Returns the fold (who held the item before the row, and the holdings), and the loan the
 * row is about now (the one it opened, joined or closed), if any.
 */
export async function replayItem(
  tx: StoreOps,
  item: { id: string; loanDays: number },
  kioskId: string,
  row: LateRow,
  /** When a loan of the item to this person, begun then, is due (the lending policies). */
  dueFor: (userId: string, start: number) => Promise<number> = async (_u, start) =>
    loanDueAt(start, item.loanDays),
): Promise<{ fold: Fold; loanId: string | null }> {
  // Renewals move nothing (and the store leaves them off the timeline): only borrows and returns.
  const recorded = (await tx.itemTimeline(item.id)).filter(
    (t): t is TimelineTx & { kind: 'borrow' | 'return' } => t.kind !== 'renew',
  );
  const loans = await tx.loansOfItem(item.id);
  const events: Event[] = [
    ...recorded.map((t, order) => toEvent(t, order)),
    ...loans
      .filter((l) => l.returnedAt !== null && l.returnTxId === null)
      .map((l) => ({ kind: 'staff' as const, loanId: l.id, at: l.returnedAt!, order: -1 })),
    row.kind === 'borrow'
      ? {
          kind: 'borrow' as const,
          id: row.id,
          userId: row.userId,
          at: row.at,
          order: Infinity,
          lends: row.lends,
        }
      : { kind: 'return' as const, id: row.id, userId: row.userId, at: row.at, order: Infinity },
  ];
  const fold = foldTimeline(events);
  const kioskOf = new Map(recorded.map((t) => [t.id, t.kioskId]));
  const loanOf = await reconcile(
    tx,
    item,
    loans,
    fold.holdings,
    (txId) => (txId === row.id ? kioskId : (kioskOf.get(txId) ?? null)),
    dueFor,
  );
  for (const t of recorded) {
    const now = loanFor(t.id, t.kind, fold, loanOf);
    // Its status stays what the kiosk was answered (a retry gets the same answer); the link
    // to its loan is the timeline's.
    if (now !== t.loanId) await tx.setTxLoan(t.id, now);
  }
  return { fold, loanId: loanFor(row.id, row.kind, fold, loanOf) };
}

function toEvent(t: TimelineTx, order: number): Event {
  if (t.kind === 'return') return { kind: 'return', id: t.id, userId: t.userId, at: t.effectiveAt, order };
  const lends = !(t.code && UNCONFIRMED_OFFLINE.includes(t.code));
  return { kind: 'borrow', id: t.id, userId: t.userId, at: t.effectiveAt, order, lends };
}

/** The loan a transaction is about: the holding it opened or joined, or the one it ended. */
function loanFor(
  txId: string,
  kind: 'borrow' | 'return',
  fold: Fold,
  loanOf: Map<string, string>,
): string | null {
  if (kind === 'borrow') {
    const own = loanOf.get(txId);
    if (own) return own;
    const before = fold.holderBefore.get(txId);
    return before ? (loanOf.get(before.borrowTxId) ?? null) : null;
  }
  const ended = fold.holdings.find((h) => h.endTxId === txId);
  return ended ? (loanOf.get(ended.borrowTxId) ?? null) : null;
}

/**
 * Makes the stored loans match the holdings: ends first, then the one open loan, so the
 * "one open loan per item" index holds at every step. Returns borrow tx id -> loan id.
 */
async function reconcile(
  tx: StoreOps,
  item: { id: string; loanDays: number },
  loans: ItemLoan[],
  holdings: Holding[],
  kioskOf: (txId: string) => string | null,
  dueFor: (userId: string, start: number) => Promise<number>,
): Promise<Map<string, string>> {
  const byBorrow = new Map(loans.map((l) => [l.borrowTxId, l]));
  const wanted = new Set(holdings.map((h) => h.borrowTxId));
  const loanOf = new Map<string, string>();
  // Loans whose borrow no longer puts the item in anyone's hands (it joined a holding).
  for (const l of loans) if (!wanted.has(l.borrowTxId)) await tx.deleteLoan(l.id);
  const closedFirst = [...holdings].sort((a, b) => Number(a.end === null) - Number(b.end === null));
  for (const h of closedFirst) {
    const existing = byBorrow.get(h.borrowTxId);
    if (existing) {
      loanOf.set(h.borrowTxId, existing.id);
      if (existing.returnedAt !== h.end || existing.returnTxId !== h.endTxId)
        await tx.setLoanEnd(existing.id, h.end, h.endTxId);
      continue;
    }
    const id = await tx.insertLoan({
      itemId: item.id,
      userId: h.userId,
      kioskId: kioskOf(h.borrowTxId) ?? '',
      borrowTxId: h.borrowTxId,
      borrowedAt: h.start,
      dueAt: await dueFor(h.userId, h.start),
      returnedAt: h.end,
      returnTxId: h.endTxId,
    });
    loanOf.set(h.borrowTxId, id);
  }
  await tx.touchItem(item.id);
  return loanOf;
}
