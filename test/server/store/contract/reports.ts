/** Contract: the dashboard's reports (overdue by person and category, usage per item). */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, gear, kiosk, person, row, sync, type StoreContext } from './fixtures.ts';

export function registerReportContract(ctx: StoreContext): void {
  describe('reports', () => {
    /** Five items (two cameras, three laptops), three out since T0 and one lent and back before it. */
    async function world() {
      const { store } = ctx;
      const k = await kiosk(store, 'lobby');
      const ann = await person(store, 'Ann');
      const bob = await person(store, 'Bob');
      const a = await gear(store, 'CAM-A', { category: 'Cameras' });
      const b = await gear(store, 'CAM-B', { category: 'Cameras' });
      const c = await gear(store, 'LAP-C', { category: 'Laptops' });
      const d = await gear(store, 'LAP-D', { category: 'Laptops' });
      const e = await gear(store, 'LAP-E', { category: 'Laptops' });
      const results = await sync(
        store,
        k.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: d.id, userId: bob.id, occurredAt: T0 - 2 * DAY }),
          row({ id: 'tx-2', seq: 2, kind: 'return', itemId: d.id, userId: bob.id, occurredAt: T0 - DAY }),
          row({ id: 'tx-3', seq: 3, kind: 'borrow', itemId: a.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-4', seq: 4, kind: 'borrow', itemId: b.id, userId: ann.id, occurredAt: T0 + HOUR }),
          row({
            id: 'tx-5',
            seq: 5,
            kind: 'borrow',
            itemId: c.id,
            userId: bob.id,
            occurredAt: T0 + 2 * HOUR,
          }),
        ],
        T0 + 3 * HOUR,
      );
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
      return { ann, bob, a, b, c, d, e };
    }

    it('groups overdue loans by person, longest overdue first, with totals over every person', async () => {
      const { store } = ctx;
      const { ann, bob } = await world();
      const now = T0 + 8 * DAY;
      const all = await store.overdueByPerson({ now, limit: 100 });
      expect(all.rows).toEqual([
        { userId: ann.id, userName: 'Ann', email: 'ann@example.org', loans: 2, oldestDueAt: T0 + 7 * DAY },
        {
          userId: bob.id,
          userName: 'Bob',
          email: 'bob@example.org',
          loans: 1,
          oldestDueAt: T0 + 7 * DAY + 2 * HOUR,
        },
      ]);
      expect([all.people, all.loans]).toEqual([2, 3]);
      // The limit cuts the rows, never the totals.
      const first = await store.overdueByPerson({ now, limit: 1 });
      expect(first.rows.map((r) => r.userId)).toEqual([ann.id]);
      expect([first.people, first.loans]).toEqual([2, 3]);
      const laptops = await store.overdueByPerson({ now, category: 'Laptops', limit: 100 });
      expect(laptops.rows.map((r) => [r.userId, r.loans])).toEqual([[bob.id, 1]]);
      expect([laptops.people, laptops.loans]).toEqual([1, 1]);
      // Half an hour past the first due time, only that one loan is overdue.
      const early = await store.overdueByPerson({ now: T0 + 7 * DAY + 30 * 60_000, limit: 100 });
      expect(early.rows.map((r) => [r.userId, r.loans])).toEqual([[ann.id, 1]]);
      const none = await store.overdueByPerson({ now: T0 + DAY, limit: 100 });
      expect(none).toEqual({ rows: [], people: 0, loans: 0 });
    });

    it('groups overdue loans by category, most loans first', async () => {
      const { store } = ctx;
      await world();
      expect(await store.overdueByCategory(T0 + 8 * DAY)).toEqual([
        { category: 'Cameras', loans: 2, people: 1, oldestDueAt: T0 + 7 * DAY },
        { category: 'Laptops', loans: 1, people: 1, oldestDueAt: T0 + 7 * DAY + 2 * HOUR },
      ]);
      expect(await store.overdueByCategory(T0)).toEqual([]);
    });

    it('adds up each item’s time on loan inside the period, clipped at both ends', async () => {
      const { store } = ctx;
      const { a, b, c, d } = await world();
      const wide = await store.itemUsage({ from: T0 - 3 * DAY, to: T0 + DAY, limit: 100 });
      const byMs = [
        [a.id, 1, DAY],
        [d.id, 1, DAY],
        [b.id, 1, 23 * HOUR],
        [c.id, 1, 22 * HOUR],
      ].sort((x, y) => (y[2] as number) - (x[2] as number) || ((x[0] as string) < (y[0] as string) ? -1 : 1));
      expect(wide.rows.map((r) => [r.itemId, r.loans, r.msOnLoan])).toEqual(byMs);
      expect(wide.rows.find((r) => r.itemId === c.id)).toMatchObject({
        tag: 'LAP-C',
        name: 'LAP-C',
        category: 'Laptops',
      });
      expect([wide.items, wide.itemsUsed]).toEqual([5, 4]);

      // A period starting after A was borrowed: A counts its time in the period, not its loan.
      const late = await store.itemUsage({ from: T0 + 12 * HOUR, to: T0 + DAY, limit: 100 });
      expect(late.rows.map((r) => [r.itemId, r.loans, r.msOnLoan])).toEqual(
        [a.id, b.id, c.id].map((id) => [id, 0, 12 * HOUR]).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
      );
      expect(late.itemsUsed).toBe(3);

      const laptops = await store.itemUsage({
        from: T0 - 3 * DAY,
        to: T0 + DAY,
        category: 'Laptops',
        limit: 1,
      });
      expect(laptops.rows.map((r) => r.itemId)).toEqual([d.id]);
      expect([laptops.items, laptops.itemsUsed]).toEqual([3, 2]);

      const empty = await store.itemUsage({ from: T0 - 30 * DAY, to: T0 - 10 * DAY, limit: 100 });
      expect(empty).toEqual({ rows: [], items: 5, itemsUsed: 0 });
    });
  });
}
