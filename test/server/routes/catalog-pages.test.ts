/**
 * The paged catalog pull (protocol 5): pages of CATALOG_PAGE_SIZE items by item id, each with
 * an opaque signed token for the next one; every item comes once; a forged, foreign, tampered
 * or stale token is a typed 400; a change during the pull is on a later page or in the next
 * pull from the snapshot cursor. A protocol 4 kiosk still gets one answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_PROTOCOL_HEADER, type CatalogResponse } from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import { build } from '../../../server/app.ts';
import { CATALOG_PAGE_SIZE } from '../../../server/routes/kiosk.ts';
import { CatalogResponseV4 } from '../../fixtures/wire-v4.ts';
import { enrollKiosk, startFixture, type Fixture, type TestKiosk } from '../admin/fixture.ts';

const COUNT = 1234;

describe('paged catalog pull', () => {
  let f: Fixture;
  let kiosk: TestKiosk;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    kiosk = await enrollKiosk(f, 'lobby');
    for (let i = 0; i < COUNT; i++) {
      await f.deps.store.createItem({
        tag: `T-${i}`,
        name: `Item ${i}`,
        category: i % 2 ? 'Photo' : 'Audio',
        loanDays: 7,
        restrictedTo: null,
        lockerSlot: null,
      });
    }
  });
  afterEach(async () => {
    await f.close();
  });

  const get = async (version: number, query = '', app = f.app, k = kiosk) =>
    app.inject({
      method: 'GET',
      url: `/v1/catalog${query}`,
      headers: { authorization: await k.auth(), [KIOSK_PROTOCOL_HEADER]: String(version) },
    });
  const page = async (query = '') => {
    const res = await get(5, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CatalogResponse;
  };
  const pageAfter = (token: string) => page(`?page=${encodeURIComponent(token)}`);

  it('pages a full catalog by item id: every item exactly once, one snapshot cursor, the last page says so', async () => {
    const pages = [await page()];
    while (pages.at(-1)!.next) pages.push(await pageAfter(pages.at(-1)!.next!));
    expect(pages.length).toBe(Math.ceil(COUNT / CATALOG_PAGE_SIZE));
    expect(pages.map((p) => p.items.length)).toEqual([500, 500, 234]);
    expect(pages.every((p) => p.full && p.cursor === pages[0]!.cursor)).toBe(true);
    expect(pages.at(-1)!.next).toBeNull();
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(COUNT);
    expect(ids).toEqual([...ids].sort());
    const all = (await f.deps.store.itemsSince(null)).items.map((i) => i.id).sort();
    expect(ids).toEqual(all);

    // The next pull from the snapshot: nothing changed, nothing sent, and not paged further.
    const since = await page(`?cursor=${pages[0]!.cursor}`);
    expect(since.full).toBe(false);
    expect(since.items).toEqual([]);
    expect(since.next).toBeNull();
  });

  it('gives a protocol 4 kiosk the whole catalog in one answer, as before', async () => {
    const res = await get(4);
    expect(res.statusCode).toBe(200);
    const body = res.json() as CatalogResponse;
    expect(check(CatalogResponseV4, body)).toBe(true);
    expect(body.items.length).toBe(COUNT);
    expect('next' in body).toBe(false);
    // A page token means nothing to protocol 4: a typed 400.
    const first = await page();
    const v4page = await get(4, `?page=${encodeURIComponent(first.next!)}`);
    expect(v4page.statusCode).toBe(400);
    expect(v4page.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses a forged, tampered or foreign page token with a typed 400, never a 500', async () => {
    const first = await page();
    const token = first.next!;
    const [body, mac] = token.split('.') as [string, string];
    const decoded = Buffer.from(body, 'base64url').toString();
    // Skip to the last item: same shape, no valid signature.
    const skipped = Buffer.from(decoded.replace(/\|[^|]+$/, '|itm_zzzzzzzzzzzz')).toString('base64url');
    const flipped = mac.startsWith('A') ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    const bad = [
      `${skipped}.${mac}`,
      `${body}.${flipped}`,
      `${body}.${'A'.repeat(43)}`,
      'garbage',
      `${'x'.repeat(500)}.${mac}`,
      `.${mac}`,
    ];
    for (const t of bad) {
      const res = await get(5, `?page=${encodeURIComponent(t)}`);
      expect(res.statusCode, t).toBe(400);
      expect(res.json(), t).toMatchObject({ code: 'BAD_REQUEST' });
    }
    // Another kiosk cannot use this kiosk's token.
    const other = await enrollKiosk(f, 'hall');
    const foreign = await get(5, `?page=${encodeURIComponent(token)}`, f.app, other);
    expect(foreign.statusCode).toBe(400);
    // Another server process on the same data (a replica, or after a restart) takes it.
    const replica = build(f.deps, { logger: false });
    await replica.ready();
    try {
      const res = await get(5, `?page=${encodeURIComponent(token)}`, replica);
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as CatalogResponse).items.length).toBe(500);
    } finally {
      await replica.close();
    }
    // The genuine token still works.
    expect((await pageAfter(token)).items.length).toBe(500);
  });

  it('a catalog changed during the pull: the pages still hold each item once, and the next pull brings the rest', async () => {
    const first = await page();
    const sent = first.items[10]!;
    const all = (await f.deps.store.itemsSince(null)).items.map((i) => i.id).sort();
    const later = all[COUNT - 5]!;
    await f.deps.store.updateItem(sent.id, { name: 'Renamed after its page' });
    await f.deps.store.updateItem(later, { name: 'Renamed before its page' });
    const added = await f.deps.store.createItem({
      tag: 'NEW-1',
      name: 'Added mid-pull',
      category: 'Audio',
      loanDays: 3,
      restrictedTo: null,
      lockerSlot: null,
    });

    const pages = [first];
    while (pages.at(-1)!.next) pages.push(await pageAfter(pages.at(-1)!.next!));
    const items = pages.flatMap((p) => p.items);
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of all) expect(ids).toContain(id);
    expect(pages.every((p) => p.cursor === first.cursor)).toBe(true);
    expect(items.find((i) => i.id === later)!.name).toBe('Renamed before its page');

    // What the kiosk holds after applying the pages and then the next pull from the snapshot
    // is the catalog as it is now.
    const held = new Map(items.map((i) => [i.id, i]));
    let since = await page(`?cursor=${first.cursor}`);
    const deltas = [since];
    while (since.next) deltas.push((since = await pageAfter(since.next)));
    for (const i of deltas.flatMap((p) => p.items)) held.set(i.id, i);
    expect(held.get(sent.id)!.name).toBe('Renamed after its page');
    expect(held.get(added.id)!.name).toBe('Added mid-pull');
    const now = (await f.deps.store.itemsSince(null)).items;
    expect(held.size).toBe(now.length);
    for (const i of now) expect(held.get(i.id)!.name).toBe(i.name);
  });

  it('pages a long change list too', async () => {
    const base = await page();
    let p = base;
    while (p.next) p = await pageAfter(p.next);
    const ids = (await f.deps.store.itemsSince(null)).items.map((i) => i.id);
    for (const id of ids.slice(0, 700)) await f.deps.store.updateItem(id, { category: 'Moved' });
    const first = await page(`?cursor=${base.cursor}`);
    expect(first.full).toBe(false);
    expect(first.items.length).toBe(500);
    const second = await pageAfter(first.next!);
    expect(second.full).toBe(false);
    expect(second.next).toBeNull();
    const changed = [...first.items, ...second.items];
    expect(changed.length).toBe(700);
    expect(changed.every((i) => i.category === 'Moved')).toBe(true);
  });
});
