/**
 * Kiosk identity and badge taps: one-time enrollment codes, fresh device assertions (replay,
 * lifetime, audience, foreign keys), revocation taking effect on the next call, and the tap
 * itself (unknown badge, inactive person, per-kiosk rate limit).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_TYP } from '../../../protocol/index.ts';
import { createKioskWithCode } from '../../../server/auth/enrollment.ts';
import { addPerson, enrolledKiosk, testServer, type TestKiosk, type TestServer } from '../fixtures.ts';

let s: TestServer;
let kiosk: TestKiosk;
beforeEach(async () => {
  s = await testServer();
  kiosk = await enrolledKiosk(s);
});
afterEach(async () => {
  await s.close();
});

const tap = async (credential: string, headers?: { authorization: string }) =>
  s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: headers ?? (await kiosk.auth()),
    payload: { credential },
  });

async function publicJwk() {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

describe('enrollment', () => {
  it('a code works once, before it expires', async () => {
    const { code } = await createKioskWithCode(s.deps.store, 'Lab', s.clock.now());
    const enroll = async () =>
      s.app.inject({
        method: 'POST',
        url: '/v1/kiosks/enroll',
        payload: { code, publicJwk: await publicJwk() },
      });
    expect((await enroll()).statusCode).toBe(200);
    const again = await enroll();
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('ENROLLMENT_CODE_INVALID');

    const late = await createKioskWithCode(s.deps.store, 'Late', s.clock.now());
    s.clock.advance(15 * 60_000 + 1);
    const expired = await s.app.inject({
      method: 'POST',
      url: '/v1/kiosks/enroll',
      payload: { code: late.code, publicJwk: await publicJwk() },
    });
    expect(expired.json().code).toBe('ENROLLMENT_CODE_INVALID');
  });

  it('the admin API hands out a code that enrolls', async () => {
    const admin = await addPerson(s, { role: 'admin' });
    const { bearer } = await import('../fixtures.ts');
    const { auth } = await bearer(s, admin);
    const created = await s.app.inject({
      method: 'POST',
      url: '/v1/admin/kiosks',
      headers: auth,
      payload: { name: 'Hall' },
    });
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/kiosks/enroll',
      payload: { code: created.json().enrollmentCode, publicJwk: await publicJwk() },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().kioskId).toBe(created.json().kiosk.id);
  });
});

describe('device assertions', () => {
  it('a replayed assertion is refused', async () => {
    await addPerson(s, { role: 'member', badge: 'kbd:5550001' });
    const headers = await kiosk.auth();
    expect((await tap('kbd:5550001', headers)).statusCode).toBe(200);
    const replay = await tap('kbd:5550001', headers);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('KIOSK_ASSERTION_INVALID');
  });

  it('refuses long-lived, expired, future, wrong-audience, wrong-typ and foreign-key assertions', async () => {
    const refuse = async (headers: { authorization: string }) => {
      const res = await s.app.inject({ method: 'GET', url: '/v1/catalog', headers });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().code).toBe('KIOSK_ASSERTION_INVALID');
    };
    await refuse(await kiosk.auth({ ttlS: 120 }));
    const now = Math.floor(s.clock.now() / 1000);
    await refuse(await kiosk.auth({ claims: { iat: now - 120, exp: now - 60 } }));
    await refuse(await kiosk.auth({ claims: { iat: now + 300, exp: now + 330 } }));
    await refuse(await kiosk.auth({ claims: { aud: 'http://other.example' } }));
    await refuse(await kiosk.auth({ claims: { sub: 'kiosk:ksk_other' } }));
    await refuse(await kiosk.auth({ header: { typ: TOKEN_TYP.access } }));
    await refuse(await kiosk.auth({ claims: { jti: undefined } }));
    await refuse(await kiosk.auth({ claims: { jti: 'short' } }));
    // Another kiosk's key signing in this kiosk's name.
    const other = await enrolledKiosk(s, 'Other');
    const stolenName = await other.assertion({ header: { kid: kiosk.id } });
    await refuse({ authorization: `Kiosk ${stolenName}` });
    // alg none with this kiosk's kid.
    const good = await kiosk.assertion();
    const head = Buffer.from(JSON.stringify({ ...decodeProtectedHeader(good), alg: 'none' })).toString(
      'base64url',
    );
    await refuse({ authorization: `Kiosk ${head}.${good.split('.')[1]}.` });
    await refuse({ authorization: 'Kiosk not-a-jwt' });
    await refuse({ authorization: `Kiosk ${'A'.repeat(5000)}` });
    // Control: a good one still works.
    expect(
      (await s.app.inject({ method: 'GET', url: '/v1/catalog', headers: await kiosk.auth() })).statusCode,
    ).toBe(200);
  });

  it('a revoked kiosk is refused on its very next call', async () => {
    await addPerson(s, { role: 'member', badge: 'kbd:5550002' });
    expect((await tap('kbd:5550002')).statusCode).toBe(200);
    await s.deps.store.revokeKiosk(kiosk.id, s.clock.now());
    const res = await tap('kbd:5550002');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('KIOSK_REVOKED');
    const sync = await s.app.inject({ method: 'GET', url: '/v1/catalog', headers: await kiosk.auth() });
    expect(sync.json().code).toBe('KIOSK_REVOKED');
  });
});

describe('badge tap', () => {
  it('gives a rental token for this kiosk, the person and their loans', async () => {
    const p = await addPerson(s, { role: 'staff', badge: 'nfc:04a1b2c3d4e5f6', name: '박지훈' });
    const res = await tap('nfc:04a1b2c3d4e5f6');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({ id: p.id, displayName: '박지훈', role: 'staff' });
    expect(body.loans).toEqual([]);
    expect(body.maxLoans).toBe(5);
    expect(decodeProtectedHeader(body.token).typ).toBe(TOKEN_TYP.rental);
    const c = decodeJwt(body.token);
    expect(c.aud).toBe(`kiosk:${kiosk.id}`);
    expect(c.sub).toBe(`user:${p.id}`);
    expect((c.exp! - c.iat!) * 1000).toBe(120_000);
    const verified = await s.deps.tokens.verifyRental(body.token, kiosk.id, s.clock.now());
    expect(verified.userId).toBe(p.id);
    // Not for another kiosk.
    await expect(s.deps.tokens.verifyRental(body.token, 'ksk_other', s.clock.now())).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });

  it('answers an unknown badge and an inactive person identically', async () => {
    await addPerson(s, { role: 'member', badge: 'kbd:5550003', active: false });
    const unknown = await tap('kbd:5550999');
    const inactive = await tap('kbd:5550003');
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json()).toEqual(inactive.json());
    expect(unknown.json().code).toBe('BADGE_DENIED');
  });

  it('rate-limits taps per kiosk, not across kiosks', async () => {
    await addPerson(s, { role: 'member', badge: 'kbd:5550004' });
    let limited = 0;
    for (let i = 0; i < 25; i++) if ((await tap(`kbd:${9000000 + i}`)).statusCode === 429) limited++;
    expect(limited).toBe(5);
    const res = await tap('kbd:5550004');
    expect(res.json().code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const other = await enrolledKiosk(s, 'Other');
    expect((await tap('kbd:5550004', await other.auth())).statusCode).toBe(200);
    s.clock.advance(2_000);
    expect((await tap('kbd:5550004')).statusCode).toBe(200);
    void randomUUID;
  });
});
