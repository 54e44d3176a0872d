/** Contract: lending policies and suspensions (server/store/policy-store.ts). */
import { describe, expect, it } from 'vitest';
import { DAY, MIN, T0, gear, kiosk, person, row, sync, type StoreContext } from './fixtures.ts';

export function registerPolicyContract(ctx: StoreContext): void {
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
