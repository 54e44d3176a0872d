/**
 * Single sign-on for the dashboard (issue 20) against a real OpenID provider (oidc-provider on
 * 127.0.0.1): the whole code + PKCE flow at the HTTP level, the person it links or creates,
 * the role from groups, and every refusal as a typed code on the sign-in page's URL —
 * another issuer, a wrong audience, a replayed code, a reused or foreign state, a missing
 * nonce, an inactive person, passwords off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../protocol/index.ts';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { build, REDACT, type App } from '../../../server/app.ts';
import { createServerDeps } from '../../../server/create-server.ts';
import type { ServerDeps } from '../../../server/deps.ts';
import { loadSsoSettings, type SsoSettings } from '../../../server/auth/oidc/sso-config.ts';
import { createSsoService } from '../../../server/auth/oidc/sso-service.ts';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { storeSharedState } from '../../../server/shared/store-state.ts';
import { cookieHeader, fakeClock, ISSUER, setCookies, type FakeClock } from '../fixtures.ts';
import { Jar, signInAtProvider, startProvider, type TestProvider } from './oidc-fixture.ts';

const CALLBACK = `${ISSUER}/v1/auth/oidc/callback`;
const ACCOUNTS = {
  'kim.jimin': {
    email: 'jimin.kim@example.com',
    email_verified: true,
    name: '김지민',
    groups: ['rental-staff'],
  },
  'lee.admin': {
    email: 'admin.lee@example.com',
    email_verified: true,
    name: '이관리',
    groups: ['rental-admins', 'everyone'],
  },
  'park.member': { email: 'park@example.com', email_verified: true, name: '박회원', groups: ['everyone'] },
  'new.person': {
    email: 'new.person@example.com',
    email_verified: true,
    name: 'New Person',
    groups: ['rental-staff'],
  },
  // A second account at the provider that carries the first one's email (an address moved over).
  'kim.second': { email: 'jimin.kim@example.com', email_verified: true, name: '김지민 (2)', groups: [] },
  unverified: { email: 'unverified@example.com', email_verified: false, name: 'Unverified' },
};

let idp: TestProvider;
let other: TestProvider;
beforeAll(async () => {
  [idp, other] = await Promise.all([
    startProvider({ redirectUris: [CALLBACK], accounts: ACCOUNTS }),
    startProvider({ redirectUris: [CALLBACK], accounts: ACCOUNTS }),
  ]);
});
afterAll(async () => {
  await idp?.close();
  await other?.close();
});

type Rewrite = (url: string, init: RequestInit | undefined) => Promise<Response> | undefined;

type Env = {
  app: App;
  deps: ServerDeps;
  clock: FakeClock;
  settings: SsoSettings;
  /** Set by a test to stand between the server and the provider (a mix-up attacker, a forged token). */
  rewrite: { fn: Rewrite | null };
  /** Every URL the server fetched from a provider, in order. */
  fetched: string[];
  close(): Promise<void>;
};

const opened: Env[] = [];
afterEach(async () => {
  for (const e of opened.splice(0)) await e.close();
});

function settingsFor(issuer: string, env: Record<string, string> = {}): SsoSettings {
  return loadSsoSettings(
    {
      RENTAL_SSO_ISSUER: issuer,
      RENTAL_SSO_CLIENT_ID: idp.clientId,
      RENTAL_SSO_CLIENT_SECRET: idp.clientSecret,
      RENTAL_SSO_SCOPES: 'openid email profile groups',
      RENTAL_SSO_PROVIDER_NAME: 'Example SSO',
      RENTAL_SSO_GROUP_ROLES: 'rental-admins=admin, rental-staff=staff',
      ...env,
    },
    ISSUER,
  )!;
}

