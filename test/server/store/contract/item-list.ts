/** Contract: the dashboard's items list, searched, filtered, sorted and paged on the server. */
import { describe, expect, it } from 'vitest';
import type { ItemListQuery } from '../../../../server/store/admin-store.ts';
import type { Store } from '../../../../server/store/store.ts';
import { DAY, MIN, T0, gear, kiosk, person, row, sync, type StoreContext } from './fixtures.ts';

/** Every page of a query, following `next` until the last. */
async function allPages(store: Store, query: Omit<ItemListQuery, 'after'>) {
  const pages: { tags: string[]; total: number }[] = [];
  let after: ItemListQuery['after'] = null;
  for (let i = 0; i < 20; i++) {
    const page = await store.itemList({ ...query, after });
    pages.push({ tags: page.items.map((it) => it.tag), total: page.total });
    if (!page.next) return pages;
    after = page.next;
  }
  throw new Error('the pages never ended');
}

export function registerItemListContract(ctx: StoreContext): void {
  describe('items list (search, filters, keyset pages)', () => {
    const base = { status: 'active', sort: 'tag', limit: 50, now: T0 + 10 * DAY } as const;

    async function room() {
      const { store } = ctx;
      const k = await kiosk(store, 'lobby');
      const minjun = await person(store, '김민준');
      await gear(store, 'CAM-1', { name: 'Canon 카메라', category: 'Photo', loanDays: 7 });
      await gear(store, 'CAM-2', { name: 'Sony 카메라', category: 'Photo', loanDays: 30 });
      await gear(store, 'LT-1', { name: 'ThinkPad', category: 'Laptops' });
      await gear(store, 'LT-2', { name: 'MacBook 100%', category: 'Laptops' });
      const old = await gear(store, 'LT-3', { name: 'ThinkPad', category: 'Laptops' });
      const mic = await gear(store, 'MIC-1', { name: 'Microphone', category: 'Audio' });
      await store.updateItem(old.id, { retired: true });
      await store.setItemCondition({
        itemId: mic.id,
        at: T0,
        condition: 'needs_check',
        report: 'damaged',
        note: null,
        by: { kind: 'user', name: 'staff' },
        txId: null,
      });
      const cam1 = (await store.findItemByTag('CAM-1'))!;
      const cam2 = (await store.findItemByTag('CAM-2'))!;
      await sync(
        store,
        k.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam1.id, userId: minjun.id, occurredAt: T0 }),
          row({ id: 'tx-2', seq: 2, kind: 'borrow', itemId: cam2.id, userId: minjun.id, occurredAt: T0 }),
        ],
        T0 + MIN,
      );
    }

    it('pages through every match in order, each exactly once, with the total on every page', async () => {
      await room();
      const pages = await allPages(ctx.store, { ...base, limit: 2 });
      expect(pages).toEqual([
        { tags: ['CAM-1', 'CAM-2'], total: 5 },
        { tags: ['LT-1', 'LT-2'], total: 5 },
        { tags: ['MIC-1'], total: 5 },
      ]);
      // A page that ends exactly at the last item says there is no next one.
      const exact = await ctx.store.itemList({ ...base, limit: 5 });
      expect([exact.items.length, exact.next]).toEqual([5, null]);
    });

    it('sorts by name or category, ties in id order, across pages', async () => {
      await room();
      const ids = new Map<string, string>();
      for (const tag of ['CAM-1', 'CAM-2', 'LT-1', 'LT-2', 'LT-3', 'MIC-1'])
        ids.set(tag, (await ctx.store.findItemByTag(tag))!.id);
      const byId = (tags: string[]) => [...tags].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
      const byName = (await allPages(ctx.store, { ...base, status: 'all', sort: 'name', limit: 2 })).flatMap(
        (p) => p.tags,
      );
      // Binary order: Latin capitals, then Hangul; the two ThinkPads in id order.
      expect(byName).toEqual(['CAM-1', 'LT-2', 'MIC-1', 'CAM-2', ...byId(['LT-1', 'LT-3'])]);
      const byCategory = (await allPages(ctx.store, { ...base, sort: 'category', limit: 4 })).flatMap(
        (p) => p.tags,
      );
      expect(byCategory).toEqual(['MIC-1', ...byId(['LT-1', 'LT-2']), ...byId(['CAM-1', 'CAM-2'])]);
    });

    it('searches tag, name, category and holder, in part and in any case, Korean and Latin', async () => {
      await room();
      const tags = async (q: string) => (await ctx.store.itemList({ ...base, q })).items.map((i) => i.tag);
      expect(await tags('cam')).toEqual(['CAM-1', 'CAM-2']);
      expect(await tags('카메')).toEqual(['CAM-1', 'CAM-2']);
      expect(await tags('thinkpad')).toEqual(['LT-1']);
      expect(await tags('LAPTOP')).toEqual(['LT-1', 'LT-2']);
      expect(await tags('민준')).toEqual(['CAM-1', 'CAM-2']);
      // % and _ are letters in a search, not patterns.
      expect(await tags('100%')).toEqual(['LT-2']);
      expect(await tags('%')).toEqual(['LT-2']);
      expect(await tags('_')).toEqual([]);
      expect(await tags('  ')).toEqual(['CAM-1', 'CAM-2', 'LT-1', 'LT-2', 'MIC-1']);
    });

    it('filters by category and by where an item is', async () => {
      await room();
      const tags = async (q: Partial<ItemListQuery>) =>
        (await ctx.store.itemList({ ...base, ...q })).items.map((i) => i.tag);
      expect(await tags({ category: 'Laptops' })).toEqual(['LT-1', 'LT-2']);
      expect(await tags({ category: 'Laptops', status: 'all' })).toEqual(['LT-1', 'LT-2', 'LT-3']);
      expect(await tags({ status: 'available' })).toEqual(['LT-1', 'LT-2']);
      expect(await tags({ status: 'on_loan' })).toEqual(['CAM-1', 'CAM-2']);
      // CAM-1 was due after 7 days, CAM-2 after 30; it is day 10.
      expect(await tags({ status: 'overdue' })).toEqual(['CAM-1']);
      expect(await tags({ status: 'attention' })).toEqual(['MIC-1']);
      expect(await tags({ status: 'retired' })).toEqual(['LT-3']);
      const onLoan = await ctx.store.itemList({ ...base, status: 'on_loan' });
      expect(onLoan.items[0]).toMatchObject({ onLoan: true, holder: { userName: '김민준' } });
      expect(await ctx.store.itemCategories()).toEqual([
        { category: 'Audio', items: 1 },
        { category: 'Laptops', items: 2 },
        { category: 'Photo', items: 2 },
      ]);
    });
  });
}
