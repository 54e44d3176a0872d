/**
 * What one transaction does to the loans, decided from the state it meets. Pure.
 *
 * Physical state wins: a kiosk records what a person physically did, so a return always
 * closes the item's open loan whoever holds it, and a borrow of an item the server thinks
 * is out still moves it to the new holder. Anything odd is applied *and* marked as a
 * conflict for a person to resolve. Only what cannot be attributed (bad token, unknown
 * item or person) is rejected and changes nothing. An offline row the server cannot confirm
 * (no valid badge proof, a time outside its bounds) is a conflict that opens no loan; as a
 * return it still closes one.
 */
import { borrowBlock, type ErrorCode } from '../../protocol/index.ts';
import type { ItemRecord, OpenLoan, PreparedTx, UserRecord } from '../store/store.ts';

export type Decision =
  | { status: 'rejected'; code: ErrorCode }
  | {
      status: 'applied' | 'conflict';
      code?: ErrorCode;
      closeLoanId?: string;
      openLoan?: boolean;
      /** The loan this transaction is about, when it reuses an existing one. */
      loanId?: string;
    };

export type JudgeContext = {
  item: ItemRecord | null;
  user: UserRecord | null;
  /** Who holds the item where this transaction stands (the open loan, or the holder on its timeline). */
  openLoan: Pick<OpenLoan, 'id' | 'userId'> | null;
  openLoansOfUser: number;
  maxLoans: number;
  /** What the server could not confirm about an offline row (its proof, its time), if anything. */
  offlineProblem?: ErrorCode | null;
  /** The lending policy that refuses this borrow (protocol/policies.ts judgeCart), if any. */
  policyRefusal?: ErrorCode | null;
};

export function judgeTx(tx: PreparedTx, ctx: JudgeContext): Decision {
  if (tx.authError) return { status: 'rejected', code: tx.authError };
  if (!ctx.item) return { status: 'rejected', code: 'ITEM_UNKNOWN' };
  if (!ctx.user) return { status: 'rejected', code: 'USER_UNKNOWN' };

  if (ctx.offlineProblem) {
    // Unconfirmed offline rows lend nothing: a kiosk's own data (its roster, keys, database)
    // must not be enough to put a loan in someone's name. A return is still a physical
    // event: the item is back on the shelf, so its loan closes, flagged for a person to check.
    if (tx.kind === 'return' && ctx.openLoan)
      return { status: 'conflict', code: ctx.offlineProblem, closeLoanId: ctx.openLoan.id };
    return { status: 'conflict', code: ctx.offlineProblem };
  }

  if (tx.kind === 'return') {
    if (!ctx.openLoan) return { status: 'conflict', code: 'ITEM_NOT_ON_LOAN' };
    if (ctx.openLoan.userId !== tx.userId) {
      return { status: 'conflict', code: 'RETURNED_BY_OTHER', closeLoanId: ctx.openLoan.id };
    }
    return { status: 'applied', closeLoanId: ctx.openLoan.id };
  }

  // borrow
  if (ctx.openLoan && ctx.openLoan.userId === tx.userId) {
    // Already theirs: nothing moves. Not an error, the loan stands.
    return { status: 'applied', loanId: ctx.openLoan.id };
  }
  const conflict: ErrorCode | undefined = ctx.openLoan
    ? 'ITEM_UNAVAILABLE'
    : (borrowBlock(ctx.item, ctx.user.role) ??
      (!ctx.user.active
        ? 'USER_INACTIVE'
        : (ctx.policyRefusal ?? (ctx.openLoansOfUser >= ctx.maxLoans ? 'LOAN_LIMIT_REACHED' : undefined))));
  return {
    status: conflict ? 'conflict' : 'applied',
    ...(conflict ? { code: conflict } : {}),
    ...(ctx.openLoan ? { closeLoanId: ctx.openLoan.id } : {}),
    openLoan: true,
  };
}
