/** Contract: the dashboard's loans list in keyset pages, newest first, with its count. */
import { describe, expect, it } from 'vitest';
import type { AdminLoanFilter } from '../../../../server/store/admin-store.ts';
import { DAY, HOUR, MIN, T0, gear, kiosk, person, row, sync, type StoreContext } from './fixtures.ts';

export function registerLoanListContract(ctx: StoreContext): void {
  describe('loans list (keyset pages)', () => {
    it('pages newest first, ties by id, each loan once, and counts every match', async () => {
      const { store } = ctx;
      const k = await kiosk(store, 'lobby');
      const ann = await person(store, 'Ann');
      const rows = [];
      for (let i = 0; i < 7; i++) {
        const item = await gear(store, `IT-${i}`);
        // Two pairs borrowed in the same millisecond: the id decides their order.
        const at = T0 + [0, 1, 1, 2, 3, 3, 4][i]! * HOUR;
        rows.push(
          row({ id: `tx-${i}`, seq: i + 1, kind: 'borrow', itemId: item.id, userId: ann.id, occurredAt: at }),
        );
      }
      await sync(store, k.id, rows, T0 + 5 * HOUR);

      const filter: AdminLoanFilter = { status: 'open', now: T0 + 6 * HOUR };
      const all = await store.adminLoans(filter);
      const order = [...all].sort((x, y) => y.borrowedAt - x.borrowedAt || (x.id < y.id ? 1 : -1));
      expect(all.map((l) => l.id)).toEqual(order.map((l) => l.id));

      const seen: string[] = [];
      let after: AdminLoanFilter['after'] = null;
      for (let n = 0; n < 10; n++) {
        const page = await store.adminLoans({ ...filter, after, limit: 3 });
        seen.push(...page.map((l) => l.id));
        if (page.length < 3) break;
        const last = page[page.length - 1]!;
        after = { at: last.borrowedAt, id: last.id };
      }
      expect(seen).toEqual(all.map((l) => l.id));
      expect(await store.countAdminLoans(filter)).toBe(7);
      expect(
        await store.countAdminLoans({ ...filter, limit: 2, after: { at: T0 + 2 * HOUR, id: 'z' } }),
      ).toBe(7);
      expect(await store.countAdminLoans({ ...filter, from: T0 + 3 * HOUR })).toBe(3);
      expect(await store.countAdminLoans({ status: 'overdue', now: T0 + 7 * DAY + 90 * MIN })).toBe(3);
      expect(await store.countAdminLoans({ status: 'returned', now: T0 })).toBe(0);
    });
  });
}
