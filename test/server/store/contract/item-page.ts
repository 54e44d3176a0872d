/**
 * Contract: what the item page keeps: a serial number and notes (edited, cleared, searched),
 * and one photo per item, stored as bytes, found by hash, replaced and removed, each change
 * reaching kiosks through the catalog cursor.
 */
import { describe, expect, it } from 'vitest';
import type { ItemPhoto } from '../../../../server/store/admin-store.ts';
import { DAY, T0, gear, hash, type StoreContext } from './fixtures.ts';

const photo = (label: string, size = 2000): ItemPhoto => ({
  hash: hash(label),
  // Every byte value, so a driver that reads bytes as text shows.
  image: Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + label.length) % 256)),
  thumb: Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x80, 0xfe]),
  width: 640,
  height: 480,
  at: T0 + DAY,
});

export function registerItemPageContract(ctx: StoreContext): void {
  describe('item page (serial, notes, photo)', () => {
    it('keeps a serial number and notes, clears them with null, and finds items by part of a serial', async () => {
      const { store } = ctx;
      const cam = await gear(store, 'CAM-1', { name: 'Canon' });
      const other = await gear(store, 'CAM-2', { name: 'Sony' });
      await store.updateItem(cam.id, { serial: 'SN-0042-K', notes: '배터리 2개 포함' });
      await store.updateItem(other.id, { serial: 'sn-0042-k' });
      expect(await store.findItemWithHolder(cam.id)).toMatchObject({
        serial: 'SN-0042-K',
        notes: '배터리 2개 포함',
        photo: null,
      });
      const page = await store.itemList({ q: '0042-K', status: 'active', sort: 'tag', limit: 50, now: T0 });
      expect(page.items.map((i) => i.tag)).toEqual(['CAM-1', 'CAM-2']);
      expect(page.total).toBe(2);
      await store.updateItem(cam.id, { serial: null, notes: null });
      expect(await store.findItemWithHolder(cam.id)).toMatchObject({ serial: null, notes: null });
      const after = await store.itemList({ q: '0042', status: 'active', sort: 'tag', limit: 50, now: T0 });
      expect(after.items.map((i) => i.tag)).toEqual(['CAM-2']);
    });

    it('stores a photo byte for byte, finds it by hash, replaces and removes it, and moves the catalog cursor each time', async () => {
      const { store } = ctx;
      const cam = await gear(store, 'CAM-1');
      const before = (await store.itemsSince(null)).cursor;
      expect(await store.setItemPhoto(cam.id, photo('one'))).toBe(true);
      expect((await store.findItemWithHolder(cam.id))!.photo).toBe(hash('one'));
      expect(await store.itemPhoto(hash('one'))).toEqual(photo('one'));
      const since = await store.itemsSince(before);
      expect(since.items.map((i) => i.id)).toEqual([cam.id]);
      expect(await store.itemPhotosSince(before)).toEqual(new Map([[cam.id, hash('one')]]));

      await store.setItemPhoto(cam.id, photo('two', 5000));
      expect(await store.itemPhoto(hash('one'))).toBeNull();
      expect((await store.itemPhoto(hash('two')))!.image.length).toBe(5000);
      expect((await store.findItemWithHolder(cam.id))!.photo).toBe(hash('two'));

      const beforeRemove = (await store.itemsSince(null)).cursor;
      expect(await store.setItemPhoto(cam.id, null)).toBe(true);
      expect(await store.itemPhoto(hash('two'))).toBeNull();
      expect((await store.findItemWithHolder(cam.id))!.photo).toBeNull();
      expect((await store.itemsSince(beforeRemove)).items.map((i) => i.id)).toEqual([cam.id]);
      expect(await store.itemPhotosSince(null)).toEqual(new Map());
    });

    it('says false for a photo of no item, and stores nothing', async () => {
      const { store } = ctx;
      expect(await store.setItemPhoto('itm_nothing', photo('x'))).toBe(false);
      expect(await store.itemPhoto(hash('x'))).toBeNull();
    });
  });
}
