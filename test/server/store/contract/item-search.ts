/**
 * Contract: the items search follows every write. On SQLite it reads trigram indexes that
 * triggers keep (migration 23, server/store/sql/item-search.ts), on PostgreSQL the columns
 * themselves: either way an edit, a borrow, a rename or a return shows in the next search.
 */
import { describe, expect, it } from 'vitest';
import type { ItemListQuery } from '../../../../server/store/admin-store.ts';
import { DAY, HOUR, MIN, T0, gear, kiosk, person, row, sync, type StoreContext } from './fixtures.ts';

export function registerItemSearchContract(ctx: StoreContext): void {
  describe('items search follows every write', () => {
    const base = { status: 'all', sort: 'tag', limit: 50, now: T0 + DAY } as const;
    const tags = async (q: string, more: Partial<ItemListQuery> = {}) =>
      (await ctx.store.itemList({ ...base, ...more, q })).items.map((i) => i.tag);

    it('finds an item by part of its name, tag and serial, Korean and Latin, after each edit', async () => {
      const cam = await gear(ctx.store, 'CAM-1', { name: '캐논 EOS R6', category: 'Photo' });
      await gear(ctx.store, 'CAM-2', { name: 'Sony A7 IV', category: 'Photo' });
      // three characters or more, two, one; in any case
      expect(await tags('캐논 eos')).toEqual(['CAM-1']);
      expect(await tags('캐논')).toEqual(['CAM-1']);
      expect(await tags('r6')).toEqual(['CAM-1']);
      expect(await tags('R6')).toEqual(['CAM-1']);
      expect(await tags('6')).toEqual(['CAM-1']);
      expect(await tags('a7 iv')).toEqual(['CAM-2']);

      await ctx.store.updateItem(cam.id, { name: 'Nikon Z8', serial: 'SN-4471', tag: 'PHO-9' });
      expect(await tags('캐논')).toEqual([]);
      expect(await tags('r6')).toEqual([]);
      expect(await tags('z8')).toEqual(['PHO-9']);
      expect(await tags('sn-44')).toEqual(['PHO-9']);
      expect(await tags('71')).toEqual(['PHO-9']);
      expect(await tags('cam-1')).toEqual([]);
      expect(await tags('o-9')).toEqual(['PHO-9']);

      // retired: out of the active list, still found among all
      await ctx.store.updateItem(cam.id, { retired: true });
      expect(await tags('z8', { status: 'active' })).toEqual([]);
      expect(await tags('z8')).toEqual(['PHO-9']);
    });

    it('finds an item by its holder while it is out, by the new name after a rename, and not once returned', async () => {
      const k = await kiosk(ctx.store, 'lobby');
      const minjun = await person(ctx.store, '김민준');
      const cam = await gear(ctx.store, 'CAM-1', { name: 'Canon', category: 'Photo' });
      await gear(ctx.store, 'CAM-2', { name: 'Sony', category: 'Photo' });
      expect(await tags('민준')).toEqual([]);
      const borrow = row({
        id: 'tx-1',
        seq: 1,
        kind: 'borrow',
        itemId: cam.id,
        userId: minjun.id,
        occurredAt: T0,
      });
      await sync(ctx.store, k.id, [borrow], T0 + MIN);
      expect(await tags('민준')).toEqual(['CAM-1']);
      expect(await tags('김민준')).toEqual(['CAM-1']);
      expect(await tags('민')).toEqual(['CAM-1']);

      await ctx.store.updateUser(minjun.id, { displayName: '박서준' });
      expect(await tags('민준')).toEqual([]);
      expect(await tags('서준')).toEqual(['CAM-1']);
      expect(await tags('박서준')).toEqual(['CAM-1']);

      const back = row({
        id: 'tx-2',
        seq: 2,
        kind: 'return',
        itemId: cam.id,
        userId: minjun.id,
        occurredAt: T0 + 3 * HOUR,
      });
      await sync(ctx.store, k.id, [back], T0 + 3 * HOUR + MIN);
      expect(await tags('서준')).toEqual([]);
    });

    it('takes quotes and pattern characters as letters', async () => {
      await gear(ctx.store, 'TRI-1', { name: 'Tripod 3" mount', category: 'Photo' });
      await gear(ctx.store, 'TRI-2', { name: 'Tripod 100%_', category: 'Photo' });
      expect(await tags('"')).toEqual(['TRI-1']);
      expect(await tags('3"')).toEqual(['TRI-1']);
      expect(await tags('3" m')).toEqual(['TRI-1']);
      expect(await tags('%_')).toEqual(['TRI-2']);
      expect(await tags('0%')).toEqual(['TRI-2']);
      expect(await tags('"" OR tri')).toEqual([]);
    });

    it('pages many matches and few among many alike, with the same total on every page', async () => {
      for (let i = 0; i < 24; i++)
        await gear(ctx.store, `L-${String(i).padStart(2, '0')}`, {
          name: i % 8 === 0 ? `Zoom lens ${i}` : `Lens ${i}`,
          category: 'Photo',
        });
      const pages = async (q: string) => {
        const seen: string[] = [];
        const totals = new Set<number>();
        let after: ItemListQuery['after'] = null;
        for (let n = 0; n < 20; n++) {
          const page = await ctx.store.itemList({ ...base, limit: 5, sort: 'name', q, after });
          seen.push(...page.items.map((i) => i.tag));
          totals.add(page.total);
          if (!page.next) return { seen, totals: [...totals] };
          after = page.next;
        }
        throw new Error('the pages never ended');
      };
      // Every item: names in byte order ('Lens 1' < 'Lens 10' < 'Lens 2'), then the Zoom lenses.
      const lens = await pages('lens');
      expect(lens.totals).toEqual([24]);
      const names = (n: number) => (n % 8 === 0 ? `Zoom lens ${n}` : `Lens ${n}`);
      const all = Array.from({ length: 24 }, (_, n) => n).sort((a, b) => (names(a) < names(b) ? -1 : 1));
      expect(lens.seen).toEqual(all.map((n) => `L-${String(n).padStart(2, '0')}`));
      // Three of 24.
      expect(await pages('zoom')).toEqual({ seen: ['L-00', 'L-16', 'L-08'], totals: [3] });
    });
  });
}
