/** The demo's reservations (server/seed/demo.ts): a camera waiting for 김민준 now, a tablet for 이서연 tomorrow. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { seedDemo } from '../../server/seed/demo.ts';
import { openSqliteStore } from '../../server/store/sqlite/open-sqlite-store.ts';
import { kiosk, row, sync } from './store/contract/fixtures.ts';

it('the showcase seeds a reservation waiting for a demo member that holds the camera back from others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rental-seed-res-'));
  const store = openSqliteStore({ file: join(dir, 'store.db') });
  try {
    const now = Date.parse('2026-12-03T01:00:00.000Z');
    const hash = (c: string) => `h:${c}`;
    expect(await seedDemo({ store, hashBadge: hash, rosterHash: hash }, { showcase: true, now })).toBe(true);
    const page = await store.reservationsPage({ status: 'active', limit: 10 });
    expect(page.rows.map((r) => [r.userName, r.itemTag ?? r.category, r.startsAt - now])).toEqual([
      ['김민준', 'CM-002', 0],
      ['이서연', '태블릿 Tablets', 24 * 3_600_000],
    ]);
    const cam = (await store.findItemByTag('CM-002'))!;
    const seoyeon = (await store.findUserByEmail('seoyeon@example.com'))!;
    const minjun = (await store.findUserByEmail('minjun@example.com'))!;
    const k = await kiosk(store, 'demo', now);
    const [other] = await sync(
      store,
      k.id,
      [
        row({
          id: 'x',
          seq: 1,
          kind: 'borrow',
          itemId: cam.id,
          userId: seoyeon.id,
          occurredAt: now + 60_000,
        }),
      ],
      now + 60_000,
    );
    expect(other).toMatchObject({ status: 'conflict', code: 'ITEM_RESERVED' });
    await sync(
      store,
      k.id,
      [
        row({
          id: 'y',
          seq: 2,
          kind: 'return',
          itemId: cam.id,
          userId: seoyeon.id,
          occurredAt: now + 120_000,
        }),
      ],
      now + 120_000,
    );
    const [own] = await sync(
      store,
      k.id,
      [
        row({
          id: 'z',
          seq: 3,
          kind: 'borrow',
          itemId: cam.id,
          userId: minjun.id,
          occurredAt: now + 180_000,
        }),
      ],
      now + 180_000,
    );
    expect(own).toMatchObject({ status: 'applied' });
    expect((await store.reservationsPage({ userId: minjun.id, status: 'picked_up', limit: 5 })).total).toBe(
      1,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
