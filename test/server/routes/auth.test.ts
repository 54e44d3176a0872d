/** Sign-in lifecycle: login, refresh rotation and reuse detection, logout, password change, cookies + CSRF, back-off. */
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPerson,
  bearer,
  cookieHeader,
  login,
  setCookies,
  testServer,
  type TestServer,
} from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(async () => {
  await s.close();
});

const me = (headers: Record<string, string>) => s.app.inject({ method: 'GET', url: '/v1/me', headers });
const refresh = (payload: unknown, headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: payload as object, headers });

describe('login (bearer)', () => {
  it('gives an access token, a refresh token and the profile', async () => {
    const alice = await addPerson(s, { role: 'member', name: 'Alice' });
    const res = await login(s, alice.email, alice.password);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.user).toEqual({ id: alice.id, displayName: 'Alice', role: 'member', email: alice.email });
    expect(body.accessToken).toMatch(/^ey/);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - s.clock.now()).toBe(15 * 60 * 1000);
    const profile = await me({ authorization: `Bearer ${body.accessToken}` });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().id).toBe(alice.id);
  });

  it('answers a wrong password, an unknown email and an inactive person the same way', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const gone = await addPerson(s, { role: 'member', active: false });
    for (const [email, password] of [
      [alice.email, 'wrong password'],
      ['nobody@example.com', 'whatever'],
      [gone.email, gone.password],
    ] as const) {
      const res = await login(s, email, password);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        message: 'email or password is wrong',
      });
    }
  });

  it('stores refresh tokens only hashed', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const { refreshToken } = await bearer(s, alice);
    const { existsSync, readFileSync } = await import('node:fs');
    const files = ['server.db', 'server.db-wal'].map((f) => `${s.dir}/${f}`).filter((f) => existsSync(f));
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain(refreshToken);
  });
});

describe('refresh', () => {
  it('rotates on every use: the new pair works, the old refresh token is spent', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const first = await bearer(s, alice);
    s.clock.advance(60_000);
    const r1 = await refresh({ refreshToken: first.refreshToken });
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me({ authorization: `Bearer ${second.accessToken}` })).statusCode).toBe(200);
    const r2 = await refresh({ refreshToken: second.refreshToken });
    expect(r2.statusCode).toBe(200);
  });

  it('reuse of a spent refresh token revokes the whole family, access tokens included', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const first = await bearer(s, alice);
    const second = (await refresh({ refreshToken: first.refreshToken })).json();
    // The thief (or the victim) presents the spent one again.
    const reuse = await refresh({ refreshToken: first.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('TOKEN_REVOKED');
    // The legitimate-looking newest token is dead too, and so is its access token.
    const next = await refresh({ refreshToken: second.refreshToken });
    expect(next.json().code).toBe('TOKEN_INVALID');
    const access = await me({ authorization: `Bearer ${second.accessToken}` });
    expect(access.statusCode).toBe(401);
    expect(access.json().code).toBe('TOKEN_REVOKED');
  });

  it('refuses an unknown or malformed refresh token with a code, and a missing one', async () => {
    expect((await refresh({ refreshToken: 'A'.repeat(43) })).json().code).toBe('TOKEN_INVALID');
    expect((await refresh({ refreshToken: 'short' })).statusCode).toBe(400);
    expect((await refresh({})).json().code).toBe('UNAUTHENTICATED');
  });

  it('expires after 14 days unused, and no rotation outlives the 30-day sign-in', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const first = await bearer(s, alice);
    s.clock.advance(14 * 86_400_000 + 1);
    expect((await refresh({ refreshToken: first.refreshToken })).json().code).toBe('TOKEN_INVALID');

    let token = (await bearer(s, alice)).refreshToken;
    for (let day = 0; day < 29; day += 7) {
      s.clock.advance(7 * 86_400_000);
      const r = await refresh({ refreshToken: token });
      if (day + 7 >= 30) {
        expect(r.json().code).toBe('TOKEN_INVALID');
        return;
      }
      expect(r.statusCode).toBe(200);
      token = r.json().refreshToken;
    }
    s.clock.advance(7 * 86_400_000);
    expect((await refresh({ refreshToken: token })).json().code).toBe('TOKEN_INVALID');
  });

  it('ends the session of a person who has been deactivated', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const first = await bearer(s, alice);
    await s.deps.store.setUserActive(alice.id, false);
    expect((await refresh({ refreshToken: first.refreshToken })).json().code).toBe('TOKEN_REVOKED');
    expect((await me(first.auth)).json().code).toBe('TOKEN_REVOKED');
  });
});

