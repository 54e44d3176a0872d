/**
 * GET /v1/admin/audit, /v1/admin/conflicts and /v1/admin/badges/unknown in keyset pages over HTTP: every row once,
 * the total on each page, filters, the names and changes the dashboard's sentences need,
 * and a forged cursor refused with a typed 400 (never a 500).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditResponse, ConflictsResponse, UnknownTapsResponse } from '../../../protocol/index.ts';
import { gear, kiosk, row, sync } from '../store/contract/fixtures.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('audit log and conflicts APIs', () => {
  let f: Fixture;
  let admin: string;
  let kioskA: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
    const store = f.deps.store;
    const a = await kiosk(store, '1층 키오스크', f.clock.now());
    const b = await kiosk(store, '2층 키오스크', f.clock.now());
    kioskA = a.id;
    const cam = await gear(store, 'CAM-01', { name: '카메라 A' });
    // 30 refused rows (an expired token), 3 to a millisecond, at two kiosks.
    for (let i = 0; i < 30; i++) {
      await sync(
        store,
        i % 2 ? b.id : a.id,
        [
          row({
            id: `cf-${String(i).padStart(2, '0')}`,
            seq: i + 1,
            kind: 'borrow',
            itemId: cam.id,
            userId: f.users.member.id,
            occurredAt: f.clock.now(),
            authError: 'TOKEN_EXPIRED',
          }),
        ],
        f.clock.now() + Math.floor(i / 3) * 60_000,
      );
    }
    // An edit with its changes, as the record path writes it.
    await store.audit(
      {
        actor: { kind: 'user', id: f.users.admin.id, name: '관리자 Admin', via: null },
        action: 'person.update',
        targetKind: 'person',
        targetId: f.users.member.id,
        detail: 'role',
        changes: [{ field: 'role', before: 'staff', after: 'admin' }],
      },
      f.clock.now(),
    );
  });
  afterEach(() => f.close());

  const get = (url: string) => f.app.inject({ method: 'GET', url, headers: bearer(admin) });

  it('pages conflicts with total and next, nothing skipped or repeated, and filters by kiosk', async () => {
    const ids: string[] = [];
    let url = '/v1/admin/conflicts?state=all&limit=7';
    for (let n = 0; n < 10; n++) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<ConflictsResponse>();
      expect(page.total).toBe(30);
      expect(page.conflicts.length).toBeLessThanOrEqual(7);
      ids.push(...page.conflicts.map((c) => c.id));
      if (!page.next) break;
      url = `/v1/admin/conflicts?state=all&limit=7&after=${page.next}`;
    }
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    // Newest first; in one millisecond, the higher id first.
    expect(ids.slice(0, 3)).toEqual(['cf-29', 'cf-28', 'cf-27']);

    // The default page is 25 with a next: the 26th is not cut off silently.
    const first = (await get('/v1/admin/conflicts')).json<ConflictsResponse>();
    expect(first.conflicts).toHaveLength(25);
    expect(first.total).toBe(30);
    expect(first.next).not.toBeNull();

    const atA = (await get(`/v1/admin/conflicts?kioskId=${kioskA}&limit=100`)).json<ConflictsResponse>();
    expect(atA.total).toBe(15);
    expect(atA.conflicts.every((c) => c.tx.kioskName === '1층 키오스크')).toBe(true);
    const byCode = (await get('/v1/admin/conflicts?code=ITEM_UNAVAILABLE')).json<ConflictsResponse>();
    expect(byCode.total).toBe(0);
  });

  it('pages the audit log with total and next, each entry once, and says what an edit changed', async () => {
    const ids: string[] = [];
    let url = '/v1/admin/audit?limit=4';
    let total = -1;
    for (let n = 0; n < 20; n++) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<AuditResponse>();
      total = page.total;
      ids.push(...page.entries.map((e) => e.id));
      if (!page.next) break;
      url = `/v1/admin/audit?limit=4&before=${encodeURIComponent(page.next)}`;
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(total).toBeGreaterThanOrEqual(31);

    const edits = (await get('/v1/admin/audit?kind=person')).json<AuditResponse>();
    expect(edits.entries).toHaveLength(1);
    expect(edits.entries[0]).toMatchObject({
      actorName: '관리자 Admin',
      targetName: '김민준',
      changes: [{ field: 'role', before: 'staff', after: 'admin' }],
    });
    const txs = (
      await get(`/v1/admin/audit?kind=tx&actorId=${f.users.member.id}&limit=2`)
    ).json<AuditResponse>();
    expect(txs.total).toBe(30);
    expect(txs.entries[0]!.tx).toMatchObject({
      kind: 'borrow',
      status: 'rejected',
      code: 'TOKEN_EXPIRED',
      userName: '김민준',
      itemName: '카메라 A',
    });
  });

  it('refuses forged cursors and bad filters with a typed 400', async () => {
    const notATime = Buffer.from(JSON.stringify(['yesterday', 'cf-01'])).toString('base64url');
    const badId = Buffer.from(JSON.stringify(['1', '../x'])).toString('base64url');
    for (const url of [
      `/v1/admin/conflicts?after=${notATime}`,
      `/v1/admin/conflicts?after=${badId}`,
      '/v1/admin/conflicts?after=abc',
      '/v1/admin/conflicts?code=NOT_A_CODE',
      '/v1/admin/conflicts?limit=x',
      `/v1/admin/audit?before=${encodeURIComponent('000000000000001:aX')}`,
      `/v1/admin/audit?before=${encodeURIComponent('yesterday')}`,
      '/v1/admin/audit?kind=nothing',
      '/v1/admin/audit?from=monday',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ code: string }>().code, url).toMatch(/^(BAD_REQUEST|VALIDATION_FAILED)$/);
    }
  });

  it('pages unknown badges with total and next, filters by kiosk, and refuses a forged cursor', async () => {
    const store = f.deps.store;
    const other = await kiosk(store, '3층 키오스크', f.clock.now());
    for (let i = 0; i < 7; i++)
      await store.recordUnknownTap(
        `hash-${i}`,
        `kbd …${i}`,
        i % 2 ? other.id : kioskA,
        f.clock.now() + i * 1000,
      );
    const hints: string[] = [];
    let url = '/v1/admin/badges/unknown?limit=3';
    for (let n = 0; n < 10; n++) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<UnknownTapsResponse>();
      expect(page.total).toBe(7);
      hints.push(...page.taps.map((t) => t.hint));
      if (!page.next) break;
      url = `/v1/admin/badges/unknown?limit=3&after=${page.next}`;
    }
    expect(hints).toEqual(['kbd …6', 'kbd …5', 'kbd …4', 'kbd …3', 'kbd …2', 'kbd …1', 'kbd …0']);
    const atOther = (await get(`/v1/admin/badges/unknown?kioskId=${other.id}`)).json<UnknownTapsResponse>();
    expect(atOther.taps.map((t) => t.hint)).toEqual(['kbd …5', 'kbd …3', 'kbd …1']);
    expect(atOther.taps.every((t) => t.kioskName === '3층 키오스크')).toBe(true);
    const forged = Buffer.from(JSON.stringify(['soon', 'tap_1'])).toString('base64url');
    for (const bad of [`after=${forged}`, 'after=abc', 'from=today', 'limit=x']) {
      const res = await get(`/v1/admin/badges/unknown?${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });
});
