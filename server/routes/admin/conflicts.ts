/**
 * Conflicts: each with its evidence and the item's holder now; resolving one takes a note,
 * which goes to the audit log, and may correct where the item is (staff-correction.ts), in
 * the same transaction.
 */
import {
  AppError,
  ConflictParams,
  ConflictResponse,
  ConflictsQuery,
  ConflictsResponse,
  ResolveConflictRequest,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import type { ConflictRow } from '../../store/admin-store.ts';
import type { StoreOps } from '../../store/store.ts';
import { currentPolicies } from '../../policies/policies.ts';
import { correctHolder } from '../../sync/staff-correction.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { pageLimit, readCursor, writeCursor, type Cursor } from './list-paging.ts';
import { presentConflict } from './present.ts';
import { requestRange } from '../../http/request-time.ts';

/** Conflicts are cards with their evidence: fewer to a page than a table's rows. */
const CONFLICT_PAGE = 25;

/** A conflicts page starts after a received time (ms) and a transaction id. */
function conflictCursor(c: Cursor): { at: number; id: string } {
  const at = Number(c.value);
  if (!Number.isSafeInteger(at) || at < 0 || !/^[A-Za-z0-9_-]{1,64}$/.test(c.id))
    throw new AppError('BAD_REQUEST', 'this page link is not valid; start from the first page');
  return { at, id: c.id };
}

/** A conflict as staff see it: its evidence and who holds the item now. */
async function withHolder(store: StoreOps, c: ConflictRow) {
  const open = await store.openLoanOfItem(c.itemId);
  return presentConflict(c, open && { userId: open.userId, userName: open.userName, since: open.borrowedAt });
}

export async function conflictRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;

  app.get(
    '/v1/admin/conflicts',
    {
      onRequest: guards.staff,
      schema: { querystring: ConflictsQuery, response: { 200: ConflictsResponse, ...ERRORS } },
    },
    async (request) => {
      const q = request.query;
      const after = q.after ? conflictCursor(readCursor(q.after)) : null;
      const page = await store.conflictsPage({
        state: q.state ?? 'open',
        ...(q.kioskId ? { kioskId: q.kioskId } : {}),
        ...(q.code ? { code: q.code } : {}),
        ...requestRange(q),
        after,
        limit: pageLimit(q.limit ?? String(CONFLICT_PAGE)),
      });
      return {
        conflicts: await Promise.all(page.rows.map((c) => withHolder(store, c))),
        total: page.total,
        next: page.next ? writeCursor({ value: String(page.next.at), id: page.next.id }) : null,
      };
    },
  );

  app.post(
    '/v1/admin/conflicts/:id/resolve',
    {
      onRequest: guards.staff,
      schema: {
        params: ConflictParams,
        body: ResolveConflictRequest,
        response: { 200: ConflictResponse, ...ERRORS },
      },
    },
    async (request) => {
      const { note, holder } = request.body;
      const user = request.user!;
      const now = deps.clock.now();
      const { before, holderName, corrected } = await store.withTransaction(async (tx) => {
        const before = await tx.findConflict(request.params.id);
        if (!before) throw new AppError('NOT_FOUND', 'no such conflict');
        const person = holder ? await tx.findUserById(holder) : null;
        if (holder && !person) throw new AppError('NOT_FOUND', 'no such person');
        const item = holder === undefined ? null : await tx.findItem(before.itemId);
        if (holder !== undefined && !item) throw new AppError('ITEM_UNKNOWN', 'the item is gone');
        if (!(await tx.resolveConflict(before.id, user.displayName, note, now)))
          throw new AppError('ALREADY_EXISTS', 'conflict already resolved');
        const corrected =
          holder === undefined
            ? null
            : await correctHolder(tx, {
                item: item!,
                holder,
                at: now,
                note: `${user.displayName}: ${note}`,
                policies: (await currentPolicies(tx, deps.maxLoansPerPerson)).policies,
              });
        return { before, holderName: person?.displayName ?? null, corrected };
      });
      const where =
        holder === undefined
          ? ''
          : corrected === null
            ? ' · loans already right'
            : holder === null
              ? ' · now: back, loan closed'
              : ` · now: with ${holderName}`;
      await record(request, {
        action: 'conflict.resolve',
        targetKind: 'transaction',
        targetId: before.id,
        detail: `${before.code ?? before.status} · ${before.itemName ?? before.itemId}: ${note}${where}`,
      });
      return { conflict: await withHolder(store, (await store.findConflict(before.id))!) };
    },
  );
}
