/** Structured logs never contain a token, a password, a CSRF or enrollment code, or a raw badge UID. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT } from '../../../server/app.ts';
import { createKioskWithCode } from '../../../server/auth/enrollment.ts';
import { addPerson, enrolledKiosk, setCookies, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
const lines: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACT, censor: '[redacted]' } }, sink);
  s = await testServer({ logger });

  const person = await addPerson(s, {
    role: 'admin',
    badge: 'nfc:04a1b2c3d4e5f6',
    password: 'hunter2-is-my-password',
  });
  secrets.push(person.password, '04a1b2c3d4e5f6');
  const bearer = await s.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: person.email, password: person.password },
  });
  const { accessToken, refreshToken } = bearer.json();
  secrets.push(accessToken, refreshToken);
  const refreshed = await s.app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken },
  });
  secrets.push(refreshed.json().accessToken, refreshed.json().refreshToken);
  // A reused refresh token and a wrong password: failures log too.
  await s.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
  await s.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: person.email, password: 'wrong-guess-9' },
  });
  secrets.push('wrong-guess-9');

  const cookie = await s.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: person.email, password: person.password, mode: 'cookie' },
  });
  const jar = setCookies(cookie);
  secrets.push(...[...jar.values()], cookie.json().csrfToken);
  await s.app.inject({
    method: 'POST',
    url: '/v1/admin/kiosks',
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-csrf-token': cookie.json().csrfToken,
    },
    payload: { name: 'Lab' },
  });

  const { code } = await createKioskWithCode(s.deps.store, 'Hall', s.clock.now());
  secrets.push(code);
  await s.app.inject({
    method: 'POST',
    url: '/v1/kiosks/enroll',
    payload: { code, publicJwk: { kty: 'OKP' } },
  });
  const kiosk = await enrolledKiosk(s);
  const auth = await kiosk.auth();
  secrets.push(auth.authorization.slice('Kiosk '.length));
  const tap = await s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: auth,
    payload: { credential: 'nfc:04a1b2c3d4e5f6' },
  });
  secrets.push(tap.json().token);
  await s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: auth,
    payload: { credential: 'kbd:77778888' },
  });
  secrets.push('77778888');
  await s.app.inject({ method: 'GET', url: `/v1/me`, headers: { authorization: `Bearer ${accessToken}x` } });
});
afterAll(async () => {
  await s.close();
});

describe('logs', () => {
  it('were written (the test looks at something real)', () => {
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.join('')).toContain('signed in');
  });

  it('contain none of the secrets that passed through', () => {
    const all = lines.join('');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(5);
      expect(all.includes(secret), `leaked: ${secret.slice(0, 12)}…`).toBe(false);
      // Nor any telltale piece of a JWT (its signature part).
      if (secret.split('.').length === 3) expect(all).not.toContain(secret.split('.')[2]);
    }
  });
});
