/**
 * Renewing a loan on the server: the same rule the kiosk applied (protocol/renewals.ts),
 * judged against the loan as the server holds it. Used by the sync (a kiosk's 'renew' row)
 * and by the dashboard's renew routes (a member's own loan, or staff for anyone).
 *
 * Physical truth: a renewal moves nothing. Refused at sync, the person still has the item and
 * the loan stays as it was (its due date unchanged); the row becomes a conflict naming the
 * rule, for staff to look at.
 */
import {
  AppError,
  defaultPolicies,
  judgeRenewal,
  ruleFor,
  type PolicySet,
  type RenewalVerdict,
} from '../../protocol/index.ts';
import { borrowerFacts } from '../policies/policies.ts';
import { RESERVATION_DEFAULTS, graceMs, loadCategoryFacts } from '../reservations/reserve.ts';
import type { AuditActor } from '../store/admin-store.ts';
import type { OpenLoan, Store, StoreOps } from '../store/store.ts';

/** How far ahead a renewal's collision with reservations is looked for: past any loan period. */
const RENEWAL_HORIZON_MS = 800 * 86_400_000;

/** Whether `loan` may be renewed at `at`, and until when, by the rules in force. */
export async function judgeLoanRenewal(
  tx: StoreOps,
  policies: PolicySet | undefined,
  maxLoans: number,
  loan: Pick<OpenLoan, 'id' | 'itemId' | 'userId' | 'dueAt' | 'renewals' | 'returnedAt'>,
  at: number,
  /** How long a reservation is held for pickup (the server's configured grace). */
  pickupGraceMs: number = graceMs(RESERVATION_DEFAULTS),
): Promise<RenewalVerdict> {
  const item = await tx.findItem(loan.itemId);
  const user = await tx.findUserById(loan.userId);
  if (!item) return { ok: false, refusal: { code: 'ITEM_NOT_ON_LOAN' } };
  if (!user || !user.active) return { ok: false, refusal: { code: 'USER_INACTIVE' } };
  return judgeRenewal(policies ?? defaultPolicies(maxLoans), {
    loan: { dueAt: loan.dueAt, renewals: loan.renewals, returned: loan.returnedAt !== null },
    item,
    person: await borrowerFacts(tx, user),
    now: at,
    // Reservations of the item or its category from now on (a renewal is at most a year).
    bookings: {
      loanId: loan.id,
      itemId: loan.itemId,
      personId: loan.userId,
      facts: await loadCategoryFacts(
        tx,
        item.category,
        { startsAt: at, endsAt: at + RENEWAL_HORIZON_MS },
        at,
        pickupGraceMs,
      ),
    },
  });
}

export type DashboardRenewal = {
  loanId: string;
  /** A member may renew only their own loans; staff anyone's. */
  ownerOnly: string | null;
  actor: AuditActor;
  now: number;
  policies: PolicySet;
  maxLoans: number;
  /** How long a reservation is held for pickup (the server's configured grace). */
  pickupGraceMs?: number;
  /**
   * The due date the person saw when they confirmed. When the loan is no longer due then,
   * this renewal was made already (a double click, a retry, another tab) or someone moved
   * it: nothing is extended a second time.
   */
  expectDueAt?: number;
};

/** What renewing a loan from the dashboard would do now (nothing is changed). */
export async function previewRenewal(
  store: StoreOps,
  r: Omit<DashboardRenewal, 'actor' | 'expectDueAt'>,
): Promise<{ loan: OpenLoan; verdict: RenewalVerdict; limit: number }> {
  const loan = await ownLoan(store, r.loanId, r.ownerOnly);
  const verdict = await judgeLoanRenewal(store, r.policies, r.maxLoans, loan, r.now, r.pickupGraceMs);
  const item = await store.findItem(loan.itemId);
  const user = await store.findUserById(loan.userId);
  const limit = item && user ? ruleFor(r.policies, item.category, user.role).maxRenewals : 0;
  return { loan, verdict, limit };
}

/**
 * Renew a loan from the dashboard, in one transaction with its audit entry. Refused with the
 * rule's code (a typed 4xx); nothing is saved then. Null when the loan is no longer due when
 * the person saw it (r.expectDueAt): nothing done, nothing audited.
 */
export async function renewFromDashboard(store: Store, r: DashboardRenewal): Promise<OpenLoan | null> {
  return store.withTransaction(async (tx) => {
    const loan = await ownLoan(tx, r.loanId, r.ownerOnly);
    await tx.lockRows([loan.itemId], [loan.userId]);
    if (r.expectDueAt !== undefined && loan.dueAt !== r.expectDueAt && loan.returnedAt === null) return null;
    const verdict = await judgeLoanRenewal(tx, r.policies, r.maxLoans, loan, r.now, r.pickupGraceMs);
    if (!verdict.ok) throw new AppError(verdict.refusal.code, `renewal refused: ${verdict.refusal.code}`);
    if (!(await tx.renewLoan(loan.id, verdict.dueAt)))
      throw new AppError('ITEM_NOT_ON_LOAN', 'the loan ended meanwhile');
    await tx.audit(
      {
        actor: r.actor,
        action: 'loan.renew',
        targetKind: 'loan',
        targetId: loan.id,
        detail: `${loan.itemName} · ${loan.userName} · ${new Date(loan.dueAt).toISOString()} -> ${new Date(verdict.dueAt).toISOString()}`,
      },
      r.now,
    );
    return { ...loan, dueAt: verdict.dueAt, renewals: loan.renewals + 1 };
  });
}

/** The loan, if it exists and (for a member) is theirs: another's is NOT_FOUND, as if absent. */
async function ownLoan(store: StoreOps, loanId: string, ownerOnly: string | null): Promise<OpenLoan> {
  const loan = await store.findLoan(loanId);
  if (!loan || (ownerOnly !== null && loan.userId !== ownerOnly))
    throw new AppError('NOT_FOUND', 'no such loan');
  return loan;
}
