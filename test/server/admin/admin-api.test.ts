import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AdminConflict,
  AdminItem,
  AdminKiosk,
  AdminLoan,
  AuditEntry,
  OverviewResponse,
  PersonDetailResponse,
} from '../../../protocol/index.ts';
import { bearer, enrollKiosk, kioskDoes, startFixture, type Fixture } from './fixture.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('admin API', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: process.env.DEBUG_LOG ? true : false });
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  const get = async <T>(url: string, token = admin) => {
    const res = await f.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token = admin) =>
    f.app.inject({ method, url, headers: bearer(token), payload: payload as object });

  async function createItem(tag: string, name = tag) {
    const res = await send('POST', '/v1/admin/items', { tag, name, category: 'Laptops', loanDays: 7 });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { item: AdminItem }).item;
  }
  async function createPerson(displayName: string, badge: string) {
    const res = await send('POST', '/v1/admin/people', { displayName, role: 'member', badge });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { person: { id: string } }).person;
  }

  it('creates a person with a badge; a kiosk borrow shows as a loan, on the item and in the overview', async () => {
    const person = await createPerson('이서연', 'kbd:1000234');
    const item = await createItem('LT-001', 'MacBook Pro 14');
    const kiosk = await enrollKiosk(f, 'Lobby');
    const result = await kioskDoes(f, kiosk, 'kbd:1000234', 'borrow', item.id);
    expect(result.status).toBe('applied');

    const { loans } = await get<{ loans: AdminLoan[] }>('/v1/admin/loans?status=open');
    expect(loans).toHaveLength(1);
    expect(loans[0]).toMatchObject({
      userId: person.id,
      itemTag: 'LT-001',
      kioskName: 'Lobby',
      overdue: false,
    });

    const { items } = await get<{ items: AdminItem[] }>('/v1/admin/items');
    expect(items.find((i) => i.id === item.id)?.holder).toMatchObject({
      userId: person.id,
      userName: '이서연',
    });

    f.clock.advance(8 * DAY);
    admin = await f.login('admin'); // the old access token expired meanwhile
    const overview = await get<OverviewResponse>(`/v1/admin/overview?since=${new Date(0).toISOString()}`);
    expect(overview).toMatchObject({
      itemsOut: 1,
      overdue: 1,
      conflictsOpen: 0,
      today: { borrows: 1, returns: 0 },
    });
    expect(overview.recent[0]).toMatchObject({
      kind: 'borrow',
      userName: '이서연',
      itemName: 'MacBook Pro 14',
    });
    const overdue = await get<{ loans: AdminLoan[] }>('/v1/admin/loans?status=overdue');
    expect(overdue.loans.map((l) => l.overdue)).toEqual([true]);

    const detail = await get<PersonDetailResponse>(`/v1/admin/people/${person.id}`);
    expect(detail.badges).toHaveLength(1);
    expect(detail.badges[0]!.hint).toBe('kbd:…34');
    expect(detail.loans).toHaveLength(1);
  });

  it('filters loans by person, item, kiosk and date and exports CSV', async () => {
    const a = await createPerson('A', 'kbd:11110001');
    await createPerson('B', 'kbd:11110002');
    const i1 = await createItem('T-1');
    const i2 = await createItem('T-2');
    const k1 = await enrollKiosk(f, 'K1');
    const k2 = await enrollKiosk(f, 'K2');
    await kioskDoes(f, k1, 'kbd:11110001', 'borrow', i1.id);
    f.clock.advance(DAY);
    admin = await f.login('admin');
    await kioskDoes(f, k2, 'kbd:11110002', 'borrow', i2.id);
    await kioskDoes(f, k2, 'kbd:11110002', 'return', i2.id);

    const q = async (qs: string) => (await get<{ loans: AdminLoan[] }>(`/v1/admin/loans?${qs}`)).loans;
    expect((await q(`status=all&userId=${a.id}`)).map((l) => l.itemId)).toEqual([i1.id]);
    expect((await q(`status=all&kioskId=${k2.id}`)).map((l) => l.itemId)).toEqual([i2.id]);
    expect((await q('status=returned')).map((l) => l.itemId)).toEqual([i2.id]);
    expect((await q(`status=all&itemId=${i1.id}`)).length).toBe(1);
    const from = new Date(f.clock.now() - 1000).toISOString();
    expect((await q(`status=all&from=${from}`)).map((l) => l.itemId)).toEqual([i2.id]);

    const csv = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/loans.csv?status=all',
      headers: bearer(admin),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'loanId,itemTag,itemName,personId,person,kiosk,borrowedAt,dueAt,returnedAt,overdue',
    );
    expect(lines).toHaveLength(3);

    const bad = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/loans?status=lost',
      headers: bearer(admin),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('edits, retires, exports and imports items; a duplicate tag is a coded conflict', async () => {
    const item = await createItem('CM-001', 'Sony A7');
    const dup = await send('POST', '/v1/admin/items', {
      tag: 'CM-001',
      name: 'x',
      category: 'c',
      loanDays: 1,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'ALREADY_EXISTS' });

    const edited = await send('PATCH', `/v1/admin/items/${item.id}`, { name: 'Sony A7 IV', loanDays: 3 });
    expect(edited.json()).toMatchObject({ item: { name: 'Sony A7 IV', loanDays: 3 } });
    const retired = await send('PATCH', `/v1/admin/items/${item.id}`, { retired: true });
    expect(retired.json()).toMatchObject({ item: { retired: true } });

    const csv = [
      'tag,name,category,loanDays,restrictedTo',
      'CM-001,"Sony A7 IV, body",카메라 Cameras,3,',
      'TB-009,Galaxy Tab S9,태블릿 Tablets,7,staff',
    ].join('\r\n');
    const imported = await send('POST', '/v1/admin/items/import', { csv });
    expect(imported.json()).toEqual({ created: 1, updated: 1, errors: [] });
    // CM-001 is retired: the list shows retired items only when asked (status=all).
    const { items } = await get<{ items: AdminItem[] }>('/v1/admin/items?status=all');
    expect(items.find((i) => i.tag === 'CM-001')?.name).toBe('Sony A7 IV, body');
    expect(items.find((i) => i.tag === 'TB-009')).toMatchObject({ restrictedTo: 'staff', loanDays: 7 });

    const broken = await send('POST', '/v1/admin/items/import', {
      csv: 'tag,name,category,loanDays\nX-1,ok,c,2\nX-2,bad,c,zero\nX-1,again,c,2\n',
    });
    expect(broken.json()).toMatchObject({ created: 0, updated: 0 });
    expect(
      (broken.json() as { errors: { line: number; code: string }[] }).errors.map((e) => [e.line, e.code]),
    ).toEqual([
      [3, 'BAD_REQUEST'],
      [4, 'ALREADY_EXISTS'],
    ]);
    expect(
      (await get<{ items: AdminItem[] }>('/v1/admin/items?status=all')).items.some((i) => i.tag === 'X-1'),
    ).toBe(false);

    const exported = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/items.csv',
      headers: bearer(admin),
    });
    expect(exported.body).toContain('"Sony A7 IV, body"');
  });

  it('adds a badge tapped unknown at a kiosk, removes badges, deactivates a person', async () => {
    const person = await createPerson('최유나', 'kbd:55550001');
    const kiosk = await enrollKiosk(f, 'Lab');
    const tap = await f.app.inject({
      method: 'POST',
      url: '/v1/badge-tap',
      headers: { authorization: await kiosk.auth() },
      payload: { credential: 'nfc:04a1b2c3d4e5f6' },
    });
    expect(tap.json()).toMatchObject({ code: 'BADGE_DENIED' });
    const { taps } = await get<{ taps: { id: string; hint: string; kioskName: string }[] }>(
      '/v1/admin/badges/unknown',
    );
    expect(taps).toHaveLength(1);
    expect(taps[0]).toMatchObject({ hint: 'nfc:…e5f6', kioskName: 'Lab' });
    expect(JSON.stringify(taps)).not.toContain('04a1b2c3d4e5f6');

    const added = await send('POST', `/v1/admin/people/${person.id}/badges`, { unknownTapId: taps[0]!.id });
    expect(added.statusCode, added.body).toBe(200);
    expect((added.json() as PersonDetailResponse).badges.map((b) => b.hint).sort()).toEqual([
      'kbd:…01',
      'nfc:…e5f6',
    ]);
    expect((await get<{ taps: unknown[] }>('/v1/admin/badges/unknown')).taps).toEqual([]);

    // The badge now works at the kiosk.
    const again = await f.app.inject({
      method: 'POST',
      url: '/v1/badge-tap',
      headers: { authorization: await kiosk.auth() },
      payload: { credential: 'nfc:04a1b2c3d4e5f6' },
    });
    expect(again.json()).toMatchObject({ user: { id: person.id } });

    const taken = await send('POST', `/v1/admin/people/${person.id}/badges`, {
      credential: 'nfc:04a1b2c3d4e5f6',
    });
    expect(taken.json()).toMatchObject({ code: 'BADGE_ALREADY_ENROLLED' });

    const badgeId = (added.json() as PersonDetailResponse).badges.find((b) => b.hint === 'nfc:…e5f6')!.id;
    const removed = await send('DELETE', `/v1/admin/people/${person.id}/badges/${badgeId}`);
    expect(removed.json()).toMatchObject({ person: { badges: 1 } });

    const off = await send('PATCH', `/v1/admin/people/${person.id}`, { active: false });
    expect(off.json()).toMatchObject({ person: { active: false } });
    const denied = await f.app.inject({
      method: 'POST',
      url: '/v1/badge-tap',
      headers: { authorization: await kiosk.auth() },
      payload: { credential: 'kbd:55550001' },
    });
    expect(denied.json()).toMatchObject({ code: 'BADGE_DENIED' });
  });

  it('a password set by an admin ends every sign-in of that person', async () => {
    const member = await f.login('member');
    expect((await f.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(member) })).statusCode).toBe(
      200,
    );
    const reset = await send('PATCH', `/v1/admin/people/${f.users.member.id}`, {
      password: 'a-new-long-password',
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const after = await f.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(member) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('creates a kiosk (code once), shows heartbeat health, revokes it', async () => {
    const created = await send('POST', '/v1/admin/kiosks', { name: '1층 로비' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const { kiosk, enrollmentCode } = created.json() as { kiosk: AdminKiosk; enrollmentCode: string };
    expect(kiosk.state).toBe('pending');
    expect(enrollmentCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const listed = await get<{ kiosks: AdminKiosk[] }>('/v1/admin/kiosks');
    expect(JSON.stringify(listed)).not.toContain(enrollmentCode);

    const k = await enrollKiosk(f, 'Lab');
    const beat = {
      appVersion: '0.1.0',
      queueDepth: 2,
      oldestUnsyncedAgeS: 95,
      readers: [{ id: 'nfc-0', kind: 'nfc', status: 'ok' }],
      clockOffsetMs: -1200,
    };
    const hb = await f.app.inject({
      method: 'POST',
      url: '/v1/kiosk/heartbeat',
      headers: { authorization: await k.auth() },
      payload: beat,
    });
    expect(hb.statusCode, hb.body).toBe(200);
    const noAuth = await f.app.inject({ method: 'POST', url: '/v1/kiosk/heartbeat', payload: beat });
    expect(noAuth.json()).toMatchObject({ code: 'KIOSK_ASSERTION_INVALID' });

    let lab = (await get<{ kiosks: AdminKiosk[] }>('/v1/admin/kiosks')).kiosks.find((x) => x.id === k.id)!;
    expect(lab).toMatchObject({
      state: 'online',
      health: { queueDepth: 2, oldestUnsyncedAgeS: 95, clockOffsetMs: -1200 },
    });
    f.clock.advance(10 * 60 * 1000);
    lab = (await get<{ kiosks: AdminKiosk[] }>('/v1/admin/kiosks')).kiosks.find((x) => x.id === k.id)!;
    expect(lab.state).toBe('offline');
    expect((await get<OverviewResponse>('/v1/admin/overview')).kiosksOffline).toBe(1);

    const revoked = await send('POST', `/v1/admin/kiosks/${k.id}/revoke`);
    expect(revoked.json()).toMatchObject({ kiosk: { state: 'revoked' } });
    const after = await f.app.inject({
      method: 'POST',
      url: '/v1/kiosk/heartbeat',
      headers: { authorization: await k.auth() },
      payload: beat,
    });
    expect(after.json()).toMatchObject({ code: 'KIOSK_REVOKED' });
  });

  it('shows a conflict with both transactions as evidence; resolving it with a note goes to the audit log', async () => {
    await createPerson('A', 'kbd:22220001');
    await createPerson('B', 'kbd:22220002');
    const item = await createItem('LB-001', 'Oscilloscope');
    const k1 = await enrollKiosk(f, 'K1');
    const k2 = await enrollKiosk(f, 'K2');
    const t0 = f.clock.now();
    await kioskDoes(f, k1, 'kbd:22220001', 'borrow', item.id, t0);
    f.clock.advance(60_000);
    // B borrows the same item at another kiosk (it was handed over without a return).
    const second = await kioskDoes(f, k2, 'kbd:22220002', 'borrow', item.id);
    expect(second).toMatchObject({ status: 'conflict', code: 'ITEM_UNAVAILABLE' });

    const { conflicts } = await get<{ conflicts: AdminConflict[] }>('/v1/admin/conflicts');
    expect(conflicts).toHaveLength(1);
    const c = conflicts[0]!;
    expect(c).toMatchObject({ code: 'ITEM_UNAVAILABLE', itemName: 'Oscilloscope', resolvedAt: null });
    expect(c.tx).toMatchObject({ kind: 'borrow', userName: 'B', kioskName: 'K2', offline: false });
    expect(c.other).toMatchObject({ kind: 'borrow', userName: 'A', kioskName: 'K1' });
    expect((await get<OverviewResponse>('/v1/admin/overview')).conflictsOpen).toBe(1);

    const staff = await f.login('staff');
    const empty = await send('POST', `/v1/admin/conflicts/${c.id}/resolve`, { note: '' }, staff);
    expect(empty.statusCode).toBe(400);
    const resolved = await send(
      'POST',
      `/v1/admin/conflicts/${c.id}/resolve`,
      { note: 'A handed it to B' },
      staff,
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      conflict: { resolution: 'A handed it to B', resolvedBy: '박지훈' },
    });
    const twice = await send('POST', `/v1/admin/conflicts/${c.id}/resolve`, { note: 'again' }, staff);
    expect(twice.json()).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((await get<{ conflicts: unknown[] }>('/v1/admin/conflicts')).conflicts).toEqual([]);
    expect(
      (await get<{ conflicts: unknown[] }>('/v1/admin/conflicts?state=resolved')).conflicts,
    ).toHaveLength(1);

    const { entries } = await get<{ entries: AuditEntry[] }>('/v1/admin/audit');
    const resolveEntry = entries.find((e) => e.action === 'conflict.resolve')!;
    expect(resolveEntry).toMatchObject({ actorKind: 'user', actorName: '박지훈', targetId: c.id });
    expect(resolveEntry.detail).toContain('A handed it to B');
    expect(resolveEntry.via).toMatch(/^session:/);
    const txEntries = entries.filter((e) => e.action === 'tx.borrow');
    expect(txEntries.map((e) => e.actorName).sort()).toEqual(['K1', 'K2']);
    expect(entries.some((e) => e.action === 'person.create')).toBe(true);
  });

  it('pages the audit log without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await createItem(`P-${i}`);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { entries: AuditEntry[]; next: string | null } = await get(
        `/v1/admin/audit?limit=3${next ? `&before=${encodeURIComponent(next)}` : ''}`,
      );
      seen.push(...page.entries.map((e) => e.id));
      next = page.next;
    } while (next);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('enforces roles: staff manage loans and conflicts, members only their own loans', async () => {
    const staff = await f.login('staff');
    const member = await f.login('member');
    expect(
      (
        await send('POST', '/v1/admin/items', { tag: 'S', name: 's', category: 'c', loanDays: 1 }, staff)
      ).json(),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (await f.app.inject({ method: 'GET', url: '/v1/admin/loans', headers: bearer(staff) })).statusCode,
    ).toBe(200);
    expect(
      (await f.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(staff) })).statusCode,
    ).toBe(403);
    expect(
      (await f.app.inject({ method: 'GET', url: '/v1/admin/loans', headers: bearer(member) })).statusCode,
    ).toBe(403);
    expect(
      (await f.app.inject({ method: 'GET', url: '/v1/admin/events', headers: bearer(member) })).statusCode,
    ).toBe(403);
    expect((await f.app.inject({ method: 'GET', url: '/v1/admin/overview' })).json()).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const me = await f.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(member) });
    expect(me.json()).toMatchObject({ role: 'member', displayName: '김민준' });
    // The only admin lowering themself would leave nobody to administer (person-edit.test.ts).
    const self = await send('PATCH', `/v1/admin/people/${f.users.admin.id}`, { role: 'staff' });
    expect(self.json()).toMatchObject({ code: 'LAST_ADMIN' });
  });

  it('closes a loan by hand (staff), audited', async () => {
    await createPerson('A', 'kbd:33330001');
    const item = await createItem('Z-1');
    const k = await enrollKiosk(f, 'K');
    await kioskDoes(f, k, 'kbd:33330001', 'borrow', item.id);
    const [loan] = (await get<{ loans: AdminLoan[] }>('/v1/admin/loans')).loans;
    const staff = await f.login('staff');
    const closed = await send(
      'POST',
      `/v1/admin/loans/${loan!.id}/close`,
      { note: 'found on the shelf' },
      staff,
    );
    expect(closed.json()).toMatchObject({ loan: { returnedAt: expect.any(String) } });
    const again = await send('POST', `/v1/admin/loans/${loan!.id}/close`, { note: 'x' }, staff);
    expect(again.json()).toMatchObject({ code: 'ITEM_NOT_ON_LOAN' });
    const catalog = await f.app.inject({
      method: 'GET',
      url: '/v1/catalog',
      headers: { authorization: await k.auth() },
    });
    expect(
      (catalog.json() as { items: { id: string; onLoan: boolean }[] }).items.find((i) => i.id === item.id)
        ?.onLoan,
    ).toBe(false);
  });
});
