/**
 * Contract: the usage report reads the period's loans by time for every item and by item for
 * one category (server/store/sql/reports.ts). Both must add up the same loans: an item lent
 * twice in the period, one lent and still out, one renewed, loans that end or begin exactly
 * at an edge of the period.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicies, type PolicySet } from '../../../../protocol/index.ts';
import { applySyncBatch } from '../../../../server/sync/apply-batch.ts';
import { DAY, HOUR, MIN, T0, gear, kiosk, person, row, type StoreContext } from './fixtures.ts';

const policies: PolicySet = {
  ...defaultPolicies(10),
  timeZone: 'UTC',
  default: { ...defaultPolicies(10).default, maxRenewals: 3 },
};

export function registerUsageReportContract(ctx: StoreContext): void {
  describe('usage report: every item and one category agree', () => {
    it('adds up two loans of one item, an open loan, a renewed loan, and nothing at the edges', async () => {
      const { store } = ctx;
      const k = await kiosk(store, 'lobby');
      const ann = await person(store, 'Ann');
      const twice = await gear(store, 'CAM-1', { category: 'Cameras' });
      const open = await gear(store, 'CAM-2', { category: 'Cameras' });
      const renewed = await gear(store, 'LAP-1', { category: 'Laptops' });
      const before = await gear(store, 'LAP-2', { category: 'Laptops' });
      const after = await gear(store, 'LAP-3', { category: 'Laptops' });
      const from = T0;
      const to = T0 + 10 * DAY;
      let seq = 0;
      const tx = (kind: 'borrow' | 'return' | 'renew', itemId: string, at: number) =>
        row({ id: `tx-${++seq}`, seq, kind, itemId, userId: ann.id, occurredAt: at });
      const results = await applySyncBatch(
        store,
        k.id,
        [
          // CAM-1: out across the start of the period (counts from its start), then again inside it
          tx('borrow', twice.id, from - DAY),
          tx('return', twice.id, from + 2 * HOUR),
          tx('borrow', twice.id, from + DAY),
          tx('return', twice.id, from + DAY + 5 * HOUR),
          // LAP-2: returned exactly when the period starts: not in it
          tx('borrow', before.id, from - 2 * DAY),
          tx('return', before.id, from),
          // LAP-1: borrowed in the period, renewed, still out after it ends
          tx('borrow', renewed.id, from + 3 * DAY),
          tx('renew', renewed.id, from + 4 * DAY),
          // CAM-2: borrowed in the period and still out
          tx('borrow', open.id, from + 8 * DAY),
          // LAP-3: borrowed exactly when the period ends: not in it
          tx('borrow', after.id, to),
        ],
        to + MIN,
        { maxLoansPerPerson: 10, policies },
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill('applied'));
      expect(await store.findLoan(results[7]!.loanId!)).toMatchObject({ renewals: 1, returnedAt: null });

      const all = await store.itemUsage({ from, to, limit: 100 });
      const want = [
        [renewed.id, 1, 7 * DAY],
        [open.id, 1, 2 * DAY],
        [twice.id, 1, 7 * HOUR],
      ];
      expect(all.rows.map((r) => [r.itemId, r.loans, r.msOnLoan])).toEqual(want);
      expect([all.items, all.itemsUsed]).toEqual([5, 3]);

      const cameras = await store.itemUsage({ from, to, category: 'Cameras', limit: 100 });
      expect(cameras.rows.map((r) => [r.itemId, r.loans, r.msOnLoan])).toEqual([want[1], want[2]]);
      expect([cameras.items, cameras.itemsUsed]).toEqual([2, 2]);
      const laptops = await store.itemUsage({ from, to, category: 'Laptops', limit: 100 });
      expect(laptops.rows).toEqual([all.rows[0]]);
      expect([laptops.items, laptops.itemsUsed]).toEqual([3, 1]);

      // A period inside CAM-1's second loan: the part of it in the period, and the loan.
      const inside = await store.itemUsage({
        from: from + DAY + HOUR,
        to: from + DAY + 2 * HOUR,
        limit: 100,
      });
      expect(inside.rows.map((r) => [r.itemId, r.loans, r.msOnLoan])).toEqual([[twice.id, 0, HOUR]]);
      const insideCameras = await store.itemUsage({
        from: from + DAY + HOUR,
        to: from + DAY + 2 * HOUR,
        category: 'Cameras',
        limit: 100,
      });
      expect(insideCameras.rows).toEqual(inside.rows);
    });
  });
}
