/**
 * Dashboard/API sign-in: login, refresh, logout, profile, password change.
 *
 * Two ways to carry the session (../DESIGN.md, Tokens):
 * - `bearer` (API clients): the access and refresh tokens come back in the body.
 * - `cookie` (the dashboard): both travel in HttpOnly SameSite=Strict cookies and never reach
 *   JavaScript; the body carries a CSRF token instead, which the page echoes in the
 *   `x-csrf-token` header on every write.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CompactJwt, Id, Role, Strict, Timestamp } from './common.ts';

export const CSRF_HEADER = 'x-csrf-token';

export const SessionMode = Type.Union([Type.Literal('bearer'), Type.Literal('cookie')]);
export type SessionMode = Static<typeof SessionMode>;

/** Opaque refresh token: 256 random bits, base64url. */
export const RefreshToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

export const Email = Type.String({ minLength: 3, maxLength: 254 });
/** Long enough to be a passphrase; NFKC-normalized before hashing. */
export const NewPassword = Type.String({ minLength: 10, maxLength: 1024 });

export const LoginRequest = Strict({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  /** Default `bearer`. */
  mode: Type.Optional(SessionMode),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const Profile = Strict({
  id: Id,
  displayName: Type.String(),
  role: Role,
  email: Type.String(),
});
export type Profile = Static<typeof Profile>;

export const SessionResponse = Strict({
  /** When the access token expires: refresh before then. */
  expiresAt: Timestamp,
  user: Profile,
  /** Bearer mode only. */
  accessToken: Type.Optional(CompactJwt),
  refreshToken: Type.Optional(RefreshToken),
  refreshExpiresAt: Type.Optional(Timestamp),
  /** Cookie mode only: echo in the x-csrf-token header on writes. */
  csrfToken: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
});
export type SessionResponse = Static<typeof SessionResponse>;

/** Login answers with a session. */
export const LoginResponse = SessionResponse;
export type LoginResponse = SessionResponse;

/** Bearer mode sends the refresh token in the body; cookie mode sends `{}` and the cookie. */
export const RefreshRequest = Strict({ refreshToken: Type.Optional(RefreshToken) });
export type RefreshRequest = Static<typeof RefreshRequest>;

export const PasswordChangeRequest = Strict({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: NewPassword,
});
export type PasswordChangeRequest = Static<typeof PasswordChangeRequest>;

export const EmptyBody = Strict({});
