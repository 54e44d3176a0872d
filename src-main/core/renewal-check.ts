/**
 * The kiosk's renewals: which of the person's loans may be extended now and until when
 * (protocol/renewals.ts judgeRenewal, the rule the server judges by again at sync), for the
 * session screen to show before anyone confirms, and to check a renewal before it is
 * committed. Pure.
 *
 * Offered only for loans the server described with their renewal count (kiosk protocol 5):
 * a server that does not count renewals does not take renewal rows either. An offline
 * session knows no loans, so it offers none.
 *
 * A renewal that would run into someone else's reservation (the catalog brings the next
 * days' reservations, protocol 6) is refused here as on the server (RENEWAL_RESERVED). The
 * kiosk knows when the person's own loans are due, not other people's: an item of the
 * category out with someone else counts as out for good, so a renewal is refused rather than
 * turned into a conflict at sync when "any one of" the category may be short.
 */
import {
  borrowBlock,
  defaultPolicies,
  judgeRenewal,
  loanWindow,
  pickupWindow,
  toIso,
  type Booking,
  type CatalogItem,
  type CatalogReservations,
  type LoanSummary,
  type PolicySet,
  type RenewalFacts,
  type RenewalOption,
  type RenewalRefusal,
  type SessionBlock,
} from '../../protocol/index.ts';
import { borrowerOf, ruleReason } from './cart-check.ts';
import type { ItemNow } from './catalog/catalog-cache.ts';
import { reservationFacts } from './reservation-check.ts';
import type { Session } from './session/machine.ts';

export type RenewalInput = {
  session: Pick<Session, 'user' | 'maxLoans' | 'suspension' | 'openLoans'>;
  /** The person's loans as this kiosk knows them (withPending: its own renewals counted). */
  loans: readonly LoanSummary[];
  item: (id: string) => CatalogItem | null;
  itemNow: ReadonlyMap<string, ItemNow>;
  policies: PolicySet | null;
  now: number;
  /** The reservations the catalog brought, and every item not retired: renewals keep to them. */
  reservations?: CatalogReservations | null;
  catalog?: readonly CatalogItem[];
};

/** One option per loan the kiosk can judge, in the loans' order. */
export function renewalOptions(input: RenewalInput): RenewalOption[] {
  const { session, loans } = input;
  const policies = input.policies ?? defaultPolicies(session.maxLoans);
  const person = borrowerOf(session, loans, (id) => input.item(id)?.category ?? null);
  const out: RenewalOption[] = [];
  for (const loan of loans) {
    if (loan.renewals === undefined) continue;
    const item = input.item(loan.itemId);
    if (!item) continue;
    const verdict = judgeRenewal(policies, {
      loan: { dueAt: Date.parse(loan.dueAt), renewals: loan.renewals },
      item: { ...item, condition: input.itemNow.get(item.id)?.condition ?? item.condition ?? 'ok' },
      person,
      now: input.now,
      ...bookingsOf(input, loan, item),
    });
    out.push({
      itemId: loan.itemId,
      newDueAt: verdict.ok ? toIso(verdict.dueAt) : null,
      refusal: verdict.ok ? null : renewalReason(verdict.refusal),
    });
  }
  return out;
}

/**
 * What is booked on the loan's item and category as this kiosk knows it, for the renewal rule
 * to check the new due date against; nothing when no one else has reserved any of it.
 */
function bookingsOf(
  input: RenewalInput,
  loan: LoanSummary,
  item: CatalogItem,
): Pick<RenewalFacts, 'bookings'> | Record<string, never> {
  const { graceMs, facts } = reservationFacts(input.reservations ?? null);
  const inCategory = (input.catalog ?? []).filter((i) => i.category === item.category && !i.retired);
  const ids = new Set(inCategory.map((i) => i.id));
  const held = facts.filter(
    (r) =>
      pickupWindow(r, graceMs).endsAt > input.now &&
      (r.category === item.category || (r.itemId !== null && ids.has(r.itemId))),
  );
  const personId = input.session.user.id;
  if (!held.some((r) => r.personId !== personId)) return {};
  const mine = new Map(input.loans.map((l) => [l.itemId, l]));
  const bookings: Booking[] = [
    ...held.map((r) => ({ ...r, kind: 'reservation' as const })),
    ...inCategory
      .filter((i) => input.itemNow.get(i.id)?.onLoan)
      .map((i): Booking => {
        const own = mine.get(i.id);
        return own
          ? {
              id: own.id,
              kind: 'loan',
              itemId: i.id,
              category: null,
              personId,
              ...loanWindow(
                { borrowedAt: Date.parse(own.borrowedAt), dueAt: Date.parse(own.dueAt) },
                input.now,
              ),
            }
          : // Someone else's loan: when it is due is the server's to know.
            {
              id: `out:${i.id}`,
              kind: 'loan',
              itemId: i.id,
              category: null,
              personId: '',
              startsAt: input.now,
              endsAt: Infinity,
            };
      }),
  ];
  const lendable = inCategory
    .filter(
      (i) => borrowBlock({ ...i, condition: input.itemNow.get(i.id)?.condition ?? 'ok' }, null) === null,
    )
    .map((i) => i.id);
  return {
    bookings: {
      loanId: loan.id,
      itemId: loan.itemId,
      personId,
      facts: { category: item.category, lendable, bookings },
    },
  };
}

/** A renewal refusal as the UI shows it: its code and its numbers. */
export function renewalReason(r: RenewalRefusal): SessionBlock {
  switch (r.code) {
    case 'RENEWAL_LIMIT_REACHED':
      return { code: r.code, limit: r.limit, used: r.used };
    // RENEWAL_RESERVED only where the reservations are known (the server); its code says it.
    case 'RENEWAL_OVERDUE':
    case 'RENEWAL_RESERVED':
    case 'ITEM_NOT_ON_LOAN':
    case 'USER_INACTIVE':
    case 'ITEM_NEEDS_CHECK':
    case 'ITEM_UNAVAILABLE':
    case 'ITEM_NOT_ALLOWED':
      return { code: r.code };
    default:
      return ruleReason(r);
  }
}
