/**
 * Property-based: random and mutated bodies, queries and path parameters thrown at every
 * route in the OpenAPI document, authenticated so validation is reached. Whatever arrives,
 * the answer is a typed error body (4xx) or a success, never a 500.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import type { UserRecord } from '../../../server/store/store.ts';
import { addPerson, enrolledKiosk, type TestKiosk, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
let kiosk: TestKiosk;
let admin: UserRecord;
type Op = { security: Record<string, unknown>[]; requestBody?: unknown };
let ops: { method: string; url: string; op: Op }[];

/** Streams stay open by design (inject would wait for ever); they take no input to fuzz. */
const STREAMS = new Set(['GET /v1/admin/events', 'GET /v1/people/me/events']);

/** Plausible valid bodies per route, for mutation. */
const SEEDS: Record<string, unknown> = {
  'POST /v1/auth/login': { email: 'admin@example.com', password: 'x', mode: 'cookie' },
  'POST /v1/auth/refresh': { refreshToken: 'A'.repeat(43) },
  'POST /v1/me/password': { currentPassword: 'x', newPassword: 'long enough password' },
  'POST /v1/admin/kiosks': { name: 'Lab' },
  'POST /v1/kiosks/enroll': {
    code: 'ABCD-EFGH-JKMN',
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
  },
  'POST /v1/badge-tap': { credential: 'nfc:04a1b2c3d4e5f6' },
  'POST /v1/admin/reservations': {
    category: 'Cameras',
    startsAt: '2026-03-03T09:00:00.000Z',
    endsAt: '2026-03-04T09:00:00.000Z',
  },
  'POST /v1/people/me/reservations': {
    itemId: 'itm_1',
    startsAt: '2026-03-03T09:00:00.000Z',
    endsAt: '2026-03-02T09:00:00.000Z',
  },
  'POST /v1/sync': {
    transactions: [
      {
        id: '01890a5d-ac96-774b-bcce-b302099a8057',
        seq: 1,
        kind: 'borrow',
        itemId: 'itm_1',
        userId: 'usr_1',
        occurredAt: '2026-03-02T09:00:00.000Z',
        clockTrusted: true,
        auth: { kind: 'rental', token: 'a.b.c' },
      },
    ],
  },
};

/**
 * Routes that take more than the usual 2 MB body, with their limit: a CSV file of a whole
 * directory (server/routes/admin/import.ts). Above it they too must answer 413.
 */
const LARGER_BODIES: Record<string, number> = { 'POST /v1/admin/import/{kind}': 13 * 1024 * 1024 };

beforeAll(async () => {
  s = await testServer();
  kiosk = await enrolledKiosk(s);
  admin = await addPerson(s, { role: 'admin' });
  const doc = (await s.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, Op>>;
  };
  ops = Object.entries(doc.paths)
    .flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), url: path, op })),
    )
    .filter((o) => !STREAMS.has(`${o.method} ${o.url}`));
  // The tap limiter would answer 429 before validation after a burst; lift it for this suite.
  s.deps.tapLimiter.take = async () => {};
});
afterAll(async () => {
  await s.close();
});

const json = fc.jsonValue({ maxDepth: 4 });

/** Replace, drop or add one field somewhere in a valid body. */
function mutated(seed: unknown) {
  return fc
    .tuple(fc.constantFrom('drop', 'replace', 'add', 'wrap'), json, fc.string({ maxLength: 12 }))
    .map(([how, value, key]) => {
      const copy = structuredClone(seed) as Record<string, unknown>;
      const keys = Object.keys(copy);
      const target = keys[Math.abs(key.length) % Math.max(keys.length, 1)];
      if (how === 'drop' && target) delete copy[target];
      if (how === 'replace' && target) copy[target] = value;
      if (how === 'add') copy[key || 'extra'] = value;
      return how === 'wrap' ? [copy] : copy;
    });
}

async function send(method: string, url: string, op: Op, payload: string | undefined, contentType?: string) {
  const headers: Record<string, string> = {};
  if (op.security.some((x) => 'kioskAssertion' in x)) Object.assign(headers, await kiosk.auth());
  else if (op.security.length > 0) {
    // A fresh sign-in per request: logout and password change end the one they are given.
    const { accessToken } = await s.deps.sessions.open(admin, 'bearer');
    headers.authorization = `Bearer ${accessToken}`;
  }
  if (payload !== undefined) headers['content-type'] = contentType ?? 'application/json';
  return s.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
}

function expectTyped(res: { statusCode: number; body: string }, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
  if (res.statusCode >= 400) expect(check(ErrorBody, JSON.parse(res.body)), what).toBe(true);
}

describe('every route survives random input', () => {
  // Dozens of routes times dozens of requests: minutes on a loaded CI machine, not seconds.
  it('random and mutated JSON bodies, random path params and queries', async () => {
    for (const { method, url, op } of ops) {
      const key = `${method} ${url}`;
      const body = SEEDS[key] === undefined ? json : fc.oneof(json, mutated(SEEDS[key]));
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.string({ maxLength: 80 }),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          async (payload, param, query) => {
            const path = url.replace(/\{\w+\}/g, encodeURIComponent(param) || 'x');
            const qs = new URLSearchParams(query).toString();
            const res = await send(
              method,
              `${path}${qs ? `?${qs}` : ''}`,
              op,
              method === 'GET' ? undefined : JSON.stringify(payload),
            );
            expectTyped(res, key);
          },
        ),
        { numRuns: 30, seed: 4242 },
      );
    }
  }, 180_000);

  it('broken JSON, wrong content types, empty and oversized bodies', async () => {
    const raw = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{', '{"a":', 'null', '[]', '"str"', '1e999', '{"__proto__":{"x":1}}', '\u0000'),
    );
    for (const { method, url, op } of ops.filter((o) => o.method === 'POST')) {
      await fc.assert(
        fc.asyncProperty(
          raw,
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
          async (payload, type) => {
            expectTyped(
              await send(method, url.replace(/\{\w+\}/g, 'x'), op, payload, type),
              `${method} ${url}`,
            );
          },
        ),
        { numRuns: 25, seed: 7 },
      );
      const limit = LARGER_BODIES[`${method} ${url}`] ?? 2 * 1024 * 1024;
      const big = await send(
        method,
        url.replace(/\{\w+\}/g, 'x'),
        op,
        JSON.stringify({ pad: 'x'.repeat(limit + 1024 * 1024) }),
      );
      expect(big.statusCode, `${method} ${url}`).toBe(413);
      expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
    }
  }, 180_000);
});
