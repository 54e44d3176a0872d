/**
 * Token kinds and their claims (../DESIGN.md, Tokens). Every verifier pins the `typ` of the
 * kind it expects, so a token of one kind is never accepted as another.
 */
export const TOKEN_TYP = {
  rental: 'rental+jwt',
  access: 'at+jwt',
  kioskAssertion: 'kiosk+jwt',
  roster: 'roster+jwt',
} as const;

export const TOKEN_ALG = 'EdDSA' as const;

/** Audience of access tokens for the dashboard and API. */
export const ACCESS_AUDIENCE = 'rental-api';

/** Lifetimes in seconds. */
export const RENTAL_TOKEN_TTL_S = 120;
export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const KIOSK_ASSERTION_MAX_TTL_S = 60;
/** Each refresh token lives 14 days and is replaced on every use... */
export const REFRESH_TOKEN_TTL_S = 14 * 24 * 60 * 60;
/** ...but rotation never carries a sign-in past 30 days: then the person logs in again. */
export const SESSION_MAX_TTL_S = 30 * 24 * 60 * 60;
/** Offline roster lifetime: how long a kiosk may admit people without reaching the server. */
export const ROSTER_TTL_S = 24 * 60 * 60;

export const kioskSubject = (kioskId: string) => `kiosk:${kioskId}`;
export const userSubject = (userId: string) => `user:${userId}`;

export function parseSubject(sub: string, kind: 'kiosk' | 'user'): string | null {
  const prefix = `${kind}:`;
  if (!sub.startsWith(prefix)) return null;
  const id = sub.slice(prefix.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/** The Authorization scheme a kiosk uses to present its device assertion. */
export const KIOSK_AUTH_SCHEME = 'Kiosk';
