/** GET /v1/admin/loans in keyset pages over HTTP: never cut off silently; a bad cursor is a 400. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminLoansResponse } from '../../../protocol/index.ts';
import { gear, kiosk, row, sync } from '../store/contract/fixtures.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('loans list API', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
    const store = f.deps.store;
    const k = await kiosk(store, 'lobby', f.clock.now());
    const rows = [];
    for (let i = 0; i < 12; i++) {
      const item = await gear(store, `CAM-${String(i).padStart(2, '0')}`);
      rows.push(
        row({
          id: `tx-${i}`,
          seq: i + 1,
          kind: 'borrow',
          itemId: item.id,
          userId: f.users.member.id,
          occurredAt: f.clock.now() - (12 - i) * 60_000,
        }),
      );
    }
    await sync(store, k.id, rows, f.clock.now());
  });
  afterEach(() => f.close());

  const get = (url: string) => f.app.inject({ method: 'GET', url, headers: bearer(admin) });

  it('pages newest first until next is null, with the total on each page', async () => {
    const tags: string[] = [];
    let url = '/v1/admin/loans?status=all&limit=5';
    for (;;) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<AdminLoansResponse>();
      expect(page.total).toBe(12);
      tags.push(...page.loans.map((l) => l.itemTag));
      if (!page.next) break;
      url = `/v1/admin/loans?status=all&limit=5&after=${page.next}`;
    }
    expect(tags).toEqual(Array.from({ length: 12 }, (_, i) => `CAM-${String(11 - i).padStart(2, '0')}`));
  });

  it('refuses a forged cursor and a limit that is not a number', async () => {
    const notATime = Buffer.from(JSON.stringify(['yesterday', 'lon_1'])).toString('base64url');
    for (const url of [
      `/v1/admin/loans?after=${notATime}`,
      '/v1/admin/loans?after=abc',
      '/v1/admin/loans?limit=x',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
    }
  });
});
