/**
 * The dashboard's session cookies. Tokens travel HttpOnly (script on the page cannot read
 * them), SameSite=Strict (no other site can make the browser send them) and Secure unless
 * the server runs on loopback, where browsers allow plain http. With Secure the names carry
 * the `__Host-`/`__Secure-` prefixes, which browsers refuse to let a sibling subdomain set.
 */
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

/** RFC 6265 cookie header parsing; the first value of a name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

type CookieOptions = { maxAgeS: number; path: string; httpOnly: boolean; secure: boolean };

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAgeS))}`,
    `Path=${o.path}`,
    'SameSite=Strict',
    ...(o.httpOnly ? ['HttpOnly'] : []),
    ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  return parseCookies(request.headers.cookie).get(name);
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
  const cookies = [
    serializeCookie(names.access, c.access, { maxAgeS: c.accessMaxAgeS, path: '/', httpOnly: true, secure }),
    serializeCookie(names.refresh, c.refresh, {
      maxAgeS: c.refreshMaxAgeS,
      path: AUTH_PATH,
      httpOnly: true,
      secure,
    }),
  ];
  // Readable by the page on purpose: it echoes it in the CSRF header (double submit).
  if (c.csrf)
    cookies.push(
      serializeCookie(names.csrf, c.csrf, { maxAgeS: c.refreshMaxAgeS, path: '/', httpOnly: false, secure }),
    );
  reply.header('set-cookie', cookies);
}

export function clearSessionCookies(reply: FastifyReply, policy: CookiePolicy) {
  const { names, secure } = policy;
  reply.header('set-cookie', [
    serializeCookie(names.access, '', { maxAgeS: 0, path: '/', httpOnly: true, secure }),
    serializeCookie(names.refresh, '', { maxAgeS: 0, path: AUTH_PATH, httpOnly: true, secure }),
    serializeCookie(names.csrf, '', { maxAgeS: 0, path: '/', httpOnly: false, secure }),
  ]);
}
