/**
 * The kiosk's check of a borrow cart before it is committed: each item on its own (known,
 * on the shelf, lendable to this person, not held for someone else's reservation), then the lending policies over the whole cart
 * (protocol/policies.ts judgeCart, the function the server judges by again at sync). Pure.
 * Items that may not go are listed with the rule and its numbers; the rest may go.
 */
import {
  borrowBlock,
  judgeCart,
  type CartRefusal,
  type CatalogItem,
  type LoanSummary,
  type BorrowerFacts,
  type PolicySet,
  type Refusal,
  type SessionBlock,
} from '../../protocol/index.ts';
import type { ItemNow } from './catalog/catalog-cache.ts';
import { reservedRefusal, type ReservationScene } from './reservation-check.ts';
import type { Session } from './session/machine.ts';

export type BorrowCheck = { unknown: true } | { unknown: false; refused: CartRefusal[] };

export function checkBorrowCart(input: {
  itemIds: readonly string[];
  item: (id: string) => CatalogItem | null;
  itemNow: ReadonlyMap<string, ItemNow>;
  session: Pick<Session, 'user' | 'maxLoans' | 'offline' | 'suspension' | 'openLoans'>;
  /** The person's loans as this kiosk knows them (the server's, with this kiosk's pending rows). */
  loans: readonly LoanSummary[];
  policies: PolicySet | null;
  now: number;
  /** The reservations the catalog brought and the items they judge by (absent: none known). */
  reserved?: Pick<ReservationScene, 'reservations' | 'catalog'>;
}): BorrowCheck {
  const { session, loans, policies } = input;
  const refused: CartRefusal[] = [];
  const candidates: CatalogItem[] = [];
  // Items taken earlier in this cart are off the shelf for the ones after them: a cart may not
  // take the last free one of a category a reservation waits for, two at a time.
  const shelf = new Map(input.itemNow);
  for (const id of input.itemIds) {
    const item = input.item(id);
    const state = input.itemNow.get(id);
    if (!item || item.retired || !state) return { unknown: true };
    const block = state.onLoan
      ? 'ITEM_UNAVAILABLE'
      : borrowBlock({ ...item, condition: state.condition }, session.user.role);
    // Held for someone else's reservation now (protocol/reservations.ts): with when it is free.
    const reserved =
      block || !input.reserved
        ? null
        : reservedRefusal(item, session.user.id, {
            ...input.reserved,
            itemNow: shelf,
            at: input.now,
          });
    if (block) refused.push({ itemId: id, code: block });
    else if (reserved) refused.push(reserved);
    else {
      candidates.push(item);
      shelf.set(id, { ...state, onLoan: true });
    }
  }
  let accepted = candidates;
  if (policies) {
    const verdicts = judgeCart(
      policies,
      borrowerOf(session, loans, (id) => input.item(id)?.category ?? null),
      candidates.map((i) => ({ itemId: i.id, category: i.category })),
      input.now,
    );
    accepted = [];
    for (const [i, v] of verdicts.entries()) {
      if (v.refusal) refused.push(toCartRefusal(v.itemId, v.refusal));
      else accepted.push(candidates[i]!);
    }
  }
  // The session's own allowance still holds: online it is the person's overall limit, offline
  // what the roster leaves (its loans at signing, and at most so many borrows offline).
  const have = session.offline ? 0 : loans.length;
  const canTake = Math.max(0, session.maxLoans - have);
  for (const item of accepted.slice(canTake))
    refused.push({ itemId: item.id, code: 'LOAN_LIMIT_REACHED', limit: session.maxLoans, have, canTake });
  const order = new Map(input.itemIds.map((id, i) => [id, i]));
  refused.sort((a, b) => order.get(a.itemId)! - order.get(b.itemId)!);
  return { unknown: false, refused };
}

function toCartRefusal(itemId: string, r: Refusal): CartRefusal {
  return { itemId, ...ruleReason(r) };
}

/** A rule's refusal as the UI shows it: its code and its numbers. */
export function ruleReason(r: Refusal): SessionBlock {
  switch (r.code) {
    case 'PERSON_SUSPENDED':
      return { code: r.code, until: r.until, note: r.note };
    case 'OVERDUE_BLOCK':
      return { code: r.code, overdue: r.overdue };
    case 'CATEGORY_NOT_ALLOWED':
      return { code: r.code, category: r.category };
    case 'LOAN_LIMIT_REACHED':
      return { code: r.code, limit: r.limit, have: r.have, canTake: r.canTake };
    case 'CATEGORY_LIMIT_REACHED':
      return { code: r.code, category: r.category, limit: r.limit, have: r.have, canTake: r.canTake };
  }
}

/** The facts the rules judge a session's person by, as this kiosk knows them. */
export function borrowerOf(
  session: Pick<Session, 'user' | 'suspension' | 'openLoans'>,
  loans: readonly LoanSummary[],
  categoryOf: (itemId: string) => string | null,
): BorrowerFacts {
  return {
    role: session.user.role,
    loans: loans.map((l) => ({ category: categoryOf(l.itemId), dueAt: Date.parse(l.dueAt) })),
    openLoans: session.openLoans ?? 0,
    suspendedUntil: session.suspension?.until ?? null,
    suspensionNote: session.suspension?.note ?? null,
  };
}
