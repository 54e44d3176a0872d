/**
 * Attacks on the server's tokens, each answered 401 with a typed code and never a 500:
 * alg none, algorithm confusion, stripped or tampered signatures, time claims, audience and
 * issuer, cross-use of token kinds, unknown kid, key-carrying headers, oversize and garbage.
 */
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_AUDIENCE, TOKEN_TYP, userSubject } from '../../../protocol/index.ts';
import { addPerson, bearer, ISSUER, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
let good: string;
let claims: JWTPayload;

beforeAll(async () => {
  s = await testServer();
  const member = await addPerson(s, { role: 'member' });
  good = (await bearer(s, member)).accessToken;
  claims = decodeJwt(good);
});
afterAll(async () => {
  await s.close();
});

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const me = (token: string) =>
  s.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

async function expect401(token: string, code: 'TOKEN_INVALID' | 'TOKEN_EXPIRED' = 'TOKEN_INVALID') {
  const res = await me(token);
  expect(res.statusCode, res.body).toBe(401);
  expect(res.json().code).toBe(code);
}

/** Sign with the server's own current key: only the claims or header are wrong. */
async function signed(payload: JWTPayload, header: Record<string, unknown> = {}, omit: string[] = []) {
  const key = s.deps.keys.current();
  const body: JWTPayload = { ...claims, jti: randomUUID(), ...payload };
  for (const k of omit) delete body[k];
  return new SignJWT(body)
    .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.access, kid: key.kid, ...header })
    .sign(key.privateKey);
}

describe('access token attacks', () => {
  it('the genuine token works (control)', async () => {
    expect((await me(good)).statusCode).toBe(200);
    expect((await me(await signed({}))).statusCode).toBe(200);
  });

  it('alg: none', async () => {
    const [h] = good.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    await expect401(`${b64({ ...header, alg: 'none' })}.${b64({ ...claims, role: 'admin' })}.`);
    await expect401(`${b64({ ...header, alg: 'none' })}.${good.split('.')[1]}.`);
  });

  it('HS256 signed with the server public key (algorithm confusion)', async () => {
    const jwk = s.deps.keys.current().publicJwk;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [String(pem), jwk.x!, JSON.stringify(jwk)]) {
      const head = b64({ alg: 'HS256', typ: TOKEN_TYP.access, kid: s.deps.keys.current().kid });
      const body = b64({ ...claims, role: 'admin' });
      const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
      await expect401(`${head}.${body}.${sig}`);
    }
  });

  it('stripped signature and tampered payload', async () => {
    const [h, p, sig] = good.split('.');
    await expect401(`${h}.${p}.`);
    await expect401(`${h}.${p}`);
    await expect401(`${h}.${b64({ ...claims, role: 'admin' })}.${sig}`);
    await expect401(`${h}.${b64({ ...claims, sub: userSubject('usr_someoneelse') })}.${sig}`);
    const flipped = sig!.slice(0, 10) + (sig![10] === 'A' ? 'B' : 'A') + sig!.slice(11);
    await expect401(`${h}.${p}.${flipped}`);
  });

  it('expired, not yet valid, issued in the future', async () => {
    const now = Math.floor(s.clock.now() / 1000);
    await expect401(await signed({ iat: now - 1000, exp: now - 60 }), 'TOKEN_EXPIRED');
    await expect401(await signed({ nbf: now + 600 }));
    await expect401(await signed({ iat: now + 600, exp: now + 1200 }));
  });

  it('missing exp, iat, jti, sub or sid', async () => {
    for (const claim of ['exp', 'iat', 'jti', 'sub', 'sid']) await expect401(await signed({}, {}, [claim]));
  });

  it('wrong aud or iss', async () => {
    await expect401(await signed({ aud: 'kiosk:ksk_1' }));
    await expect401(await signed({ aud: [ACCESS_AUDIENCE.toUpperCase()] }));
    await expect401(await signed({ iss: 'http://evil.example' }));
    await expect401(await signed({ iss: `${ISSUER}/` }));
  });

  it('every other kind of token presented as an access token', async () => {
    for (const typ of [TOKEN_TYP.rental, TOKEN_TYP.kioskAssertion, TOKEN_TYP.roster, 'JWT', 'at+JWT ']) {
      await expect401(await signed({}, { typ }));
    }
    await expect401(await signed({}, { typ: undefined }));
    const rental = await s.deps.tokens.issueRental('ksk_abc', String(claims.sub).slice(5), 'member');
    await expect401(rental.token);
  });

  it('an access token presented as any other kind', async () => {
    await expect(s.deps.tokens.verifyRental(good, 'ksk_abc', s.clock.now())).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    const asKiosk = await s.app.inject({
      method: 'POST',
      url: '/v1/badge-tap',
      headers: { authorization: `Kiosk ${good}` },
      payload: { credential: 'kbd:1234' },
    });
    expect(asKiosk.statusCode).toBe(401);
    expect(asKiosk.json().code).toBe('KIOSK_ASSERTION_INVALID');
  });

  it('unknown kid, and no kid', async () => {
    await expect401(await signed({}, { kid: 'not-a-key' }));
    await expect401(await signed({}, { kid: undefined }));
  });

  it('jku, x5u and embedded jwk headers: refused even when the signature is ours', async () => {
    const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    await expect401(await signed({}, { jku: 'https://evil.example/jwks.json' }));
    await expect401(await signed({}, { x5u: 'https://evil.example/cert.pem' }));
    await expect401(await signed({}, { jwk: attackerJwk }));
    // Signed by the attacker, naming their own key in the header.
    const forged = await new SignJWT({ ...claims, role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.access, jwk: attackerJwk })
      .sign(attacker.privateKey);
    await expect401(forged);
    const forgedKid = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.access, kid: s.deps.keys.current().kid })
      .sign(attacker.privateKey);
    await expect401(forgedKid);
  });

  it('a huge token, broken base64, broken JSON, garbage', async () => {
    const [h, p, sig] = good.split('.');
    await expect401(`${h}.${'A'.repeat(100_000)}.${sig}`);
    await expect401(`${h}${'.x'.repeat(5)}`);
    await expect401(`e.${p}.${sig}`);
    await expect401(`${h}.${p}!.${sig}`);
    await expect401(`${b64('{"alg":"EdDSA",')}.${p}.${sig}`);
    await expect401(`${h}.${b64('{"sub": ')}.${sig}`);
    await expect401(`${h}.${b64('[1,2,3]')}.${sig}`);
    await expect401(`${b64('null')}.${p}.${sig}`);
    await expect401('....');
    for (const header of ['Bearer', 'Bearer ', 'Basic abc', `Bearer ${good} extra`, 'bearer']) {
      const res = await s.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: header } });
      expect(res.statusCode).toBe(401);
      expect(['UNAUTHENTICATED', 'TOKEN_INVALID']).toContain(res.json().code);
    }
  });
});
