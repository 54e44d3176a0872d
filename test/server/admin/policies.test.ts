/** Lending policies on the admin API (issue 16): read, replace whole and valid, audited; suspensions. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultPolicies,
  type AuditEntry,
  type PoliciesResponse,
  type PolicySet,
  type SuspensionsResponse,
} from '../../../protocol/index.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

const week: PolicySet = {
  ...defaultPolicies(3),
  hours: [
    null,
    { open: '09:00', close: '18:00' },
    { open: '09:00', close: '18:00' },
    { open: '09:00', close: '18:00' },
    { open: '09:00', close: '18:00' },
    { open: '09:00', close: '17:00' },
    null,
  ],
  closedDays: ['2026-12-25', '2026-10-09'],
  blockOverdue: true,
  rules: [
    { category: '카메라 Cameras', role: null, loanDays: 3, maxPerCategory: 1 },
    { category: null, role: 'staff', maxItems: 8 },
  ],
};

describe('admin API: lending policies', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  const get = (url: string, token = admin) => f.app.inject({ method: 'GET', url, headers: bearer(token) });
  const put = (url: string, payload: unknown, token = admin) =>
    f.app.inject({ method: 'PUT', url, headers: bearer(token), payload: payload as object });

  it('shows the default until saved, then the saved set with who and when; audited', async () => {
    const before = (await get('/v1/admin/policies')).json() as PoliciesResponse;
    expect(before).toEqual({
      policies: defaultPolicies(3),
      updatedAt: null,
      updatedBy: null,
      version: '"default"',
    });
    const res = await put('/v1/admin/policies', week);
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as PoliciesResponse;
    expect(after.policies).toEqual({ ...week, closedDays: ['2026-10-09', '2026-12-25'] });
    expect(after.updatedBy).toBe('관리자 Admin');
    expect(after.updatedAt).toBe('2026-03-02T09:00:00.000Z');
    const { entries } = (await get('/v1/admin/audit')).json() as { entries: AuditEntry[] };
    expect(entries[0]).toMatchObject({ action: 'policies.update', targetKind: 'policies' });
  });

  it('refuses a save made from a version someone else saved over (If-Match), losing neither change unseen', async () => {
    // Found by an attack on the API: two admins' saves from one snapshot both answered 200,
    // and the first one's change was gone.
    const putFrom = (payload: unknown, version: string) =>
      f.app.inject({
        method: 'PUT',
        url: '/v1/admin/policies',
        headers: { ...bearer(admin), 'if-match': version },
        payload: payload as object,
      });
    const snapshot = (await get('/v1/admin/policies')).json() as PoliciesResponse;
    expect((await get('/v1/admin/policies')).headers.etag).toBe(snapshot.version);
    const a = { ...snapshot.policies, blockOverdue: !snapshot.policies.blockOverdue };
    const b = { ...snapshot.policies, default: { ...snapshot.policies.default, maxRenewals: 7 } };
    const [first, second] = await Promise.all([putFrom(a, snapshot.version), putFrom(b, snapshot.version)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const refused = first.statusCode === 409 ? first : second;
    expect(refused.json().code).toBe('POLICIES_CHANGED');
    const now = (await get('/v1/admin/policies')).json() as PoliciesResponse;
    expect(now.policies).toEqual(first.statusCode === 200 ? a : b);
    // The refused admin reloads, makes their change again from the new version, and it holds.
    f.clock.advance(1_000);
    const again = await putFrom(
      { ...now.policies, default: { ...now.policies.default, maxRenewals: 7 } },
      now.version,
    );
    expect(again.statusCode, again.body).toBe(200);
    const both = (await get('/v1/admin/policies')).json() as PoliciesResponse;
    expect(both.policies.default.maxRenewals).toBe(7);
    expect(both.policies.blockOverdue).toBe(first.statusCode === 200 ? a.blockOverdue : b.blockOverdue);
    expect(both.version).not.toBe(now.version);
    // A version of nothing ours is a 400; no If-Match at all replaces as before (API clients).
    expect((await putFrom(week, 'W/"x"')).statusCode).toBe(400);
    expect((await put('/v1/admin/policies', week)).statusCode).toBe(200);
  });

  it('refuses a bad set with a typed error and saves nothing of it', async () => {
    await put('/v1/admin/policies', week);
    const bad: [unknown, string][] = [
      [{ ...week, timeZone: 'Seoul/Gangnam' }, 'POLICY_TIME_ZONE_INVALID'],
      [
        { ...week, hours: week.hours!.map((h) => h && { open: h.close, close: h.open }) },
        'POLICY_HOURS_INVALID',
      ],
      [{ ...week, default: { ...week.default, maxItems: -1 } }, 'POLICY_LIMIT_INVALID'],
      [{ ...week, rules: [{ category: 'X', role: null, maxPerCategory: -5 }] }, 'POLICY_LIMIT_INVALID'],
      [{ ...week, default: { ...week.default, mayBorrow: false }, rules: [] }, 'POLICY_NOTHING_LENDABLE'],
      [{ ...week, hours: [null, null, null, null, null, null, null] }, 'POLICY_NOTHING_LENDABLE'],
      [{ ...week, closedDays: ['2026-02-31'] }, 'POLICY_INVALID'],
      [{ ...week, extra: 1 }, 'BAD_REQUEST'],
    ];
    for (const [body, code] of bad) {
      const res = await put('/v1/admin/policies', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code });
    }
    const still = (await get('/v1/admin/policies')).json() as PoliciesResponse;
    expect(still.policies.timeZone).toBe('Asia/Seoul');
    expect(still.policies.rules).toHaveLength(2);
    const { entries } = (await get('/v1/admin/audit')).json() as { entries: AuditEntry[] };
    expect(entries.filter((e) => e.action === 'policies.update')).toHaveLength(1);
  });

  it('staff may read but not change them; members neither', async () => {
    const staff = await f.login('staff');
    const member = await f.login('member');
    expect((await get('/v1/admin/policies', staff)).statusCode).toBe(200);
    expect((await put('/v1/admin/policies', week, staff)).statusCode).toBe(403);
    expect((await get('/v1/admin/policies', member)).statusCode).toBe(403);
  });

  it('suspends a person until a date with a note, audited, and lifts it', async () => {
    const id = f.users.member.id;
    const res = await put(`/v1/admin/suspensions/${id}`, { until: '2026-03-16', note: '  연체 반복  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SuspensionsResponse).suspensions).toEqual([
      { userId: id, displayName: '김민준', until: '2026-03-16', note: '연체 반복' },
    ]);
    expect((await put('/v1/admin/suspensions/nobody', { until: '2026-03-16', note: '' })).statusCode).toBe(
      404,
    );
    expect((await put(`/v1/admin/suspensions/${id}`, { until: '16/03/2026', note: '' })).statusCode).toBe(
      400,
    );
    const lifted = await f.app.inject({
      method: 'DELETE',
      url: `/v1/admin/suspensions/${id}`,
      headers: bearer(admin),
    });
    expect((lifted.json() as SuspensionsResponse).suspensions).toEqual([]);
    const { entries } = (await get('/v1/admin/audit')).json() as { entries: AuditEntry[] };
    expect(entries.slice(0, 2).map((e) => e.action)).toEqual(['person.unsuspend', 'person.suspend']);
  });
});
