/**
 * After a rotation the previous key verifies only what it signed before (issue 13, item 6):
 * a token minted later under the old key (a leaked old private key) is refused, while the
 * tokens it really signed stay good until they expire.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TOKEN_TYP } from '../../../protocol/index.ts';
import { addPerson, bearer, ISSUER, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

const me = (token: string) =>
  s.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

it('refuses a token signed with the previous key after the rotation, keeps the ones it signed before', async () => {
  const member = await addPerson(s, { role: 'member' });
  const before = (await bearer(s, member)).accessToken;
  const old = s.deps.keys.current();

  s.clock.advance(60_000);
  const next = await s.deps.keys.rotate(s.clock.now());
  s.clock.advance(10_000); // past the clock tolerance
  expect(s.deps.keys.current().kid).toBe(next.kid);

  // Signed before the rotation: still good.
  expect((await me(before)).statusCode).toBe(200);

  // The same claims, "issued" now, under the old key.
  const claims = decodeJwt(before);
  const iat = Math.floor(s.clock.now() / 1000);
  const forged = await new SignJWT({ ...claims, iat, exp: iat + 600, jti: randomUUID() })
    .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.access, kid: old.kid })
    .sign(old.privateKey);
  const res = await me(forged);
  expect(res.statusCode).toBe(401);
  expect(res.json().code).toBe('TOKEN_INVALID');
  expect(decodeJwt(forged).iss).toBe(ISSUER);

  // New tokens come from the new key and work.
  const fresh = (await bearer(s, member)).accessToken;
  expect((await me(fresh)).statusCode).toBe(200);
});
