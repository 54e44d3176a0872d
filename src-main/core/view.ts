/**
 * Builds the KioskView the UI renders from: the machine's state, the catalog with this
 * kiosk's pending rows laid over it, and the sync and reader status. Pure given its inputs.
 */
import type { KioskItem, KioskView, PolicySet, Role } from '../../protocol/index.ts';
import {
  borrowBlock,
  loanDueAt,
  personBlock,
  policyDueAt,
  renewedDueAt,
  ruleFor,
  toIso,
} from '../../protocol/index.ts';
import { borrowerOf, ruleReason } from './cart-check.ts';
import { renewalOptions } from './renewal-check.ts';
import { reservedForYou, reservedRefusal } from './reservation-check.ts';
import type { CatalogCache } from './catalog/catalog-cache.ts';
import { photoUrl } from './catalog/photo-store.ts';
import { effectiveState } from './catalog/catalog-cache.ts';
import type { Outbox, WaitingRow } from './outbox/outbox.ts';
import { nextDeadline, type Config, type State } from './session/machine.ts';
import type { SyncLoop } from './sync/sync-loop.ts';
import { storageFault } from './sqlite.ts';

export type ViewDeps = {
  outbox: Pick<Outbox, 'waiting' | 'anyWaiting' | 'needsAttention'>;
  catalog: Pick<CatalogCache, 'items' | 'openConflicts'> &
    Partial<Pick<CatalogCache, 'policies' | 'reservations'>>;
  sync: Pick<SyncLoop, 'status'>;
  machine: Config;
  simulator: boolean;
  readers: () => KioskView['status']['readers'];
  simulatorBadges?: { label: string; credential: string }[];
  /** Whom to ask when a badge is refused (config helpContact). */
  helpContact?: string;
  /** Which photo thumbnails are on disk; an item shows one only then. */
  photos?: { has(hash: string): boolean };
};

/** What the view reads from the kiosk's database, or why it could not. */
function readStore(deps: ViewDeps, receiptRowIds: string[]) {
  try {
    return {
      waiting: deps.outbox.waiting(),
      receiptWaiting: deps.outbox.anyWaiting(receiptRowIds),
      catalog: deps.catalog.items(),
      needsAttention: deps.outbox.needsAttention(deps.catalog.openConflicts()),
      policies: deps.catalog.policies?.() ?? null,
      reservations: deps.catalog.reservations?.() ?? null,
      fault: null,
    };
  } catch (err) {
    const fault = storageFault(err);
    if (!fault) throw err;
    return {
      waiting: { newestByItem: [], count: 0 },
      receiptWaiting: false,
      catalog: [],
      needsAttention: 0,
      policies: null,
      reservations: null,
      fault,
    };
  }
}

/**
 * `fault`: the kiosk's database failed earlier (the core keeps the first fault until a
 * restart). Then, or when this read fails, every screen but service mode is "out of service".
 */
