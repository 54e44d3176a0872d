/** Each route's permission rule, proven: who gets in, who gets 401 and who gets 403. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, bearer, enrolledKiosk, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
const auth: Record<'admin' | 'staff' | 'member' | 'other', Record<string, string>> = {} as never;
let memberId = '';
let otherId = '';

beforeAll(async () => {
  s = await testServer();
  for (const role of ['admin', 'staff', 'member'] as const) {
    const p = await addPerson(s, { role });
    if (role === 'member') memberId = p.id;
    auth[role] = (await bearer(s, p)).auth;
  }
  const other = await addPerson(s, { role: 'member' });
  otherId = other.id;
  auth.other = (await bearer(s, other)).auth;
});
afterAll(async () => {
  await s.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'GET', url, headers });

describe('IsAuthenticated routes', () => {
  it.each(['/v1/me', '/v1/loans'])('%s: 401 without a token, 200 for any role', async (url) => {
    const none = await get(url);
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHENTICATED');
    for (const role of ['admin', 'staff', 'member'] as const)
      expect((await get(url, auth[role])).statusCode).toBe(200);
  });

  it('logout and password change refuse the anonymous', async () => {
    for (const url of ['/v1/auth/logout', '/v1/me/password']) {
      const res = await s.app.inject({ method: 'POST', url, payload: {} });
      expect(res.statusCode).toBe(401);
    }
  });
});

describe('IsAdmin routes', () => {
  it('GET /v1/people: admin only', async () => {
    expect((await get('/v1/people')).statusCode).toBe(401);
    for (const role of ['staff', 'member'] as const) {
      const res = await get('/v1/people', auth[role]);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    const ok = await get('/v1/people', auth.admin);
    expect(ok.statusCode).toBe(200);
    const person = ok.json().people.find((p: { id: string }) => p.id === memberId);
    expect(person).toMatchObject({ role: 'member', active: true, badgeCount: 0 });
    expect(JSON.stringify(ok.json())).not.toContain('scrypt');
  });

  it('POST /v1/admin/kiosks and /v1/admin/kiosks/:id/revoke: admin only', async () => {
    for (const role of ['staff', 'member'] as const) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/v1/admin/kiosks',
        headers: auth[role],
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(403);
      const rev = await s.app.inject({
        method: 'POST',
        url: '/v1/admin/kiosks/ksk_abc/revoke',
        headers: auth[role],
      });
      expect(rev.statusCode).toBe(403);
    }
    const created = await s.app.inject({
      method: 'POST',
      url: '/v1/admin/kiosks',
      headers: auth.admin,
      payload: { name: 'Lab 2' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json().enrollmentCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const missing = await s.app.inject({
      method: 'POST',
      url: '/v1/admin/kiosks/ksk_nope/revoke',
      headers: auth.admin,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('object-level: loans', () => {
  it('a member reads their own loans', async () => {
    expect((await get(`/v1/people/${memberId}/loans`, auth.member)).statusCode).toBe(200);
    expect((await get(`/v1/loans?userId=${memberId}`, auth.member)).statusCode).toBe(200);
  });

  it("a member asking for another member's loans gets 403", async () => {
    const byPath = await get(`/v1/people/${otherId}/loans`, auth.member);
    expect(byPath.statusCode).toBe(403);
    expect(byPath.json().code).toBe('FORBIDDEN');
    const byQuery = await get(`/v1/loans?userId=${otherId}`, auth.member);
    expect(byQuery.statusCode).toBe(403);
    // ...and the same answer for someone who does not exist: nothing learned about who does.
    expect((await get('/v1/people/usr_nobody/loans', auth.member)).statusCode).toBe(403);
  });

  it("staff and admins read anyone's loans; an unknown person is 404 for them", async () => {
    for (const role of ['staff', 'admin'] as const) {
      expect((await get(`/v1/people/${otherId}/loans`, auth[role])).statusCode).toBe(200);
      expect((await get(`/v1/loans?userId=${otherId}`, auth[role])).statusCode).toBe(200);
      expect((await get('/v1/people/usr_nobody/loans', auth[role])).statusCode).toBe(404);
    }
  });
});

describe('kiosk routes take device assertions, not people', () => {
  it('a person token is refused on kiosk routes and a kiosk assertion on people routes', async () => {
    const kiosk = await enrolledKiosk(s);
    const tap = await s.app.inject({
      method: 'POST',
      url: '/v1/badge-tap',
      headers: auth.admin,
      payload: { credential: 'kbd:1234' },
    });
    expect(tap.statusCode).toBe(401);
    expect(tap.json().code).toBe('KIOSK_ASSERTION_INVALID');
    const me = await get('/v1/me', await kiosk.auth());
    expect(me.statusCode).toBe(401);
    expect((await get('/v1/catalog')).statusCode).toBe(401);
    expect((await get('/v1/catalog', await kiosk.auth())).statusCode).toBe(200);
  });
});

describe('public routes', () => {
  it('health, JWKS, login, refresh and enrollment need no token', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/.well-known/jwks.json')).statusCode).toBe(200);
    const login = await s.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a@b.c', password: 'x' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('INVALID_CREDENTIALS');
  });
});
