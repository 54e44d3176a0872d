/**
 * The part of the store port the dashboard's reports read (issue 17, Reports): overdue loans
 * grouped by person and by category, and how much each item was on loan over a period. Each
 * is one aggregate query in the database, bounded by a row limit, never a scan in JavaScript.
 */

export type OverdueByPersonRow = {
  userId: string;
  userName: string;
  email: string | null;
  /** Overdue loans this person holds. */
  loans: number;
  /** The earliest due time among them (the longest overdue). */
  oldestDueAt: number;
};

export type OverdueByCategoryRow = {
  category: string;
  loans: number;
  /** How many different people hold them. */
  people: number;
  oldestDueAt: number;
};

export type ItemUsageRow = {
  itemId: string;
  tag: string;
  name: string;
  category: string;
  /** Loans that started in the period. */
  loans: number;
  /** Time on loan inside the period (loans that began before it count from its start). */
  msOnLoan: number;
};

export type OverdueQuery = {
  /** Loans due before this moment and still out are overdue. */
  now: number;
  category?: string;
  /** At most this many rows, longest overdue first. */
  limit: number;
};

export type UsageQuery = {
  /** The period [from, to); `to` is at most now (an open loan counts up to `to`). */
  from: number;
  to: number;
  category?: string;
  /** At most this many rows, most time on loan first. */
  limit: number;
};

export interface ReportStore {
  /** Overdue loans per person, longest overdue first (then by id); totals over every person. */
  overdueByPerson(q: OverdueQuery): Promise<{ rows: OverdueByPersonRow[]; people: number; loans: number }>;
  /** Overdue loans per item category, most loans first (then by name). */
  overdueByCategory(now: number): Promise<OverdueByCategoryRow[]>;
  /**
   * Items lent during the period, most time on loan first (then by id); `items` counts the
   * items not retired (in the category), `itemsUsed` those that were on loan at all.
   */
  itemUsage(q: UsageQuery): Promise<{ rows: ItemUsageRow[]; items: number; itemsUsed: number }>;
}