describe('logout', () => {
  it('revokes the family and denylists the access token until it expires', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const session = await bearer(s, alice);
    const out = await s.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: session.auth });
    expect(out.statusCode).toBe(204);
    const again = await me(session.auth);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('TOKEN_REVOKED');
    expect((await refresh({ refreshToken: session.refreshToken })).statusCode).toBe(401);
    // Logout denylisted this access token's jti, until the token would have expired.
    const { jti, exp } = decodeJwt(session.accessToken) as { jti: string; exp: number };
    expect(await s.deps.store.isJtiDenied(jti, s.clock.now())).toBe(true);
    expect(await s.deps.store.isJtiDenied(jti, exp * 1000)).toBe(false);
    // Another sign-in of the same person is untouched.
    const other = await bearer(s, alice);
    expect((await me(other.auth)).statusCode).toBe(200);
  });

  it('refuses a denylisted access token on its own, while its session still stands', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const session = await bearer(s, alice);
    expect((await me(session.auth)).statusCode).toBe(200);
    const { jti, exp } = decodeJwt(session.accessToken) as { jti: string; exp: number };
    await s.deps.store.denyJti(jti, exp * 1000);
    const refused = await me(session.auth);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('TOKEN_REVOKED');
    // The session itself is live: a refresh gives a new access token that works.
    const renewed = await refresh({ refreshToken: session.refreshToken });
    expect(renewed.statusCode).toBe(200);
    expect((await me({ authorization: `Bearer ${renewed.json().accessToken}` })).statusCode).toBe(200);
  });

  it('keeps the denylist only as long as the token would have lived', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const session = await bearer(s, alice);
    await s.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: session.auth });
    s.clock.advance(15 * 60_000 + 10_000);
    await s.deps.store.purgeExpiredAuth(s.clock.now());
    // Expired now anyway: the token is refused for its age, and the denylist row is gone.
    const res = await me(session.auth);
    expect(res.json().code).toBe('TOKEN_EXPIRED');
  });
});

describe('password change', () => {
  it('revokes every session of the person and needs the current password', async () => {
    const alice = await addPerson(s, { role: 'member' });
    const a = await bearer(s, alice);
    const b = await bearer(s, alice);
    const wrong = await s.app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: a.auth,
      payload: { currentPassword: 'not it', newPassword: 'a much longer passphrase' },
    });
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    const short = await s.app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: a.auth,
      payload: { currentPassword: alice.password, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const ok = await s.app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: a.auth,
      payload: { currentPassword: alice.password, newPassword: 'a much longer passphrase' },
    });
    expect(ok.statusCode).toBe(204);
    for (const session of [a, b]) {
      expect((await me(session.auth)).json().code).toBe('TOKEN_REVOKED');
      expect((await refresh({ refreshToken: session.refreshToken })).statusCode).toBe(401);
    }
    expect((await login(s, alice.email, alice.password)).statusCode).toBe(401);
    expect((await login(s, alice.email, 'a much longer passphrase')).statusCode).toBe(200);
  });
});