async function server(
  env: Record<string, string> = {},
  opts: { dir?: string; issuer?: string; logger?: FastifyBaseLogger } = {},
): Promise<Env> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rental-oidc-'));
  // The provider stamps tokens with the real time; the server's clock starts there.
  const clock = fakeClock(Date.now());
  const settings = settingsFor(opts.issuer ?? idp.issuer, env);
  const rewrite: Env['rewrite'] = { fn: null };
  const fetched: string[] = [];
  const fetchVia: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    fetched.push(url);
    return rewrite.fn?.(url, init) ?? fetch(input, init);
  };
  const deps = await createServerDeps({
    dataDir: dir,
    issuer: ISSUER,
    clock,
    sso: settings,
    fetch: fetchVia,
  });
  const app = build(deps, opts.logger ? { logger: opts.logger } : {});
  await app.ready();
  const e: Env = {
    app,
    deps,
    clock,
    settings,
    rewrite,
    fetched,
    async close() {
      await app.close();
      await deps.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  opened.push(e);
  return e;
}

const FAST = { N: 2 ** 10, r: 8, p: 1 };
async function person(e: Env, email: string, role: Role = 'member', active = true, password?: string) {
  return e.deps.store.createUser({
    email,
    displayName: email.split('@')[0]!,
    role,
    active,
    passwordHash: password ? await hashPassword(password, FAST) : null,
  });
}

/** One browser: its cookies at our server. */
class Browser {
  jar = new Map<string, string>();
  providerJar = new Jar();
  constructor(private e: Env) {}
  async get(url: string) {
    const res = await this.e.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(this.jar) } });
    for (const [k, v] of setCookies(res)) this.jar.set(k, v);
    return res;
  }
  /** Our start route: the provider's authorization URL. */
  async start(): Promise<string> {
    const res = await this.get('/v1/auth/oidc/start');
    expect(res.statusCode).toBe(302);
    return String(res.headers.location);
  }
  async callback(callbackUrl: string) {
    const u = new URL(callbackUrl);
    const res = await this.get(`${u.pathname}${u.search}`);
    expect(res.statusCode).toBe(302);
    return res;
  }
  /** The whole sign-in; returns where the browser lands and the callback URL it went through. */
  async signIn(login: string, opts: { cancel?: boolean } = {}) {
    const callbackUrl = await signInAtProvider(await this.start(), login, { jar: this.providerJar, ...opts });
    const res = await this.callback(callbackUrl);
    return { location: String(res.headers.location), callbackUrl };
  }
  me() {
    return this.e.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: cookieHeader(this.jar) } });
  }
}

const refused = (code: string) => `${ISSUER}/dashboard/?sso_error=${code}`;

async function auditActions(e: Env) {
  return (await e.deps.store.auditLog({ limit: 100 })).filter((r) => r.action?.startsWith('sso.'));
}

