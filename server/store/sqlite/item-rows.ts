/** The items table's columns and their mapping to ItemRecord, shared by the store modules that read items. */
import type { Role } from '../../../protocol/index.ts';
import type { ItemRecord } from '../store.ts';

export type ItemColumns = {
  id: string;
  tag: string;
  name: string;
  category: string;
  loan_days: number;
  restricted_to: Role | null;
  locker_slot: string | null;
  retired: number;
  version: number;
};

/** `onLoan` comes from whichever join the caller made (a flag column, or an open loan row). */
export const toItemRecord = (r: ItemColumns, onLoan: boolean): ItemRecord => ({
  id: r.id,
  tag: r.tag,
  name: r.name,
  category: r.category,
  loanDays: r.loan_days,
  restrictedTo: r.restricted_to,
  lockerSlot: r.locker_slot,
  retired: r.retired === 1,
  version: r.version,
  onLoan,
});