describe('cookie sessions (dashboard)', () => {
  async function cookieLogin() {
    const admin = await addPerson(s, { role: 'admin' });
    const res = await login(s, admin.email, admin.password, 'cookie');
    expect(res.statusCode).toBe(200);
    return { admin, res, jar: setCookies(res), csrf: res.json().csrfToken as string };
  }

  it('puts the tokens in HttpOnly SameSite=Strict cookies, never in the body', async () => {
    const { res, jar, csrf } = await cookieLogin();
    const body = res.json();
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = res.headers['set-cookie'] as string[];
    const access = raw.find((c) => c.startsWith('rental_at='))!;
    const refreshCookie = raw.find((c) => c.startsWith('rental_rt='))!;
    const csrfCookie = raw.find((c) => c.startsWith('rental_csrf='))!;
    for (const c of [access, refreshCookie]) {
      expect(c).toContain('HttpOnly');
      expect(c).toContain('SameSite=Strict');
      // Loopback issuer: browsers allow non-Secure cookies on http://127.0.0.1 only.
      expect(c).not.toContain('Secure');
    }
    expect(refreshCookie).toContain('Path=/v1/auth');
    expect(csrfCookie).not.toContain('HttpOnly');
    expect(jar.get('rental_csrf')).toBe(csrf);
    expect((await me({ cookie: cookieHeader(jar) })).statusCode).toBe(200);
  });

  it('reads a cookie header that is garbage or repeats a name without a 500', async () => {
    const { jar } = await cookieLogin();
    const good = jar.get('rental_at')!;
    // The first value of a repeated name wins (RFC 6265 5.4 order), so a cookie planted later
    // in the header cannot shadow the session.
    expect((await me({ cookie: `rental_at=${good}; rental_at=forged` })).statusCode).toBe(200);
    expect((await me({ cookie: `rental_at=forged; rental_at=${good}` })).statusCode).toBe(401);
    for (const cookie of [
      'rental_at=%E0%A4%A',
      ';;=;',
      'rental_at',
      '"'.repeat(4000),
      'a=b; '.repeat(1500),
    ]) {
      const res = await me({ cookie });
      expect(res.statusCode, cookie.slice(0, 20)).toBe(401);
      // No token at all, or one that is not a token: a typed refusal either way.
      expect(['UNAUTHENTICATED', 'TOKEN_INVALID']).toContain(res.json().code);
    }
  });

  it('marks cookies Secure with __Host- names when not on loopback', async () => {
    await s.close();
    s = await testServer({ issuer: 'https://rental.example.com' });
    const admin = await addPerson(s, { role: 'admin' });
    const res = await login(s, admin.email, admin.password, 'cookie');
    const raw = res.headers['set-cookie'] as string[];
    expect(raw.find((c) => c.startsWith('__Host-rental_at='))).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
    expect(raw.find((c) => c.startsWith('__Secure-rental_rt='))).toContain('Secure');
    const jar = setCookies(res);
    expect((await me({ cookie: cookieHeader(jar) })).statusCode).toBe(200);
    // The unprefixed name is not accepted here: a sibling subdomain could have set it.
    expect((await me({ cookie: `rental_at=${jar.get('__Host-rental_at')}` })).statusCode).toBe(401);
  });

  it('needs the CSRF token for cookie-authenticated writes, not for reads', async () => {
    const { jar, csrf } = await cookieLogin();
    const create = (headers: Record<string, string>) =>
      s.app.inject({
        method: 'POST',
        url: '/v1/admin/kiosks',
        headers: { cookie: cookieHeader(jar), ...headers },
        payload: { name: 'Lab' },
      });
    const none = await create({});
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('CSRF_FAILED');
    expect((await create({ 'x-csrf-token': 'A'.repeat(43) })).json().code).toBe('CSRF_FAILED');
    const crossSite = await create({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.json().code).toBe('CSRF_FAILED');
    const otherOrigin = await create({ 'x-csrf-token': csrf, origin: 'https://evil.example' });
    expect(otherOrigin.json().code).toBe('CSRF_FAILED');
    const ok = await create({ 'x-csrf-token': csrf, origin: 'http://localhost:80', host: 'localhost:80' });
    expect(ok.statusCode).toBe(200);
    expect((await me({ cookie: cookieHeader(jar) })).statusCode).toBe(200);
  });

  it('refreshes from the cookie (with CSRF) and logs out clearing the cookies', async () => {
    const { jar, csrf } = await cookieLogin();
    const noCsrf = await refresh({}, { cookie: cookieHeader(jar) });
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
    s.clock.advance(5 * 60_000);
    const r = await refresh({}, { cookie: cookieHeader(jar), 'x-csrf-token': csrf });
    expect(r.statusCode).toBe(200);
    expect(r.json().accessToken).toBeUndefined();
    const rotated = setCookies(r);
    expect(rotated.get('rental_rt')).not.toBe(jar.get('rental_rt'));
    for (const [k, v] of rotated) jar.set(k, v);
    const out = await s.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    const cleared = out.headers['set-cookie'] as string[];
    expect(cleared.every((c) => c.includes('Max-Age=0'))).toBe(true);
    expect((await me({ cookie: cookieHeader(jar) })).json().code).toBe('TOKEN_REVOKED');
  });

  it('a bearer request needs no CSRF token (browsers never attach Authorization by themselves)', async () => {
    const admin = await addPerson(s, { role: 'admin' });
    const { auth } = await bearer(s, admin);
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/admin/kiosks',
      headers: auth,
      payload: { name: 'Lab' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('login back-off', () => {
  it('slows one account after five misses, doubling, and lets the right password through once waited', async () => {
    const alice = await addPerson(s, { role: 'member' });
    for (let i = 0; i < 5; i++) expect((await login(s, alice.email, 'nope')).statusCode).toBe(401);
    expect((await login(s, alice.email, 'nope')).statusCode).toBe(401); // 6th: now locked 1 s
    const locked = await login(s, alice.email, alice.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('RATE_LIMITED');
    expect(locked.headers['retry-after']).toBe('1');
    s.clock.advance(1_000);
    expect((await login(s, alice.email, 'nope')).statusCode).toBe(401); // 7th: locked 2 s
    s.clock.advance(1_000);
    const stillLocked = await login(s, alice.email.toUpperCase(), alice.password);
    expect(stillLocked.statusCode).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('1');
    s.clock.advance(1_000);
    expect((await login(s, alice.email, alice.password)).statusCode).toBe(200);
    // Success forgets the account's misses.
    expect((await login(s, alice.email, 'nope')).statusCode).toBe(401);
    expect((await login(s, alice.email, alice.password)).statusCode).toBe(200);
  });

  it('slows one address guessing across many accounts', async () => {
    const alice = await addPerson(s, { role: 'member' });
    for (let i = 0; i < 21; i++) {
      const res = await login(s, `guess${i}@example.com`, 'nope', 'bearer', '10.0.0.9');
      expect(res.statusCode).toBe(401);
    }
    expect((await login(s, alice.email, alice.password, 'bearer', '10.0.0.9')).statusCode).toBe(429);
    expect((await login(s, alice.email, alice.password, 'bearer', '10.0.0.10')).statusCode).toBe(200);
  });

  it('caps the wait at 15 minutes', async () => {
    const alice = await addPerson(s, { role: 'member' });
    for (let i = 0; i < 30; i++) {
      await login(s, alice.email, 'nope');
      s.clock.advance(16 * 60_000);
    }
    await login(s, alice.email, 'nope');
    const res = await login(s, alice.email, alice.password);
    expect(Number(res.headers['retry-after'])).toBe(15 * 60);
  });
});