export function buildView({
  state,
  deps,
  now,
  fault: knownFault = null,
}: {
  state: State;
  deps: ViewDeps;
  now: number;
  fault?: string | null;
}): KioskView {
  const read = readStore(deps, state.screen === 'receipt' ? state.receipt.rowIds : []);
  const { waiting, catalog, needsAttention } = read;
  const fault = knownFault ?? read.fault;
  const itemNow = effectiveState(catalog, waiting.newestByItem);
  const session = state.screen === 'session' || state.screen === 'committing' ? state.session : null;
  const policies = read.policies;

  const movedHere = new Set(waiting.newestByItem.map((r) => r.itemId));
  // Reservations (issue 16): an item held for someone else is not lendable to this person now.
  const scene = { reservations: read.reservations, catalog, itemNow, at: now };
  const items: KioskItem[] = catalog.map((i) => {
    const reserved = session ? reservedRefusal(i, session.user.id, scene) : null;
    return {
      id: i.id,
      tag: i.tag,
      name: i.name,
      category: i.category,
      // The period this person would get: a rule for their role and the category may set it.
      loanDays:
        (policies && session ? ruleFor(policies, i.category, session.user.role).loanDays : null) ??
        i.loanDays,
      available: !itemNow.get(i.id)?.onLoan,
      blockedFor:
        borrowBlock({ ...i, condition: itemNow.get(i.id)?.condition ?? 'ok' }, session?.user.role ?? null) ??
        (policies && session && !ruleFor(policies, i.category, session.user.role).mayBorrow
          ? 'CATEGORY_NOT_ALLOWED'
          : null) ??
        (reserved ? 'ITEM_RESERVED' : null),
      // The server's holder, unless a row of this kiosk not yet synced has moved the item since.
      ...(i.heldBy && itemNow.get(i.id)?.onLoan && !movedHere.has(i.id) ? { heldBy: i.heldBy } : {}),
      ...(i.photo && deps.photos?.has(i.photo) ? { photo: photoUrl(i.photo) } : {}),
      ...(reserved?.freeAt ? { freeAt: reserved.freeAt } : {}),
      ...(i.parts?.length ? { parts: i.parts } : {}),
    };
  });

  // The person's loans as this kiosk knows them: the server's list, plus unsynced
  // borrows of theirs, minus unsynced returns.
  const loans = session
    ? withPending(session.loans, waiting.newestByItem, session.user.id, catalog, policies, session.user.role)
    : [];
  // Said at once, before anything is put in a cart: a suspension, or overdue loans that block.
  const categories = new Map(catalog.map((i) => [i.id, i.category]));
  const blocked =
    policies && session
      ? personBlock(
          policies,
          borrowerOf(session, loans, (id) => categories.get(id) ?? null),
          now,
        )
      : null;
  const block = blocked ? ruleReason(blocked) : null;
  // Which loans may be renewed now, and until when: shown before anyone confirms.
  const byId = new Map(catalog.map((i) => [i.id, i]));
  const renewals =
    session && !session.offline
      ? renewalOptions({
          session,
          loans,
          item: (id) => byId.get(id) ?? null,
          itemNow,
          policies,
          now,
          reservations: read.reservations,
          catalog,
        })
      : [];
  // The person's reservations waiting for them now: shown first, each taken with one touch.
  const mine = session ? reservedForYou(session.user.id, scene) : [];
  const sync = deps.sync.status();
  const deadline = nextDeadline(state, deps.machine);

  return {
    screen: fault && state.screen !== 'service' ? 'outOfService' : state.screen,
    now: toIso(now),
    session: session
      ? {
          user: session.user,
          loans,
          offline: session.offline,
          expiresAt: toIso(session.expiresAt),
          idleDeadline: toIso(deadline ?? session.lastActivityAt + deps.machine.inactivityMs),
          ...(block ? { block } : {}),
          ...(renewals.length > 0 ? { renewals } : {}),
          ...(mine.length > 0 ? { reservedForYou: mine } : {}),
        }
      : null,
    receipt:
      state.screen === 'receipt'
        ? {
            kind: state.receipt.kind,
            at: toIso(state.receipt.at),
            pendingSync: read.receiptWaiting,
            lines: state.receipt.lines.map((l) => ({
              itemId: l.itemId,
              itemName: l.itemName,
              dueAt: l.dueAt === null ? null : toIso(l.dueAt),
            })),
          }
        : null,
    error: state.screen === 'denied' ? state.code : state.screen === 'session' ? state.error : null,
    status: {
      online: sync.online,
      pending: waiting.count,
      lastSyncAt: sync.lastSyncAt === null ? null : toIso(sync.lastSyncAt),
      readers: deps.readers(),
      simulator: deps.simulator,
      syncing: sync.syncing,
      needsAttention,
      ...(fault ? { storageFault: fault } : {}),
      ...(deps.simulator && deps.simulatorBadges ? { simulatorBadges: deps.simulatorBadges } : {}),
      ...(deps.helpContact ? { helpContact: deps.helpContact } : {}),
    },
    items,
    service:
      state.screen === 'service'
        ? {
            admin: state.session.user,
            people: state.people,
            idleDeadline: toIso(deadline ?? now),
            enrol: state.enrol && {
              userId: state.enrol.userId,
              displayName: state.enrol.displayName,
              // The UI knows waiting/enrolled/failed; a request in flight is still "waiting".
              state: state.enrol.state === 'enrolling' ? 'waiting' : state.enrol.state,
              error: state.enrol.error,
            },
          }
        : null,
  };
}

type Loan = NonNullable<KioskView['session']>['loans'][number];

export function withPending(
  loans: Loan[],
  newestByItem: WaitingRow[],
  userId: string,
  catalog: ReturnType<CatalogCache['items']>,
  policies: PolicySet | null = null,
  role: Role | null = null,
): Loan[] {
  const byItem = new Map(loans.map((l) => [l.itemId, l]));
  const items = new Map(catalog.map((i) => [i.id, i]));
  for (const row of newestByItem) {
    // This person's renewal not yet synced: the loan as it will be (one more renewal, its new
    // due date by the same rule). Only the newest row of an item is seen; the server counts
    // every renewal again at sync.
    if (row.kind === 'renew' && row.userId === userId) {
      const loan = byItem.get(row.itemId);
      const item = items.get(row.itemId);
      if (loan && loan.renewals !== undefined && item && policies && role) {
        const person = { role, loans: [], suspendedUntil: null, suspensionNote: null };
        const dueAt = renewedDueAt(policies, {
          loan: { dueAt: Date.parse(loan.dueAt), renewals: loan.renewals },
          item,
          person,
        });
        byItem.set(row.itemId, { ...loan, dueAt: toIso(dueAt), renewals: loan.renewals + 1 });
      }
      continue;
    }
    // The newest waiting row says where the item is now: returned, or with someone else.
    if (row.kind === 'return' || row.userId !== userId) byItem.delete(row.itemId);
    else {
      const item = items.get(row.itemId);
      byItem.set(row.itemId, {
        id: row.id,
        itemId: row.itemId,
        itemName: item?.name ?? row.itemId,
        borrowedAt: toIso(row.occurredAt),
        dueAt: toIso(
          policies && role && item
            ? policyDueAt(policies, row.occurredAt, item, role)
            : loanDueAt(row.occurredAt, item?.loanDays ?? 1),
        ),
      });
    }
  }
  return [...byItem.values()];
}