describe('single sign-on: the flow', () => {
  it('links an existing person by verified email, takes the role from groups, and opens the cookie session', async () => {
    const e = await server();
    const kim = await person(e, 'Jimin.Kim@example.com', 'member');
    const b = new Browser(e);
    const authUrl = new URL(await b.start());
    // Code flow with PKCE S256, state and nonce, to the configured redirect URI.
    expect(authUrl.origin).toBe(idp.issuer);
    expect(Object.fromEntries(authUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(authUrl.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The browser binding: random, HttpOnly, Lax (it must ride on the provider's redirect back).
    expect(b.jar.get('rental_oidc')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callbackUrl = await signInAtProvider(authUrl.toString(), 'kim.jimin', { jar: b.providerJar });
    const res = await b.callback(callbackUrl);
    expect(res.headers.location).toBe(`${ISSUER}/dashboard/`);
    const written = res.headers['set-cookie'] as string[];
    const access = written.find((c) => c.startsWith('rental_at='))!.split('; ');
    expect(access).toEqual(expect.arrayContaining(['Path=/', 'SameSite=Strict', 'HttpOnly']));
    expect(access.some((a) => /^Max-Age=\d+$/.test(a))).toBe(true);
    expect(written.join('\n')).toMatch(/rental_oidc=; Max-Age=0/);
    const me = await b.me();
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: kim.id, role: 'staff' });
    expect(await e.deps.store.findIdentity(idp.issuer, 'kim.jimin')).toMatchObject({ userId: kim.id });
    expect((await auditActions(e)).map((a) => a.action).sort()).toEqual([
      'sso.link',
      'sso.role',
      'sso.sign-in',
    ]);
    // This provider keeps email and groups out of the ID token: the server asked userinfo once.
    expect(e.fetched.map((u) => new URL(u).pathname)).toEqual([
      '/.well-known/openid-configuration',
      '/token',
      '/jwks',
      '/me',
    ]);
    // Neither the code nor any token reaches the audit log.
    const code = new URL(callbackUrl).searchParams.get('code')!;
    expect(JSON.stringify(await e.deps.store.auditLog({ limit: 100 }))).not.toContain(code);

    // The same session as a password sign-in: refresh with the CSRF token, then logout.
    const csrf = b.jar.get('rental_csrf')!;
    const refreshed = await e.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: {},
      headers: { cookie: cookieHeader(b.jar), 'x-csrf-token': csrf, origin: ISSUER },
    });
    expect(refreshed.statusCode).toBe(200);
    for (const [k, v] of setCookies(refreshed)) b.jar.set(k, v);
    const out = await e.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie: cookieHeader(b.jar), 'x-csrf-token': csrf, origin: ISSUER },
    });
    expect(out.statusCode).toBe(204);
  });

  it('authenticates at the token endpoint with client_secret_post where the provider offers only that', async () => {
    const postOnly = await startProvider({
      redirectUris: [CALLBACK],
      accounts: ACCOUNTS,
      tokenAuthMethod: 'client_secret_post',
    });
    try {
      const e = await server({}, { issuer: postOnly.issuer });
      await person(e, 'jimin.kim@example.com');
      const sent: { body: string; authorization: string | null }[] = [];
      e.rewrite.fn = (url, init) => {
        if (url.endsWith('/token'))
          sent.push({
            body: String(init?.body),
            authorization: new Headers(init?.headers).get('authorization'),
          });
        return undefined;
      };
      expect((await new Browser(e).signIn('kim.jimin')).location).toBe(`${ISSUER}/dashboard/`);
      // Chosen from the provider's discovery document: the secret in the form, no Basic header.
      expect(sent).toHaveLength(1);
      expect(new URLSearchParams(sent[0]!.body).get('client_secret')).toBe(postOnly.clientSecret);
      expect(new URLSearchParams(sent[0]!.body).get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(sent[0]!.authorization).toBeNull();
    } finally {
      await postOnly.close();
    }
  });

  it("the groups never take the last active admin's rights: they keep the role, and the audit says why", async () => {
    const e = await server();
    const kim = await person(e, 'jimin.kim@example.com', 'admin');
    expect((await new Browser(e).signIn('kim.jimin')).location).toBe(`${ISSUER}/dashboard/`);
    expect((await e.deps.store.findUserById(kim.id))!.role).toBe('admin');
    const roles = (await auditActions(e)).filter((a) => a.action === 'sso.role').map((a) => a.detail);
    expect(roles).toEqual(['kept admin, not staff: the last active admin']);
  });

  it('a second sign-in finds the link; the role follows the groups each time and its change is audited', async () => {
    const e = await server();
    const kim = await person(e, 'jimin.kim@example.com', 'admin');
    await person(e, 'another.admin@example.com', 'admin'); // so kim is not the last admin
    expect((await new Browser(e).signIn('kim.jimin')).location).toBe(`${ISSUER}/dashboard/`);
    expect((await e.deps.store.findUserById(kim.id))!.role).toBe('staff');
    const discoveries = () => e.fetched.filter((u) => u.endsWith('/openid-configuration')).length;
    expect(discoveries()).toBe(1);
    idp.accounts.set('kim.jimin', { ...ACCOUNTS['kim.jimin'], groups: ['rental-admins'] });
    try {
      await new Browser(e).signIn('kim.jimin');
      expect((await e.deps.store.findUserById(kim.id))!.role).toBe('admin');
      // The discovery document is cached between sign-ins.
      expect(discoveries()).toBe(1);
      const roles = (await auditActions(e)).filter((a) => a.action === 'sso.role').map((a) => a.detail);
      expect(roles.sort()).toEqual([
        "role admin -> staff from the provider's groups",
        "role staff -> admin from the provider's groups",
      ]);
    } finally {
      idp.accounts.set('kim.jimin', ACCOUNTS['kim.jimin']);
    }
  });

  it('without a mapped group a person is a member, or is refused when a mapped group is required', async () => {
    const e = await server();
    const park = await person(e, 'park@example.com', 'staff');
    await new Browser(e).signIn('park.member');
    expect((await e.deps.store.findUserById(park.id))!.role).toBe('member');
    const strict = await server({ RENTAL_SSO_REQUIRE_MAPPED_GROUP: 'true' });
    await person(strict, 'park@example.com');
    expect((await new Browser(strict).signIn('park.member')).location).toBe(refused('SSO_NO_MAPPED_GROUP'));
    expect((await auditActions(strict)).map((a) => [a.action, a.detail])).toEqual([
      ['sso.refused', 'SSO_NO_MAPPED_GROUP'],
    ]);
  });

  it('creates the person at first sign-in when just-in-time is on, and only links when it is off', async () => {
    const link = await server();
    expect((await new Browser(link).signIn('new.person')).location).toBe(refused('SSO_USER_NOT_FOUND'));
    expect(await link.deps.store.findUserByEmail('new.person@example.com')).toBeNull();

    const jit = await server({ RENTAL_SSO_PROVISIONING: 'jit' });
    const b = new Browser(jit);
    expect((await b.signIn('new.person')).location).toBe(`${ISSUER}/dashboard/`);
    const created = await jit.deps.store.findUserByEmail('new.person@example.com');
    expect(created).toMatchObject({
      displayName: 'New Person',
      role: 'staff',
      active: true,
      passwordHash: null,
    });
    expect((await b.me()).json().id).toBe(created!.id);
    expect((await auditActions(jit)).map((a) => a.action).sort()).toEqual(['sso.create', 'sso.sign-in']);
  });

  it('refuses an inactive person, an unverified email, and a cancelled sign-in', async () => {
    const e = await server({ RENTAL_SSO_PROVISIONING: 'jit' });
    await person(e, 'jimin.kim@example.com', 'staff', false);
    expect((await new Browser(e).signIn('kim.jimin')).location).toBe(refused('SSO_ACCOUNT_INACTIVE'));
    expect((await new Browser(e).signIn('unverified')).location).toBe(refused('SSO_CLAIM_MISSING'));
    expect((await new Browser(e).signIn('park.member', { cancel: true })).location).toBe(
      refused('SSO_CANCELLED'),
    );
    expect(await e.deps.store.findUserByEmail('unverified@example.com')).toBeNull();
  });

  it('does not link a second account at the provider to a person already linked', async () => {
    const e = await server();
    const kim = await person(e, 'jimin.kim@example.com');
    await new Browser(e).signIn('kim.jimin');
    expect((await new Browser(e).signIn('kim.second')).location).toBe(refused('SSO_IDENTITY_CONFLICT'));
    expect((await e.deps.store.identitiesOf(kim.id)).map((i) => i.subject)).toEqual(['kim.jimin']);
  });

  it('a person linked already is refused once made inactive', async () => {
    const e = await server();
    const kim = await person(e, 'jimin.kim@example.com');
    await new Browser(e).signIn('kim.jimin');
    await e.deps.store.setUserActive(kim.id, false);
    expect((await new Browser(e).signIn('kim.jimin')).location).toBe(refused('SSO_ACCOUNT_INACTIVE'));
  });
});

