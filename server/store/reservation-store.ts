/**
 * Reservations (issue 16): rows of the `reservations` table and the facts the rules in
 * protocol/reservations.ts judge by (a category's items, its open loans, its active
 * reservations). Row-level only: whether a window may be booked is decided by the domain
 * (server/reservations/), inside a transaction. Composed into Store.
 */
import type { ReservationStatus } from '../../protocol/reservations.ts';
import type { ItemRecord } from './store.ts';

export type ReservationRecord = {
  id: string;
  /** The item reserved by name; null for "any one of" `category`. */
  itemId: string | null;
  itemName: string | null;
  itemTag: string | null;
  /** The category reserved, or (for an item) the item's category now. */
  category: string;
  userId: string;
  userName: string;
  startsAt: number;
  endsAt: number;
  status: ReservationStatus;
  /** Who made it (the person themself, or staff for them). */
  createdBy: string | null;
  createdByName: string | null;
  createdAt: number;
  /** The loan that picked it up. */
  loanId: string | null;
  /** When it was picked up, cancelled or expired. */
  endedAt: number | null;
};

export type NewReservation = {
  itemId: string | null;
  category: string | null;
  userId: string;
  startsAt: number;
  endsAt: number;
  createdBy: string | null;
  createdAt: number;
};

export type ReservationFilter = {
  userId?: string;
  itemId?: string;
  category?: string;
  /** 'current': active ones not yet over at `now`. */
  status?: ReservationStatus | 'current' | 'all';
  now?: number;
  /** Keyset: after this (startsAt, id). */
  after?: { at: number; id: string } | null;
  limit: number;
};

export type CategoryLoan = {
  id: string;
  itemId: string;
  userId: string;
  userName: string;
  borrowedAt: number;
  dueAt: number;
};

export interface ReservationStore {
  insertReservation(r: NewReservation): Promise<ReservationRecord>;
  findReservation(id: string): Promise<ReservationRecord | null>;
  /** Active reservations of the category or of any item in it whose window overlaps [from, to). */
  activeReservationsIn(category: string, from: number, to: number): Promise<ReservationRecord[]>;
  /** The category's items (retired ones too: the domain decides what is lendable), by id. */
  itemsInCategory(category: string): Promise<ItemRecord[]>;
  /** Open loans of the category's items. */
  openLoansIn(category: string): Promise<CategoryLoan[]>;
  /**
   * End an active reservation (picked up with its loan, cancelled, expired). False when it
   * is not active any more: whoever ended it first wins, exactly once.
   */
  endReservation(
    id: string,
    status: Exclude<ReservationStatus, 'active'>,
    at: number,
    loanId?: string | null,
  ): Promise<boolean>;
  /** A page by (startsAt, id), with the count over every page. */
  reservationsPage(
    filter: ReservationFilter,
  ): Promise<{ rows: ReservationRecord[]; total: number; next: { at: number; id: string } | null }>;
  /** Active reservations whose pickup time is over: started before `startedBefore`, or ended by `now`. */
  reservationsToExpire(startedBefore: number, now: number): Promise<ReservationRecord[]>;
  /**
   * Active reservations of every category whose window overlaps [from, to), by start then id:
   * what a kiosk's catalog pull carries (protocol 6).
   */
  activeReservationsBetween(from: number, to: number): Promise<ReservationRecord[]>;
  /**
   * Active reservations of this category or its items whose window covers `at`, or starts
   * within `lead` ms after it (an early pickup, protocol/reservations.ts): the sync's check.
   */
  reservationsAt(category: string, at: number, lead?: number): Promise<ReservationRecord[]>;
}
