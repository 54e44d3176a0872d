/**
 * The `checkCart` effect: a confirmed cart judged by what this kiosk knows (its catalog, the
 * rows it has not synced yet, the lending policies the catalog brought); the server judges
 * again at sync. The rules themselves are pure (cart-check.ts, renewal-check.ts); this reads
 * the facts they judge by. A borrow some items of which may not go lists those items with
 * the rule, so the rest can go.
 */
import type { CartRefusal, ErrorCode, TxKind } from '../../../protocol/index.ts';
import { checkBorrowCart } from '../cart-check.ts';
import { effectiveState, type CatalogCache } from '../catalog/catalog-cache.ts';
import type { ServerClock } from '../clock/server-clock.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { renewalOptions } from '../renewal-check.ts';
import type { CartProblem, Session } from '../session/machine.ts';
import { withPending } from '../view.ts';

/** Why an item on its own is not lendable (rather than a rule over the person's cart). */
const ITEM_BLOCKS: readonly ErrorCode[] = ['ITEM_UNAVAILABLE', 'ITEM_NEEDS_CHECK', 'ITEM_NOT_ALLOWED'];
/** Item blocks that carry something to show (when a reservation frees the item): always listed. */
const ITEM_BLOCKS_WITH_NUMBERS: readonly ErrorCode[] = ['ITEM_RESERVED'];

export type CartCheckDeps = {
  outbox: Pick<Outbox, 'waiting'>;
  catalog: Pick<CatalogCache, 'items' | 'byId' | 'policies'> & Partial<Pick<CatalogCache, 'reservations'>>;
  clock: Pick<ServerClock, 'now'>;
};

export type CartChecker = ReturnType<typeof createCartChecker>;

export function createCartChecker(deps: CartCheckDeps) {
  /** Which of the session's loans may be renewed now, by the loans as this kiosk knows them. */
  function renewalsNow(session: Session) {
    if (session.offline) return [];
    const catalog = deps.catalog.items();
    const waiting = deps.outbox.waiting().newestByItem;
    const policies = deps.catalog.policies();
    return renewalOptions({
      session,
      loans: withPending(session.loans, waiting, session.user.id, catalog, policies, session.user.role),
      item: (id) => deps.catalog.byId(id),
      itemNow: effectiveState(catalog, waiting),
      policies,
      now: deps.clock.now(),
      reservations: deps.catalog.reservations?.() ?? null,
      catalog,
    });
  }

  /** Null: the cart may go. Throws what the database throws (the caller tells a fault). */
  function check(kind: TxKind, itemIds: string[], session: Session): CartProblem | null {
    const catalog = deps.catalog.items();
    const waiting = deps.outbox.waiting().newestByItem;
    const now = effectiveState(catalog, waiting);
    if (kind === 'borrow') {
      const check = checkBorrowCart({
        itemIds,
        item: (id) => deps.catalog.byId(id),
        itemNow: now,
        session,
        loans: withPending(session.loans, waiting, session.user.id, catalog),
        policies: deps.catalog.policies(),
        now: deps.clock.now(),
        reserved: { reservations: deps.catalog.reservations?.() ?? null, catalog },
      });
      if (check.unknown) return { code: 'ITEM_UNKNOWN' };
      if (check.refused.length === 0) return null;
      const code = check.refused[0]!.code;
      // The list is for a cart the rest of which may still go, or for a rule with numbers to
      // show; a cart whose every item is simply not lendable is answered by its code, as ever.
      const partial = check.refused.length < itemIds.length;
      const ruled = check.refused.some(
        (r) => !ITEM_BLOCKS.includes(r.code) || ITEM_BLOCKS_WITH_NUMBERS.includes(r.code),
      );
      return partial || ruled ? { code, refused: check.refused } : { code };
    }
    if (kind === 'renew') {
      // Each loan judged by the renewal rule; refused ones are listed with it, the rest may go.
      const options = new Map(renewalsNow(session).map((o) => [o.itemId, o]));
      const refused: CartRefusal[] = [];
      for (const id of itemIds) {
        const option = options.get(id);
        if (!option) refused.push({ itemId: id, code: 'ITEM_NOT_ON_LOAN' });
        else if (option.refusal) refused.push({ itemId: id, ...option.refusal });
      }
      return refused.length === 0 ? null : { code: refused[0]!.code, refused };
    }
    for (const id of itemIds) {
      const item = deps.catalog.byId(id);
      const state = now.get(id);
      if (!item || item.retired || !state) return { code: 'ITEM_UNKNOWN' };
      if (!state.onLoan) return { code: 'ITEM_NOT_ON_LOAN' };
    }
    return null;
  }

  return { check, renewalsNow };
}
