/**
 * Route guards in the style of Django REST framework's permission classes: each route
 * declares who may call it; the guard authenticates and attaches the principal.
 *
 * How a route declares its permission (every /v1 route must, or build() throws):
 *
 *   // a person signed in (Bearer access token, or the dashboard's cookie + CSRF on writes)
 *   app.get('/v1/me', { onRequest: userGuard(deps) }, ...)                  // IsAuthenticated
 *   app.get('/v1/people', { onRequest: userGuard(deps, IsAdmin) }, ...)     // admins only
 *   app.get('/v1/overdue', { onRequest: userGuard(deps, IsStaff) }, ...)    // staff and admins
 *   // a kiosk, by a fresh device assertion
 *   app.post('/v1/sync', { onRequest: kioskGuard(deps.authenticateKiosk) }, ...)
 *   // nobody in particular (login, enrollment by code, JWKS): say so
 *   app.post('/v1/auth/login', { config: { public: true } }, ...)
 *
 * Object-level rules run in the handler, once the object is known:
 *   assertObject(request.user!, CanReadLoansOf(personId))
 *
 * In the handler `request.user` (and `request.session`) or `request.kiosk` is set.
 * Cookie-authenticated writes (anything but GET/HEAD/OPTIONS) must carry the session's
 * CSRF token in `x-csrf-token` and, when the browser says where it comes from, come
 * from this origin; bearer requests need neither (a browser never adds that header by itself).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, BugError, CSRF_HEADER, type Role } from '../../protocol/index.ts';
import type { KioskRecord, Store, UserRecord } from '../store/store.ts';
import type { AuthSessionRecord } from '../store/session-store.ts';
import { MAX_TOKEN_LENGTH, type TokenService } from '../auth/tokens.ts';
import type { KioskAuthenticator } from '../auth/kiosk-assertion.ts';
import { sha256, type SessionService } from '../auth/sessions.ts';
import { readCookie, type CookiePolicy } from './cookies.ts';

// The types of what the guards set (one augmentation, app-wide: TypeScript has no per-context
// request type); the runtime properties are declared per context by declareGuardDecorations.
declare module 'fastify' {
  interface FastifyRequest {
    kiosk?: KioskRecord;
    user?: UserRecord;
    /** The sign-in behind `user`: its session, the access token's jti and expiry, how it came. */
    session?: { record: AuthSessionRecord; jti: string; expiresAtMs: number; viaCookie: boolean };
  }
  interface FastifyContextConfig {
    /** Declares a route open to anyone (it authenticates by other means, or needs nothing). */
    public?: boolean;
    /** Leaves a route out of the OpenAPI document (static files and the like). */
    hidden?: boolean;
  }
}

/** A permission class: a name (for the OpenAPI document and errors) and a rule on the person. */
export type Permission = { name: string; allows(user: UserRecord): boolean };

export const IsAuthenticated: Permission = { name: 'authenticated', allows: () => true };
export const IsStaff: Permission = {
  name: 'staff',
  allows: (u) => u.role === 'staff' || u.role === 'admin',
};
export const IsAdmin: Permission = { name: 'admin', allows: (u) => u.role === 'admin' };
export const hasRole = (...roles: Role[]): Permission => ({
  name: roles.join('|'),
  allows: (u) => roles.includes(u.role),
});

/** Object-level: a member reads only their own loans; staff and admins read anyone's. */
export const CanReadLoansOf = (ownerId: string): Permission => ({
  name: 'self-or-staff',
  allows: (u) => u.id === ownerId || IsStaff.allows(u),
});

export function assertObject(user: UserRecord, permission: Permission): void {
  if (!permission.allows(user)) throw new AppError('FORBIDDEN', 'not allowed');
}

export type GuardInfo = { scheme: 'kiosk' } | { scheme: 'user'; permission: string };
export type Guard = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & { info: GuardInfo };

const guard = (info: GuardInfo, fn: (request: FastifyRequest) => Promise<void>): Guard =>
  Object.assign(async (request: FastifyRequest) => fn(request), { info });

export function kioskGuard(authenticate: KioskAuthenticator): Guard {
  return guard({ scheme: 'kiosk' }, async (request) => {
    request.kiosk = await authenticate(request.headers.authorization);
  });
}

export type UserAuthDeps = {
  tokens: TokenService;
  store: Store;
  sessions: SessionService;
  cookies: CookiePolicy;
  issuer: string;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOKEN_CHARS = /^[A-Za-z0-9_.-]+$/;

/** The access token of a request: the Authorization header wins over the cookie. */
function presentedAccessToken(request: FastifyRequest, cookies: CookiePolicy) {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    if (!match) throw new AppError('UNAUTHENTICATED', 'authentication required');
    return { token: match[1]!, viaCookie: false };
  }
  const token = readCookie(request, cookies.names.access);
  if (!token) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return { token, viaCookie: true };
}