describe('single sign-on: state, code and browser binding', () => {
  it('writes neither the code, the state nor any token or secret to the server log', async () => {
    const lines: string[] = [];
    // As main.ts makes it, at the most talkative level.
    const logger = pino(
      { level: 'trace', redact: { paths: REDACT, censor: '[redacted]' } },
      { write: (line: string) => void lines.push(line) },
    );
    const e = await server({}, { logger });
    await person(e, 'jimin.kim@example.com');
    const b = new Browser(e);
    const binding = async () => {
      await b.start();
      return b.jar.get('rental_oidc')!;
    };
    const cookie = await binding();
    const { callbackUrl } = await b.signIn('kim.jimin');
    await b.callback(callbackUrl); // and a refusal (reused state)
    const q = new URL(callbackUrl).searchParams;
    const log = lines.join('\n');
    expect(log).toContain('/v1/auth/oidc/callback');
    expect(log).toContain('SSO_STATE_REUSED');
    for (const secret of [
      q.get('code')!,
      q.get('state')!,
      cookie,
      b.jar.get('rental_at')!,
      b.jar.get('rental_rt')!,
      b.jar.get('rental_csrf')!,
      idp.clientSecret,
    ])
      expect(log).not.toContain(secret);
  });

  it('refuses a reused state and a replayed code', async () => {
    const e = await server();
    await person(e, 'jimin.kim@example.com');
    const b = new Browser(e);
    const { callbackUrl } = await b.signIn('kim.jimin');
    // The same callback again: the state was spent.
    expect((await b.callback(callbackUrl)).headers.location).toBe(refused('SSO_STATE_REUSED'));
    // The same code with a fresh state of this browser: the provider refuses the code.
    const fresh = new URL(await b.start());
    const replay = new URL(callbackUrl);
    replay.searchParams.set('state', fresh.searchParams.get('state')!);
    expect((await b.callback(replay.toString())).headers.location).toBe(refused('SSO_CODE_REJECTED'));
  });

  it('refuses a callback in a browser that did not start the sign-in, and a state that ran out', async () => {
    const e = await server();
    await person(e, 'jimin.kim@example.com');
    const victim = new Browser(e);
    const attacker = new Browser(e);
    const callbackUrl = await signInAtProvider(await attacker.start(), 'kim.jimin');
    expect((await victim.callback(callbackUrl)).headers.location).toBe(refused('SSO_STATE_INVALID'));
    expect((await victim.me()).statusCode).toBe(401);
    expect((await victim.callback(`${CALLBACK}?code=x`)).headers.location).toBe(refused('SSO_STATE_INVALID'));
    // A malformed callback goes back to the sign-in page with a refusal too, not a JSON 400.
    for (const bad of [`${CALLBACK}?state=a&state=b`, `${CALLBACK}?state=${'x'.repeat(5000)}`]) {
      const res = await victim.callback(bad);
      expect([res.statusCode, res.headers.location]).toEqual([302, refused('SSO_STATE_INVALID')]);
    }

    const slow = new Browser(e);
    const late = await signInAtProvider(await slow.start(), 'kim.jimin');
    e.clock.advance(11 * 60_000);
    expect((await slow.callback(late)).headers.location).toBe(refused('SSO_STATE_EXPIRED'));
  });

  it('works when the callback reaches another replica (state in the shared database state)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rental-oidc-replicas-'));
    try {
      const a = await server({}, { dir });
      const b = await server({}, { dir });
      // Both replicas keep shared state in their (common) database, as with PostgreSQL.
      for (const r of [a, b]) {
        const shared = storeSharedState(r.deps.store);
        r.deps.shared = shared;
        r.deps.sso = createSsoService({ settings: r.settings, shared, clock: r.clock });
      }
      const rebuilt = await Promise.all(
        [a, b].map(async (r) => {
          await r.app.close();
          r.app = build(r.deps);
          await r.app.ready();
          return r;
        }),
      );
      await person(rebuilt[0]!, 'jimin.kim@example.com');
      const onA = new Browser(rebuilt[0]!);
      const callbackUrl = await signInAtProvider(await onA.start(), 'kim.jimin');
      const onB = new Browser(rebuilt[1]!);
      onB.jar = onA.jar;
      expect((await onB.callback(callbackUrl)).headers.location).toBe(`${ISSUER}/dashboard/`);
      // And the state is spent for the first replica too.
      expect((await onA.callback(callbackUrl)).headers.location).toBe(refused('SSO_STATE_REUSED'));
    } finally {
      for (const e of opened.splice(0)) await e.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('single sign-on: a flood', () => {
  it('is throttled per address, and what the throttle turns away is not written to the audit log', async () => {
    const e = await server();
    const locations: string[] = [];
    for (let i = 0; i < 70; i++) {
      const res = await e.app.inject({
        method: 'GET',
        url: `/v1/auth/oidc/callback?state=forged-${i}&code=x`,
      });
      locations.push(String(res.headers.location));
    }
    expect(locations.slice(0, 60).every((l) => l === refused('SSO_STATE_EXPIRED'))).toBe(true);
    expect(locations.slice(60).every((l) => l === refused('RATE_LIMITED'))).toBe(true);
    expect((await auditActions(e)).length).toBe(60);
  });
});

describe('single sign-on: the ID token', () => {
  /** The token endpoint's answer replaced by one ID token the test signs with the provider's own key. */
  async function forged(
    e: Env,
    claims: (nonce: string) => JWTPayload,
    opts: { header?: { alg?: string; kid?: string }; role?: Role; key?: CryptoKey } = {},
  ) {
    await person(e, 'jimin.kim@example.com', opts.role);
    const b = new Browser(e);
    const authUrl = new URL(await b.start());
    const nonce = authUrl.searchParams.get('nonce')!;
    const key = opts.key ?? (await importJWK(idp.signingJwk, 'RS256'));
    const idToken = await new SignJWT(claims(nonce))
      .setProtectedHeader({ alg: 'RS256', kid: idp.signingJwk.kid!, ...opts.header })
      .sign(key);
    e.rewrite.fn = (url) =>
      url.startsWith(`${idp.issuer}/token`)
        ? Promise.resolve(Response.json({ id_token: idToken, token_type: 'Bearer', access_token: 'at' }))
        : undefined;
    const callbackUrl = await signInAtProvider(authUrl.toString(), 'kim.jimin');
    return String((await b.callback(callbackUrl)).headers.location);
  }
  const now = () => Math.floor(Date.now() / 1000);
  const good = (nonce: string): JWTPayload => ({
    iss: idp.issuer,
    aud: idp.clientId,
    sub: 'kim.jimin',
    email: 'jimin.kim@example.com',
    groups: ['rental-staff'],
    nonce,
    iat: now(),
    exp: now() + 300,
  });

  it('accepts a well-formed token signed by the provider (the forging harness itself works)', async () => {
    const e = await server();
    expect(await forged(e, good)).toBe(`${ISSUER}/dashboard/`);
    // Email and groups were in the ID token: no userinfo call.
    expect(e.fetched.filter((u) => u.endsWith('/me'))).toEqual([]);
  });

  it('refuses a wrong audience, and several audiences without us as azp', async () => {
    expect(await forged(await server(), (n) => ({ ...good(n), aud: 'another-app' }))).toBe(
      refused('SSO_AUDIENCE_MISMATCH'),
    );
    expect(
      await forged(await server(), (n) => ({
        ...good(n),
        aud: [idp.clientId, 'another-app'],
        azp: 'another-app',
      })),
    ).toBe(refused('SSO_AUDIENCE_MISMATCH'));
  });

  it('keeps the role when the token does not list the groups (Entra overage), and takes "false" as unverified', async () => {
    const e = await server();
    const overage = (n: string): JWTPayload => {
      const { groups: _g, ...rest } = good(n);
      return {
        ...rest,
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint: 'https://graph' } },
      };
    };
    expect(await forged(e, overage, { role: 'admin' })).toBe(`${ISSUER}/dashboard/`);
    expect((await e.deps.store.findUserByEmail('jimin.kim@example.com'))!.role).toBe('admin');
    const strict = await server({ RENTAL_SSO_REQUIRE_MAPPED_GROUP: 'true' });
    expect(await forged(strict, overage, { role: 'admin' })).toBe(refused('SSO_NO_MAPPED_GROUP'));
    expect(await forged(await server(), (n) => ({ ...good(n), email_verified: 'false' }))).toBe(
      refused('SSO_CLAIM_MISSING'),
    );
  });

  it('refuses a missing or wrong nonce', async () => {
    expect(
      await forged(await server(), (n) => {
        const { nonce: _n, ...rest } = good(n);
        return rest;
      }),
    ).toBe(refused('SSO_NONCE_MISMATCH'));
    expect(await forged(await server(), (n) => ({ ...good(n), nonce: `${n}x` }))).toBe(
      refused('SSO_NONCE_MISMATCH'),
    );
  });

  it('refuses a token signed with another key, under the provider key id or an unknown one', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expect(await forged(await server(), good, { key: privateKey })).toBe(refused('SSO_TOKEN_INVALID'));
    expect(await forged(await server(), good, { key: privateKey, header: { kid: 'not-theirs' } })).toBe(
      refused('SSO_TOKEN_INVALID'),
    );
  });

  it('refuses an expired token and one with an algorithm the provider does not use', async () => {
    expect(await forged(await server(), (n) => ({ ...good(n), iat: now() - 900, exp: now() - 600 }))).toBe(
      refused('SSO_TOKEN_INVALID'),
    );
    // HS256 keyed with the client secret: never accepted unless configured.
    const e = await server();
    await person(e, 'jimin.kim@example.com');
    const b = new Browser(e);
    const authUrl = new URL(await b.start());
    const hs = await new SignJWT(good(authUrl.searchParams.get('nonce')!))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(idp.clientSecret));
    e.rewrite.fn = (url) =>
      url.startsWith(`${idp.issuer}/token`) ? Promise.resolve(Response.json({ id_token: hs })) : undefined;
    const cb = await signInAtProvider(authUrl.toString(), 'kim.jimin');
    expect((await b.callback(cb)).headers.location).toBe(refused('SSO_TOKEN_INVALID'));
  });

  it('refuses a token from another issuer (a second provider with the same client)', async () => {
    const e = await server();
    await person(e, 'jimin.kim@example.com');
    const b = new Browser(e);
    // A mix-up: the browser is sent to the other provider with our request, and the code it
    // brings back is redeemed there too; its ID token is genuine, but not from our issuer.
    const ours = new URL(await b.start());
    const theirs = new URL(`${other.issuer}${ours.pathname}${ours.search}`);
    const callbackUrl = new URL(await signInAtProvider(theirs.toString(), 'kim.jimin'));
    expect(callbackUrl.searchParams.get('iss')).toBe(other.issuer);
    e.rewrite.fn = (url, init) =>
      url.startsWith(`${idp.issuer}/token`) ? fetch(`${other.issuer}/token`, init) : undefined;
    // As sent (RFC 9207's iss names the other provider) and with iss stripped (a provider that omits it).
    expect((await b.callback(callbackUrl.toString())).headers.location).toBe(refused('SSO_ISSUER_MISMATCH'));
    const again = new URL(await b.start());
    const theirs2 = new URL(`${other.issuer}${again.pathname}${again.search}`);
    const stripped = new URL(await signInAtProvider(theirs2.toString(), 'kim.jimin'));
    stripped.searchParams.delete('iss');
    expect((await b.callback(stripped.toString())).headers.location).toBe(refused('SSO_ISSUER_MISMATCH'));
  });

  it('reads discovery once more after a reset connection, but never sends a code twice', async () => {
    const e = await server();
    await person(e, 'jimin.kim@example.com');
    // What undici throws when a pooled keep-alive connection was closed under the request.
    const reset = () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
    const resets = { discovery: 1, token: 1 };
    const calls: string[] = [];
    e.rewrite.fn = (url) => {
      calls.push(new URL(url).pathname);
      if (url.endsWith('/openid-configuration') && resets.discovery-- > 0) return reset();
      if (url.endsWith('/token') && resets.token-- > 0) return reset();
      return undefined;
    };
    // Discovery: reset, sent again, the sign-in goes on to the provider.
    const b = new Browser(e);
    const callbackUrl = await signInAtProvider(await b.start(), 'kim.jimin', { jar: b.providerJar });
    expect(calls.filter((c) => c.endsWith('/openid-configuration'))).toHaveLength(2);
    // The code exchange: reset, not sent again (the code may have been spent), a clear refusal.
    expect((await b.callback(callbackUrl)).headers.location).toBe(refused('SSO_PROVIDER_UNREACHABLE'));
    expect(calls.filter((c) => c.endsWith('/token'))).toHaveLength(1);
    expect((await b.me()).statusCode).toBe(401);
  });

  it('refuses a provider whose discovery names another issuer, and says when it cannot be reached', async () => {
    const e = await server({}, { issuer: `${idp.issuer}/` });
    const res = await new Browser(e).get('/v1/auth/oidc/start');
    expect(res.headers.location).toBe(refused('SSO_ISSUER_MISMATCH'));
    const away = await server({}, { issuer: 'http://127.0.0.1:9' });
    expect((await new Browser(away).get('/v1/auth/oidc/start')).headers.location).toBe(
      refused('SSO_PROVIDER_UNREACHABLE'),
    );
  });
});

