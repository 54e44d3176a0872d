/**
 * The dashboard's session cookies. Tokens travel HttpOnly (script on the page cannot read
 * them), SameSite=Strict (no other site can make the browser send them) and Secure unless
 * the server runs on loopback, where browsers allow plain http. With Secure the names carry
 * the `__Host-`/`__Secure-` prefixes, which browsers refuse to let a sibling subdomain set.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type CookieNames = { access: string; refresh: string; csrf: string };

export type CookiePolicy = { secure: boolean; names: CookieNames };

/** Refresh and logout live under here; the refresh cookie is sent nowhere else. */
export const AUTH_PATH = '/v1/auth';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function cookiePolicy(issuer: string): CookiePolicy {
  const url = new URL(issuer);
  const secure = url.protocol === 'https:' || !LOOPBACK.has(url.hostname);
  return {
    secure,
    names: secure
      ? { access: '__Host-rental_at', refresh: '__Secure-rental_rt', csrf: '__Host-rental_csrf' }
      : { access: 'rental_at', refresh: 'rental_rt', csrf: 'rental_csrf' },
  };
}

type CookieOptions = { maxAgeS: number; path: string; httpOnly: boolean; secure: boolean };

/** Every cookie of ours is SameSite=Strict; only the sign-in binding (routes/oidc.ts) is Lax. */
export const cookieOptions = (o: CookieOptions): CookieSerializeOptions => ({
  maxAge: Math.max(0, Math.floor(o.maxAgeS)),
  path: o.path,
  sameSite: 'strict',
  httpOnly: o.httpOnly,
  secure: o.secure,
});

/** Parsed by @fastify/cookie (registered in app.ts); the first value of a repeated name wins. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  return request.cookies[name];
}

export type SessionCookies = {
  access: string;
  accessMaxAgeS: number;
  refresh: string;
  refreshMaxAgeS: number;
  /** Only when a session is opened; later it stays as set. */
  csrf?: string;
};

export function setSessionCookies(reply: FastifyReply, policy: CookiePolicy, c: SessionCookies) {
  const { names, secure } = policy;
  reply.setCookie(
    names.access,
    c.access,
    cookieOptions({ maxAgeS: c.accessMaxAgeS, path: '/', httpOnly: true, secure }),
  );
  reply.setCookie(
    names.refresh,
    c.refresh,
    cookieOptions({ maxAgeS: c.refreshMaxAgeS, path: AUTH_PATH, httpOnly: true, secure }),
  );
  // Readable by the page on purpose: it echoes it in the CSRF header (double submit).
  if (c.csrf)
    reply.setCookie(
      names.csrf,
      c.csrf,
      cookieOptions({ maxAgeS: c.refreshMaxAgeS, path: '/', httpOnly: false, secure }),
    );
}

export function clearSessionCookies(reply: FastifyReply, policy: CookiePolicy) {
  const { names, secure } = policy;
  reply.setCookie(names.access, '', cookieOptions({ maxAgeS: 0, path: '/', httpOnly: true, secure }));
  reply.setCookie(names.refresh, '', cookieOptions({ maxAgeS: 0, path: AUTH_PATH, httpOnly: true, secure }));
  reply.setCookie(names.csrf, '', cookieOptions({ maxAgeS: 0, path: '/', httpOnly: false, secure }));
}
