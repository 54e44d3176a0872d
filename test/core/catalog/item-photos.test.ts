/**
 * The kiosk's item photos (protocol 5): the catalog keeps each item's photo hash across
 * pulls (a change-only pull that says nothing of photos keeps them), the photo store keeps
 * exactly the thumbnails the catalog names (fetching the missing, refusing what is not a
 * JPEG, deleting the rest), and the view gives an item its thumbnail only once it is on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogResponse } from '../../../protocol/index.ts';
import { createCatalogCache, type CatalogCache } from '../../../src-main/core/catalog/catalog-cache.ts';
import { createPhotoStore, photoUrl } from '../../../src-main/core/catalog/photo-store.ts';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { createOutbox } from '../../../src-main/core/outbox/outbox.ts';
import { initialState } from '../../../src-main/core/session/machine.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';
import { buildView } from '../../../src-main/core/view.ts';

const H = (c: string) => c.repeat(64);
const JPEG = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, n, 0xff, 0xd9]);

const item = (id: string, over: Partial<CatalogItem> = {}): CatalogItem => ({
  id,
  tag: id.toUpperCase(),
  name: id,
  category: 'C',
  loanDays: 7,
  restrictedTo: null,
  onLoan: false,
  retired: false,
  ...over,
});
const pull = (items: CatalogItem[], full: boolean, cursor = '1'): CatalogResponse => ({
  cursor,
  full,
  serverTime: '2026-12-03T00:00:00.000Z',
  items,
});

describe('kiosk item photos', () => {
  let dir: string;
  let catalog: CatalogCache;
  let db: ReturnType<typeof openKioskDatabase>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-photos-'));
    db = openKioskDatabase(join(dir, 'kiosk.db'), KIOSK_MIGRATIONS);
    catalog = createCatalogCache(db);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps photo hashes across pulls, drops them when the server says null, and forgets retired items', () => {
    catalog.apply(
      pull([item('a', { photo: H('a') }), item('b', { photo: null }), item('c', { photo: H('c') })], true),
    );
    expect(catalog.items().map((i) => [i.id, i.photo ?? null])).toEqual([
      ['a', H('a')],
      ['b', null],
      ['c', H('c')],
    ]);
    // A change-only pull from an older server (no photo field) keeps what the kiosk knew.
    catalog.apply(pull([item('a', { name: 'renamed' })], false, '2'));
    expect(catalog.items().find((i) => i.id === 'a')!.photo).toBe(H('a'));
    catalog.apply(
      pull([item('a', { photo: null }), item('c', { retired: true, photo: H('c') })], false, '3'),
    );
    expect(catalog.items().find((i) => i.id === 'a')!.photo).toBeUndefined();
    expect(catalog.photoHashes()).toEqual(new Set());
  });

  it('fetches the missing thumbnails, keeps only JPEGs, deletes what no item names, and survives a restart', async () => {
    const photos = createPhotoStore(join(dir, 'item-photos'));
    const asked: string[] = [];
    const fetchThumb = async (hash: string) => {
      asked.push(hash);
      if (hash === H('e')) throw new Error('offline');
      if (hash === H('b')) return Buffer.from('<html>not a picture</html>');
      return JPEG(hash.charCodeAt(0));
    };
    expect(await photos.keep(new Set([H('a'), H('b'), H('e')]), fetchThumb)).toBe(true);
    expect([photos.has(H('a')), photos.has(H('b')), photos.has(H('e'))]).toEqual([true, false, false]);
    expect(photos.read(H('a'))).toEqual(JPEG('a'.charCodeAt(0)));
    // Kept ones are not fetched again; failed ones are tried again.
    asked.length = 0;
    await photos.keep(new Set([H('a'), H('e')]), fetchThumb);
    expect(asked).toEqual([H('e')]);

    const again = createPhotoStore(join(dir, 'item-photos'));
    expect(again.has(H('a'))).toBe(true);
    expect(await again.keep(new Set([H('d')]), fetchThumb)).toBe(true);
    expect([again.has(H('a')), again.onDisk(H('a')), again.has(H('d'))]).toEqual([false, false, true]);
    // Not a hash: never read from disk.
    expect(again.read('../kiosk.db')).toBeNull();
    expect(photoUrl(H('d'))).toBe(`item-photos/${H('d')}.jpg`);
  });

  it('gives an item in the view its thumbnail URL only once the thumbnail is on disk', async () => {
    catalog.apply(pull([item('a', { photo: H('a') }), item('b', { photo: H('b') }), item('c')], true));
    const photos = createPhotoStore(join(dir, 'item-photos'));
    await photos.keep(new Set([H('a')]), async () => JPEG(1));
    const view = buildView({
      state: initialState,
      deps: {
        outbox: createOutbox(db, { now: () => 0 }),
        catalog,
        sync: { status: () => ({ online: true, lastSyncAt: null, syncing: false }) } as never,
        machine: { inactivityMs: 60_000, receiptMs: 5_000, deniedMs: 4_000, identifyTimeoutMs: 5_000 },
        simulator: false,
        readers: () => [],
        photos,
      },
      now: 0,
    });
    expect(view.items.map((i) => [i.id, i.photo ?? null])).toEqual([
      ['a', `item-photos/${H('a')}.jpg`],
      ['b', null],
      ['c', null],
    ]);
  });
});
