/** GET /v1/admin/items: search, filters and keyset pages over HTTP; bad input is a 400. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminItemsPage, ItemCategoriesResponse } from '../../../protocol/index.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('items list API', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
    for (let i = 1; i <= 7; i++) {
      const res = await f.app.inject({
        method: 'POST',
        url: '/v1/admin/items',
        headers: bearer(admin),
        payload: {
          tag: `LT-${i}`,
          name: i % 2 ? `노트북 ${i}` : `Laptop ${i}`,
          category: i <= 5 ? 'Laptops' : 'Tablets',
          loanDays: 7,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterEach(() => f.close());

  const get = (url: string, token = admin) => f.app.inject({ method: 'GET', url, headers: bearer(token) });
  const page = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AdminItemsPage;
  };

  it('pages with an opaque cursor until next is null, each item once', async () => {
    const seen: string[] = [];
    let url = '/v1/admin/items?limit=3';
    for (;;) {
      const p = await page(url);
      expect(p.total).toBe(7);
      seen.push(...p.items.map((i) => i.tag));
      if (!p.next) break;
      url = `/v1/admin/items?limit=3&after=${p.next}`;
    }
    expect(seen).toEqual(['LT-1', 'LT-2', 'LT-3', 'LT-4', 'LT-5', 'LT-6', 'LT-7']);
  });

  it('searches Korean in part, filters by category, and lists the categories', async () => {
    const korean = await page(`/v1/admin/items?q=${encodeURIComponent('노트')}`);
    expect(korean.items.map((i) => i.tag)).toEqual(['LT-1', 'LT-3', 'LT-5', 'LT-7']);
    const tablets = await page('/v1/admin/items?category=Tablets&sort=name');
    expect(tablets.items.map((i) => i.tag)).toEqual(['LT-6', 'LT-7']);
    const res = await get('/v1/admin/item-categories');
    expect(res.json<ItemCategoriesResponse>()).toEqual({
      categories: [
        { category: 'Laptops', items: 5 },
        { category: 'Tablets', items: 2 },
      ],
    });
  });

  it('refuses a tampered cursor, an unknown filter value and a member, with a typed error', async () => {
    const forged = Buffer.from('{"not":"a cursor"}').toString('base64url');
    for (const url of [
      `/v1/admin/items?after=${forged}`,
      '/v1/admin/items?after=%%%',
      '/v1/admin/items?status=lost',
      '/v1/admin/items?limit=abc',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: expect.stringMatching(/^(BAD_REQUEST|VALIDATION_FAILED)$/) });
    }
    const member = await f.login('member');
    expect((await get('/v1/admin/items', member)).statusCode).toBe(403);
  });
});