/** The Origin header names this server: its public origin (issuer), or the Host it was reached by. */
function sameOrigin(origin: string, host: string | undefined, issuer: string): boolean {
  try {
    const o = new URL(origin);
    if (o.origin === new URL(issuer).origin) return true;
    return host !== undefined && o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/**
 * CSRF defence for cookie-authenticated writes: the double-submitted token must match the
 * session's (stored hashed), and a browser-declared origin must be this server's.
 */
export function checkCsrf(request: FastifyRequest, session: AuthSessionRecord, issuer: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError('CSRF_FAILED', 'cross-site request');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, request.headers.host, issuer)) {
    throw new AppError('CSRF_FAILED', 'cross-origin request');
  }
  const presented = request.headers[CSRF_HEADER];
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 128) {
    throw new AppError('CSRF_FAILED', 'csrf token missing');
  }
  const a = Buffer.from(sha256(presented));
  const b = Buffer.from(session.csrfHash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AppError('CSRF_FAILED', 'csrf token wrong');
}

export function userGuard(deps: UserAuthDeps, permission: Permission = IsAuthenticated): Guard {
  return guard({ scheme: 'user', permission: permission.name }, async (request) => {
    const { token, viaCookie } = presentedAccessToken(request, deps.cookies);
    if (token.length > MAX_TOKEN_LENGTH || !TOKEN_CHARS.test(token)) {
      throw new AppError('TOKEN_INVALID', 'token invalid');
    }
    const claims = await deps.tokens.verifyAccess(token);
    // Three independent lookups (on PostgreSQL, three round trips): asked at once.
    const [denied, session, user] = await Promise.all([
      await deps.sessions.isDenied(claims.jti),
      await deps.sessions.liveSession(claims.sid),
      await deps.store.findUserById(claims.userId),
    ]);
    if (denied) throw new AppError('TOKEN_REVOKED', 'token revoked');
    if (!session || session.userId !== claims.userId) throw new AppError('TOKEN_REVOKED', 'session ended');
    if (viaCookie && !SAFE_METHODS.has(request.method)) checkCsrf(request, session, deps.issuer);
    if (!user || !user.active) throw new AppError('TOKEN_REVOKED', 'session ended');
    if (!permission.allows(user)) throw new AppError('FORBIDDEN', 'not allowed');
    request.user = user;
    request.session = { record: session, jti: claims.jti, expiresAtMs: claims.expiresAtMs, viaCookie };
  });
}

/** The guard a route declared, if any (for the default-deny check and the OpenAPI document). */
export function guardOf(route: Pick<RouteOptions, 'onRequest'>): GuardInfo | undefined {
  const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
  for (const hook of hooks) {
    const info = (hook as Partial<Guard>).info;
    if (info) return info;
  }
  return undefined;
}

/** What each guard scheme sets on the request (the fields of the FastifyRequest augmentation above). */
const DECORATIONS: Record<GuardInfo['scheme'], readonly ('user' | 'session' | 'kiosk')[]> = {
  user: ['user', 'session'],
  kiosk: ['kiosk'],
};

/**
 * Declares on `plugin` (the encapsulated context registering a guarded route) the request
 * properties its guard sets, once per context: every request of that context is built with
 * them (undefined until the guard runs), so the guard never adds a property to a live request
 * (a new hidden class), and the routes of a context whose routes declare no such guard (SCIM,
 * health, the dashboard's files) get requests without them. Not on the root: that would hand
 * a person's fields to every request in the server.
 */
function declareGuardDecorations(plugin: FastifyInstance, info: GuardInfo): void {
  for (const name of DECORATIONS[info.scheme]) {
    // A parent context that declared it first is inherited; a sibling's is not seen.
    if (!plugin.hasRequestDecorator(name)) plugin.decorateRequest(name, undefined);
  }
}

/**
 * Default deny: a /v1 route that declares neither a guard nor `public` is a bug, caught at build.
 * A root onRoute hook (every context inherits it) so that it sees every route; it runs with
 * `this` bound to the context registering the route, which is where the guard's request
 * decorations are declared.
 */
export function enforceDeclaredAuth(app: FastifyInstance): void {
  app.addHook('onRoute', function (this: FastifyInstance, route) {
    const info = guardOf(route);
    if (info) declareGuardDecorations(this, info);
    if (!route.url.startsWith('/v1/') || route.method === 'HEAD') return;
    if (info || route.config?.public === true) return;
    throw new BugError(`route ${String(route.method)} ${route.url} declares no guard and is not public`);
  });
}
