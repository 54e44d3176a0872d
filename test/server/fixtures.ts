/**
 * Test fixtures for the server: a real SQLite file and real keys in a temp directory, a clock
 * the test moves by hand, people with passwords and badges, enrolled kiosks that sign
 * device assertions. Routes are exercised with app.inject().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Clock, Role } from '../../protocol/index.ts';
import { KIOSK_AUTH_SCHEME, TOKEN_TYP, kioskSubject } from '../../protocol/index.ts';
import { build, type App } from '../../server/app.ts';
import { createServerDeps } from '../../server/create-server.ts';
import type { ServerDeps } from '../../server/deps.ts';
import { createKioskWithCode } from '../../server/auth/enrollment.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import type { FastifyBaseLogger } from 'fastify';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const ISSUER = 'http://127.0.0.1:8420';

export type FakeClock = Clock & { advance(ms: number): void; set(ms: number): void };

export function fakeClock(start = T0): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

export type TestServer = {
  app: App;
  deps: ServerDeps;
  clock: FakeClock;
  dir: string;
  close(): Promise<void>;
};

export async function testServer(
  opts: { issuer?: string; logger?: FastifyBaseLogger; dir?: string; clock?: FakeClock } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rental-server-'));
  const clock = opts.clock ?? fakeClock();
  const deps = await createServerDeps({ dataDir: dir, issuer: opts.issuer ?? ISSUER, clock });
  const app = build(deps, opts.logger ? { logger: opts.logger } : {});
  await app.ready();
  return {
    app,
    deps,
    clock,
    dir,
    async close() {
      await app.close();
      await deps.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Cheap scrypt parameters: the tests are about the flows, not the cost.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

export async function addPerson(
  s: TestServer,
  p: { role: Role; email?: string; password?: string; badge?: string; active?: boolean; name?: string },
) {
  const email = p.email ?? `${p.role}-${randomUUID().slice(0, 8)}@example.com`;
  const password = p.password ?? 'correct horse battery';
  const user = await s.deps.store.createUser({
    email,
    displayName: p.name ?? `${p.role} person`,
    role: p.role,
    active: p.active ?? true,
    passwordHash: await hashPassword(password, FAST),
  });
  if (p.badge) await s.deps.store.addBadge(user.id, s.deps.hashBadge(p.badge));
  return { ...user, email, password };
}

export async function login(
  s: TestServer,
  email: string,
  password: string,
  mode: 'bearer' | 'cookie' = 'bearer',
  remoteAddress = '127.0.0.1',
) {
  return s.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password, mode },
    remoteAddress,
  });
}

/** Log in with a bearer session; returns the tokens. */
export async function bearer(s: TestServer, who: { email: string; password: string }) {
  const res = await login(s, who.email, who.password);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const body = res.json() as { accessToken: string; refreshToken: string };
  return { ...body, auth: { authorization: `Bearer ${body.accessToken}` } };
}

/** Cookies from a response's set-cookie headers, as a name -> value map. */
export function setCookies(res: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const out = new Map<string, string>();
  for (const c of list as string[]) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return out;
}

export const cookieHeader = (jar: Map<string, string>) =>
  [...jar]
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

export type TestKiosk = {
  id: string;
  privateKey: CryptoKey;
  /** A fresh assertion; `over` changes claims or header for attack tests. */
  assertion(over?: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    ttlS?: number;
  }): Promise<string>;
  auth(over?: Parameters<TestKiosk['assertion']>[0]): Promise<{ authorization: string }>;
};

export async function enrolledKiosk(s: TestServer, name = 'Front desk'): Promise<TestKiosk> {
  const { code } = await createKioskWithCode(s.deps.store, name, s.clock.now());
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  const res = await s.app.inject({
    method: 'POST',
    url: '/v1/kiosks/enroll',
    payload: { code, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } },
  });
  if (res.statusCode !== 200) throw new Error(`enroll failed: ${res.body}`);
  const id = (res.json() as { kioskId: string }).kioskId;
  const assertion: TestKiosk['assertion'] = async (over = {}) => {
    const iat = Math.floor(s.clock.now() / 1000);
    // Claims given by the test win over the defaults (set as payload, not via setters).
    const claims: Record<string, unknown> = {
      iss: kioskSubject(id),
      sub: kioskSubject(id),
      aud: s.deps.issuer,
      iat,
      exp: iat + (over.ttlS ?? 30),
      jti: randomUUID(),
      ...over.claims,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.kioskAssertion, kid: id, ...over.header })
      .sign(privateKey);
  };
  return {
    id,
    privateKey,
    assertion,
    auth: async (over) => ({ authorization: `${KIOSK_AUTH_SCHEME} ${await assertion(over)}` }),
  };
}
