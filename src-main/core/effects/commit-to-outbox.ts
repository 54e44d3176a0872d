/**
 * The `commit` effect: a checked cart written to the outbox in one transaction (the durable
 * commit: only after it returns may the screen say "done"), and the receipt built from what
 * was written. Online rows carry the rental token; offline rows each their own roster proof.
 */
import { AppError, loanDueAt, policyDueAt, type Role, type TxAuth } from '../../../protocol/index.ts';
import type { CatalogCache } from '../catalog/catalog-cache.ts';
import type { ServerClock } from '../clock/server-clock.ts';
import type { RosterMatch } from '../identity/offline-roster.ts';
import type { NewRow, Outbox } from '../outbox/outbox.ts';
import type { Effect, Receipt } from '../session/machine.ts';
import type { CartChecker } from './check-cart.ts';

export type CommitDeps = {
  outbox: Pick<Outbox, 'append'>;
  catalog: Pick<CatalogCache, 'byId' | 'policies'>;
  clock: Pick<ServerClock, 'now' | 'trusted'>;
  renewalsNow: CartChecker['renewalsNow'];
};

type CommitEffect = Extract<Effect, { type: 'commit' }>;

export function createOutboxCommitter(deps: CommitDeps) {
  /**
   * This kiosk's rows are stamped in the order they were committed: the estimate of server
   * time may move back a few ms when a better sample arrives (or more when the clock is
   * stepped with no sample to correct it), and a return stamped before its borrow would be
   * placed before it on the item's timeline.
   */
  let lastStamp = -Infinity;
  const stamp = () => (lastStamp = Math.max(deps.clock.now(), lastStamp + 1));

  /** When a loan of `item` lent now is due: by the lending policies the catalog brought. */
  function dueOf(item: { category: string; loanDays: number }, at: number, role: Role): number {
    const policies = deps.catalog.policies();
    return policies ? policyDueAt(policies, at, item, role) : loanDueAt(at, item.loanDays);
  }

  /** Writes the rows and answers with the receipt; throws what the write throws. */
  return function commit(effect: CommitEffect, prove: RosterMatch['prove'] | undefined): Receipt {
    const { kind, itemIds, session } = effect;
    const reports = new Map((effect.reports ?? []).map((r) => [r.itemId, r]));
    const at = stamp();
    const offline = session.token ? null : session.offlineAuth;
    if (!session.token && !(offline && prove))
      throw new AppError('SESSION_REQUIRED', 'no rental token or roster proof');
    const clockTrusted = deps.clock.trusted();
    // A renewal's receipt shows the due date it gives, judged before its row is written.
    const renewedTo =
      kind === 'renew' ? new Map(deps.renewalsNow(session).map((o) => [o.itemId, o.newDueAt])) : null;
    const rows: NewRow[] = itemIds.map((itemId) => {
      const fields = { kind, itemId, userId: session.user.id, occurredAt: at, clockTrusted };
      // Offline: each row signed on its own, so no row's proof can stand for another.
      const auth: TxAuth = session.token
        ? { kind: 'rental', token: session.token }
        : { ...offline!, ...prove!(fields) };
      const report = reports.get(itemId);
      return {
        ...fields,
        auth,
        note: report?.note ?? null,
        condition: report?.condition ?? null,
        missingParts: report?.missingParts ?? null,
      };
    });
    const written = deps.outbox.append(rows);
    return {
      kind,
      at,
      rowIds: written.map((r) => r.id),
      lines: itemIds.map((itemId) => {
        const item = deps.catalog.byId(itemId);
        const renewed = renewedTo?.get(itemId);
        return {
          itemId,
          itemName: item?.name ?? itemId,
          dueAt:
            kind === 'borrow' && item
              ? dueOf(item, at, session.user.role)
              : renewed
                ? Date.parse(renewed)
                : null,
        };
      }),
    };
  };
}