describe('single sign-on: local passwords', () => {
  it('tells the sign-in page what to show, with no secret in it', async () => {
    const e = await server({
      RENTAL_SSO_PASSWORD_LOGIN: 'false',
      RENTAL_SSO_BREAK_GLASS_EMAILS: 'root@example.com',
    });
    const res = await e.app.inject({ method: 'GET', url: '/v1/auth/sso' });
    expect(res.json()).toEqual({
      enabled: true,
      providerName: 'Example SSO',
      startUrl: '/v1/auth/oidc/start',
      passwordLogin: false,
    });
    expect(res.body).not.toContain(idp.clientSecret);
  });

  it('with passwords off, only the break-glass admin signs in with a password', async () => {
    const e = await server({
      RENTAL_SSO_PASSWORD_LOGIN: 'false',
      RENTAL_SSO_BREAK_GLASS_EMAILS: 'Root@example.com, second@example.com',
    });
    await person(e, 'root@example.com', 'admin', true, 'break glass password');
    await person(e, 'staff@example.com', 'staff', true, 'staff password 123');
    const login = (email: string, password: string) =>
      e.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
    expect((await login('root@example.com', 'break glass password')).statusCode).toBe(200);
    const staff = await login('staff@example.com', 'staff password 123');
    expect(staff.statusCode).toBe(403);
    expect(staff.json().code).toBe('PASSWORD_LOGIN_DISABLED');
    expect((await login('nobody@example.com', 'x')).json().code).toBe('PASSWORD_LOGIN_DISABLED');
  });

  it('with single sign-on off, there is nothing to start and passwords work as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rental-oidc-off-'));
    const deps = await createServerDeps({ dataDir: dir, issuer: ISSUER, clock: fakeClock(Date.now()) });
    const app = build(deps);
    try {
      expect((await app.inject({ method: 'GET', url: '/v1/auth/sso' })).json()).toEqual({
        enabled: false,
        passwordLogin: true,
      });
      expect((await app.inject({ method: 'GET', url: '/v1/auth/oidc/start' })).headers.location).toBe(
        '/dashboard/?sso_error=SSO_NOT_CONFIGURED',
      );
    } finally {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
