/**
 * The kiosk's renewals: which of the person's loans may be extended now and until when
 * (protocol/renewals.ts judgeRenewal, the rule the server judges by again at sync), for the
 * session screen to show before anyone confirms, and to check a renewal before it is
 * committed. Pure.
 *
 * Offered only for loans the server described with their renewal count (kiosk protocol 5):
 * a server that does not count renewals does not take renewal rows either. An offline
 * session knows no loans, so it offers none.
 */
import {
  defaultPolicies,
  judgeRenewal,
  toIso,
  type CatalogItem,
  type LoanSummary,
  type PolicySet,
  type RenewalOption,
  type RenewalRefusal,
  type SessionBlock,
} from '../../protocol/index.ts';
import { borrowerOf, ruleReason } from './cart-check.ts';
import type { ItemNow } from './catalog/catalog-cache.ts';
import type { Session } from './session/machine.ts';

export type RenewalInput = {
  session: Pick<Session, 'user' | 'maxLoans' | 'suspension' | 'openLoans'>;
  /** The person's loans as this kiosk knows them (withPending: its own renewals counted). */
  loans: readonly LoanSummary[];
  item: (id: string) => CatalogItem | null;
  itemNow: ReadonlyMap<string, ItemNow>;
  policies: PolicySet | null;
  now: number;
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
    });
    out.push({
      itemId: loan.itemId,
      newDueAt: verdict.ok ? toIso(verdict.dueAt) : null,
      refusal: verdict.ok ? null : renewalReason(verdict.refusal),
    });
  }
  return out;
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
