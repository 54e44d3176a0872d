/** Contract: lending policies and suspensions (server/store/policy-store.ts). */
import { describe, expect, it } from 'vitest';
import { defaultPolicies, type PolicySet } from '../../../../protocol/index.ts';
import { currentPolicies, savePolicies } from '../../../../server/policies/policies.ts';
import { applySyncBatch } from '../../../../server/sync/apply-batch.ts';
import {
  DAY,
  MIN,
  T0,
  expectAppError,
  gear,
  kiosk,
  person,
  row,
  sync,
  type StoreContext,
} from './fixtures.ts';

export function registerPolicyContract(ctx: StoreContext): void {
  registerPolicySyncContract(ctx);
  describe('lending policies', () => {
    it('keeps one policy set, replaced whole, with when and by whom', async () => {
      const { store } = ctx;
      expect(await store.getPolicies()).toBeNull();
      await store.putPolicies({ body: '{"a":1}', updatedAt: T0, updatedBy: 'Ann' });
      await store.putPolicies({ body: '{"b":2}', updatedAt: T0 + MIN, updatedBy: null });
      expect(await store.getPolicies()).toEqual({ body: '{"b":2}', updatedAt: T0 + MIN, updatedBy: null });
    });

    it('a put rolled back with its transaction leaves the old set', async () => {
      const { store } = ctx;
      await store.putPolicies({ body: 'old', updatedAt: T0, updatedBy: 'Ann' });
      await expect(
        store.withTransaction(async (tx) => {
          await tx.putPolicies({ body: 'new', updatedAt: T0 + 1, updatedBy: 'Ann' });
          throw new Error('audit failed');
        }),
      ).rejects.toThrow('audit failed');
      expect((await store.getPolicies())?.body).toBe('old');
    });

    it('saves a valid set with its audit entry, and nothing of an invalid one', async () => {
      const { store } = ctx;
      const actor = { kind: 'user' as const, id: null, name: 'Ann', via: null };
      expect((await currentPolicies(store, 4)).policies).toEqual(defaultPolicies(4));
      const good = { ...defaultPolicies(4), closedDays: ['2026-12-25', '2026-10-09'] };
      await savePolicies(store, good, actor, T0);
      await expectAppError(
        savePolicies(store, { ...good, timeZone: 'Nowhere/Land' }, actor, T0 + MIN),
        'POLICY_TIME_ZONE_INVALID',
      );
      await expectAppError(
        savePolicies(store, { ...good, default: { ...good.default, maxItems: -3 } }, actor, T0 + MIN),
        'POLICY_LIMIT_INVALID',
      );
      const now = await currentPolicies(store, 4);
      expect(now).toEqual({
        policies: { ...good, closedDays: ['2026-10-09', '2026-12-25'] },
        updatedAt: T0,
        updatedBy: 'Ann',
      });
      const log = await store.auditLog({ limit: 10 });
      expect(log.filter((e) => e.action === 'policies.update')).toHaveLength(1);
    });

    it('suspends a person until a date with a note, and lifts it', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      expect(await store.suspensionOf(ann.id)).toBeNull();
      expect(await store.setSuspension(ann.id, { until: '2026-03-09', note: '두 번 연체' })).toBe(true);
      expect(await store.setSuspension('nobody', { until: '2026-03-09', note: null })).toBe(false);
      expect(await store.suspensionOf(ann.id)).toEqual({ until: '2026-03-09', note: '두 번 연체' });
      expect(await store.suspensions()).toEqual([
        { userId: ann.id, displayName: 'Ann', until: '2026-03-09', note: '두 번 연체' },
      ]);
      expect(await store.suspensionOf(bo.id)).toBeNull();
      await store.setSuspension(ann.id, null);
      expect(await store.suspensionOf(ann.id)).toBeNull();
      expect(await store.suspensions()).toEqual([]);
    });

    it("gives a person's open loans with category and due time", async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const cam = await gear(store, 'CAM-1', { category: 'Photo', loanDays: 7 });
      const mic = await gear(store, 'MIC-1', { category: 'Audio', loanDays: 2 });
      const k = await kiosk(store, 'Front');
      await sync(
        store,
        k.id,
        [
          row({ id: 't1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 't2', seq: 2, kind: 'borrow', itemId: mic.id, userId: ann.id, occurredAt: T0 + MIN }),
          row({ id: 't3', seq: 3, kind: 'return', itemId: mic.id, userId: ann.id, occurredAt: T0 + 2 * MIN }),
        ],
        T0 + 3 * MIN,
      );
      const facts = await store.openLoanFacts(ann.id);
      expect(facts).toEqual([{ category: 'Photo', dueAt: T0 + 7 * DAY }]);
      expect(typeof facts[0]!.dueAt).toBe('number');
    });
  });
}

export function registerPolicySyncContract(ctx: StoreContext): void {
  describe('lending policies at sync', () => {
    it('a borrow the policies refuse is applied and a conflict naming the rule; loans fall due by them', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const cam = await gear(store, 'CAM-1', { category: 'Photo', loanDays: 7 });
      const lens = await gear(store, 'LEN-1', { category: 'Photo', loanDays: 7 });
      const k = await kiosk(store, 'Front');
      const policies: PolicySet = {
        ...defaultPolicies(5),
        timeZone: 'Asia/Seoul',
        hours: Array.from({ length: 7 }, () => ({ open: '09:00', close: '18:00' })),
        // T0 is Monday 2026-03-02 18:00 KST; seven days on, the 9th, is closed.
        closedDays: ['2026-03-09'],
        rules: [{ category: 'Photo', role: null, maxPerCategory: 1 }],
      };
      const results = await applySyncBatch(
        store,
        k.id,
        [
          row({ id: 'p1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'p2', seq: 2, kind: 'borrow', itemId: lens.id, userId: ann.id, occurredAt: T0 + MIN }),
        ],
        T0 + 2 * MIN,
        { maxLoansPerPerson: 5, policies },
      );
      expect(results.map((r) => [r.status, r.code ?? null])).toEqual([
        ['applied', null],
        ['conflict', 'CATEGORY_LIMIT_REACHED'],
      ]);
      // Physical truth: both are out; the second is flagged for a person.
      const facts = await store.openLoanFacts(ann.id);
      expect(facts).toHaveLength(2);
      // Due on the 10th at 18:00 KST (09:00Z): the 9th is closed.
      expect(facts[0]!.dueAt).toBe(Date.parse('2026-03-10T09:00:00.000Z'));
      expect(facts[1]!.dueAt).toBe(Date.parse('2026-03-10T09:00:00.000Z'));
    });
  });
}
