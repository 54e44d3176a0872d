/**
 * Contract: renewals through the sync use case (server/sync/apply-batch.ts, a kiosk's 'renew'
 * row) and the dashboard's (server/sync/renewal.ts): applied exactly once, judged by the
 * rule in protocol/renewals.ts, refused ones a conflict that leaves the loan as it was.
 */
import { describe, expect, it } from 'vitest';
import { applySyncBatch } from '../../../../server/sync/apply-batch.ts';
import { renewFromDashboard } from '../../../../server/sync/renewal.ts';
import { defaultPolicies, type PolicySet } from '../../../../protocol/index.ts';
import { DAY, HOUR, MIN, T0, expectAppError, row, world, type StoreContext } from './fixtures.ts';

/** No opening hours, no closed days: a renewal adds exactly the loan period. */
const policies = (maxRenewals: number): PolicySet => ({
  ...defaultPolicies(10),
  timeZone: 'UTC',
  default: { ...defaultPolicies(10).default, maxRenewals },
});

export function registerRenewalContract(ctx: StoreContext): void {
  describe('renewals', () => {
    const lend = async () => {
      const { store } = ctx;
      const w = await world(store);
      const p = policies(1);
      const [b] = await applySyncBatch(
        store,
        w.k1.id,
        [row({ id: 'b-1', seq: 1, kind: 'borrow', itemId: w.cam.id, userId: w.ann.id, occurredAt: T0 })],
        T0 + MIN,
        { maxLoansPerPerson: 10, policies: p },
      );
      expect(b!.status).toBe('applied');
      return { ...w, p, loanId: b!.loanId! };
    };

    it('a renew row moves the due date by one loan period from the old one, once, however often it is sent', async () => {
      const { store } = ctx;
      const { ann, cam, k1, p, loanId } = await lend();
      const renew = row({
        id: 'r-1',
        seq: 2,
        kind: 'renew',
        itemId: cam.id,
        userId: ann.id,
        occurredAt: T0 + DAY,
      });
      const first = await applySyncBatch(store, k1.id, [renew], T0 + DAY + MIN, {
        maxLoansPerPerson: 10,
        policies: p,
      });
      expect(first).toEqual([{ id: 'r-1', status: 'applied', loanId }]);
      const loan = await store.findLoan(loanId);
      expect(loan).toMatchObject({ dueAt: T0 + 14 * DAY, renewals: 1, returnedAt: null, userId: ann.id });
      // Sent again (a lost acknowledgement): the first answer, nothing moves a second time.
      const again = await applySyncBatch(store, k1.id, [renew], T0 + DAY + 2 * MIN, {
        maxLoansPerPerson: 10,
        policies: p,
      });
      expect(again).toEqual([{ id: 'r-1', status: 'duplicate', first: { status: 'applied', loanId } }]);
      expect(await store.findLoan(loanId)).toMatchObject({ dueAt: T0 + 14 * DAY, renewals: 1 });
      // The item is still out with Ann: a renewal lends nothing new and closes nothing.
      expect((await store.openLoanOfItem(cam.id))?.id).toBe(loanId);
      expect(await store.countOpenLoansOf(ann.id)).toBe(1);
    });

    it('renewals exhausted: a conflict naming the rule, the loan as it was, the person still holding it', async () => {
      const { store } = ctx;
      const { ann, cam, k1, p, loanId } = await lend();
      const rules = { maxLoansPerPerson: 10, policies: p };
      const r1 = row({
        id: 'r-1',
        seq: 2,
        kind: 'renew',
        itemId: cam.id,
        userId: ann.id,
        occurredAt: T0 + HOUR,
      });
      const r2 = row({
        id: 'r-2',
        seq: 3,
        kind: 'renew',
        itemId: cam.id,
        userId: ann.id,
        occurredAt: T0 + 2 * HOUR,
      });
      const results = await applySyncBatch(store, k1.id, [r1, r2], T0 + 3 * HOUR, rules);
      expect(results).toEqual([
        { id: 'r-1', status: 'applied', loanId },
        { id: 'r-2', status: 'conflict', code: 'RENEWAL_LIMIT_REACHED', loanId },
      ]);
      expect(await store.findLoan(loanId)).toMatchObject({
        dueAt: T0 + 14 * DAY,
        renewals: 1,
        returnedAt: null,
      });
      expect((await store.openLoanOfItem(cam.id))?.userId).toBe(ann.id);
    });

    it('a renewal of a loan returned meanwhile, or held by someone else, is a conflict and changes nothing', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1, k2, p, loanId } = await lend();
      const rules = { maxLoansPerPerson: 10, policies: p };
      await applySyncBatch(
        store,
        k2.id,
        [row({ id: 'ret', seq: 1, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + HOUR })],
        T0 + HOUR,
        rules,
      );
      const [late] = await applySyncBatch(
        store,
        k1.id,
        [
          row({
            id: 'r-1',
            seq: 2,
            kind: 'renew',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 2 * HOUR,
          }),
        ],
        T0 + 3 * HOUR,
        rules,
      );
      expect(late).toEqual({ id: 'r-1', status: 'conflict', code: 'ITEM_NOT_ON_LOAN' });
      expect(await store.findLoan(loanId)).toMatchObject({ dueAt: T0 + 7 * DAY, renewals: 0 });
      // Bo renewing a loan that is not his: the same, and it does not lend him the item.
      const [other] = await applySyncBatch(
        store,
        k1.id,
        [row({ id: 'r-2', seq: 3, kind: 'renew', itemId: cam.id, userId: bo.id, occurredAt: T0 + 3 * HOUR })],
        T0 + 4 * HOUR,
        rules,
      );
      expect(other).toMatchObject({ status: 'conflict', code: 'ITEM_NOT_ON_LOAN' });
      expect(await store.openLoanOfItem(cam.id)).toBeNull();
    });

    it('a late borrow/return re-deriving the item\u2019s loans keeps a renewed due date (renewals are not on the timeline)', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1, k2, p, loanId } = await lend();
      const rules = { maxLoansPerPerson: 10, policies: p };
      await applySyncBatch(
        store,
        k1.id,
        [
          row({
            id: 'r-1',
            seq: 2,
            kind: 'renew',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 2 * HOUR,
          }),
        ],
        T0 + 2 * HOUR,
        rules,
      );
      // Kiosk 2 was offline: Bo's earlier return attempt of the camera (before Ann's renewal) lands late.
      const [late] = await applySyncBatch(
        store,
        k2.id,
        [row({ id: 'x-1', seq: 1, kind: 'return', itemId: cam.id, userId: bo.id, occurredAt: T0 - HOUR })],
        T0 + 3 * HOUR,
        rules,
      );
      expect(late!.status).toBe('conflict');
      expect(await store.findLoan(loanId)).toMatchObject({
        dueAt: T0 + 14 * DAY,
        renewals: 1,
        returnedAt: null,
      });
    });

    it('from the dashboard: renewed once with an audit entry; exhausted and not-theirs refused, nothing saved', async () => {
      const { store } = ctx;
      const { ann, bo, p, loanId } = await lend();
      const actor = { kind: 'user' as const, id: ann.id, name: 'Ann', via: null };
      const base = { loanId, ownerOnly: ann.id, actor, policies: p, maxLoans: 10, now: T0 + DAY };
      await expectAppError(renewFromDashboard(store, { ...base, ownerOnly: bo.id }), 'NOT_FOUND');
      const renewed = await renewFromDashboard(store, base);
      expect(renewed).toMatchObject({ id: loanId, dueAt: T0 + 14 * DAY, renewals: 1 });
      await expectAppError(renewFromDashboard(store, base), 'RENEWAL_LIMIT_REACHED');
      expect(await store.findLoan(loanId)).toMatchObject({ dueAt: T0 + 14 * DAY, renewals: 1 });
      const audit = (await store.auditLog({ limit: 10 })).filter((a) => a.action === 'loan.renew');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ targetId: loanId });
    });
  });
}
