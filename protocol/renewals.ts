/**
 * Renewals: may this loan be extended now, and until when. Pure; the kiosk applies it before
 * it commits a renewal (offline too, with the policies the catalog brought), the dashboard
 * before it offers one, and the server again at sync and on the dashboard's renew routes
 * (STYLE.md rule 17: one rule, one place).
 *
 * Decisions (where the issue is silent):
 * - The new due date counts from the old due date, as Koha does by default (its
 *   RenewalPeriodBase preference defaults to "the old due date of the checkout"): renewing
 *   early does not shorten the loan, and renewing twice in a row gives two full periods. The
 *   period is the one a new loan of the item would get (policyDueAt), and the date moves
 *   past closed days exactly as a due date does (dueMoment).
 * - An overdue loan is not renewed (RENEWAL_OVERDUE): it is due back now, and renewing from
 *   the old due date could give a date that is already past. Staff can still close or extend
 *   it by hand. (Koha allows this by default; a room that lends cameras wants them back.)
 * - A renewal is lending for longer, so what stops borrowing stops it too: a suspension and,
 *   when the room blocks on overdue items, another overdue loan (personBlock); the item's
 *   condition or retirement and a role restriction (borrowBlock); the role no longer being
 *   allowed the category. Renewals per loan are counted against the rule for the person's
 *   role and the item's category (maxRenewals).
 * - A new due date that runs into someone else's reservation of the item (or of its
 *   category, when no other item of it would be left) refuses the renewal (RENEWAL_RESERVED,
 *   with when the item is needed back), by protocol/reservations.ts renewalCollision. The
 *   person's own reservations do not stop them keeping it. Checked where the bookings are
 *   known (the server; a kiosk that holds reservations passes them too).
 */
import { borrowBlock, DAY_MS, type ItemCondition } from './lending.ts';
import { dueMoment, personBlock, ruleFor, type BorrowerFacts, type Refusal } from './policies.ts';
import { renewalCollision, type CategoryFacts } from './reservations.ts';
import type { Role } from './wire/common.ts';
import type { PolicySet } from './wire/policies.ts';

/** Why a loan may not be renewed now, with the numbers a person needs. */
export type RenewalRefusal =
  | Refusal
  | { code: 'ITEM_NOT_ON_LOAN' }
  /** Server only: the person's account was deactivated. */
  | { code: 'USER_INACTIVE' }
  | { code: 'RENEWAL_OVERDUE'; dueAt: number }
  | { code: 'RENEWAL_LIMIT_REACHED'; limit: number; used: number }
  /** Someone else's reservation needs the item back by `dueAt` (its start). */
  | { code: 'RENEWAL_RESERVED'; dueAt: number }
  | { code: 'ITEM_NEEDS_CHECK' | 'ITEM_UNAVAILABLE' | 'ITEM_NOT_ALLOWED' };

export type RenewalVerdict = { ok: true; dueAt: number } | { ok: false; refusal: RenewalRefusal };

export type RenewalFacts = {
  loan: {
    dueAt: number;
    /** Renewals already made of this loan. */
    renewals: number;
    /** The loan has ended (the item came back): nothing to renew. */
    returned?: boolean;
  };
  item: {
    category: string;
    loanDays: number;
    retired: boolean;
    restrictedTo: Role | null;
    condition?: ItemCondition | undefined;
  };
  person: BorrowerFacts;
  now: number;
  /**
   * What is booked on the item's category (reservations and loans), with this loan's id and
   * holder: a new due date running into someone else's reservation is refused. Absent: not
   * checked.
   */
  bookings?: { loanId: string; itemId: string; personId: string; facts: CategoryFacts };
};

/** When the loan would be due after one more renewal (from its current due date). */
export function renewedDueAt(p: PolicySet, f: Pick<RenewalFacts, 'loan' | 'item' | 'person'>): number {
  const days = ruleFor(p, f.item.category, f.person.role).loanDays ?? f.item.loanDays;
  return dueMoment(p, f.loan.dueAt + days * DAY_MS);
}

/** May this loan be renewed at `now`, and if so its new due date. */
export function judgeRenewal(p: PolicySet, f: RenewalFacts): RenewalVerdict {
  const no = (refusal: RenewalRefusal): RenewalVerdict => ({ ok: false, refusal });
  if (f.loan.returned) return no({ code: 'ITEM_NOT_ON_LOAN' });
  if (f.loan.dueAt < f.now) return no({ code: 'RENEWAL_OVERDUE', dueAt: f.loan.dueAt });
  const blocked = personBlock(p, f.person, f.now);
  if (blocked) return no(blocked);
  const itemBlock = borrowBlock(f.item, f.person.role);
  if (
    itemBlock === 'ITEM_NEEDS_CHECK' ||
    itemBlock === 'ITEM_UNAVAILABLE' ||
    itemBlock === 'ITEM_NOT_ALLOWED'
  )
    return no({ code: itemBlock });
  const rule = ruleFor(p, f.item.category, f.person.role);
  if (!rule.mayBorrow) return no({ code: 'CATEGORY_NOT_ALLOWED', category: f.item.category });
  if (f.loan.renewals >= rule.maxRenewals)
    return no({ code: 'RENEWAL_LIMIT_REACHED', limit: rule.maxRenewals, used: f.loan.renewals });
  const dueAt = renewedDueAt(p, f);
  if (f.bookings) {
    const hit = renewalCollision({
      loan: {
        id: f.bookings.loanId,
        itemId: f.bookings.itemId,
        personId: f.bookings.personId,
        dueAt: f.loan.dueAt,
      },
      newDueAt: dueAt,
      now: f.now,
      facts: f.bookings.facts,
    });
    if (hit) return no({ code: 'RENEWAL_RESERVED', dueAt: hit.startsAt });
  }
  return { ok: true, dueAt };
}
