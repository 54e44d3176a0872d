/**
 * Sign-in routes for the dashboard and API: login, refresh, logout, profile, password change
 * (../DESIGN.md, Tokens; modes in protocol/wire/auth.ts).
 */
import {
  AppError,
  ErrorBody,
  LoginRequest,
  PasswordChangeRequest,
  Profile,
  RefreshRequest,
  RefreshToken,
  SessionResponse,
  toIso,
  type SessionMode,
} from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { IssuedSession } from '../auth/sessions.ts';
import type { UserRecord } from '../store/store.ts';
import { checkCsrf, userGuard } from '../http/auth-guards.ts';
import { clearSessionCookies, readCookie, setSessionCookies } from '../http/cookies.ts';
import { passwordAllowed } from '../auth/oidc/sso-config.ts';

// Verified against when the email is unknown, so both paths cost the same time.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };
const noContent = { 204: Type.Null(), ...errors };

export const profileOf = (u: UserRecord): Profile => ({
  id: u.id,
  displayName: u.displayName,
  role: u.role,
  email: u.email ?? '',
});

export async function authRoutes(app: App, { deps }: FeatureOptions) {
  const { cookies } = deps;

  /** Answer with a session in the mode it was asked for: tokens in the body, or in cookies. */
  function answer(reply: FastifyReply, s: IssuedSession, mode: SessionMode): SessionResponse {
    // Tokens must not sit in any cache between here and the client.
    reply.header('cache-control', 'no-store');
    const base = { expiresAt: toIso(s.accessExpiresAtMs), user: profileOf(s.user) };
    if (mode === 'bearer') {
      return {
        ...base,
        accessToken: s.accessToken,
        refreshToken: s.refreshToken,
        refreshExpiresAt: toIso(s.refreshExpiresAtMs),
      };
    }
    const now = deps.clock.now();
    setSessionCookies(reply, cookies, {
      access: s.accessToken,
      accessMaxAgeS: (s.accessExpiresAtMs - now) / 1000,
      refresh: s.refreshToken,
      refreshMaxAgeS: (s.refreshExpiresAtMs - now) / 1000,
      ...(s.csrfToken ? { csrf: s.csrfToken } : {}),
    });
    return { ...base, ...(s.csrfToken ? { csrfToken: s.csrfToken } : {}) };
  }

  /** Password check with back-off per account and per address; the same answer for every miss. */
  async function checkPassword(email: string, password: string, address: string): Promise<UserRecord> {
    // With single sign-on and passwords off, only the break-glass emails get as far as a
    // password check (README, Single sign-on); nobody else's password is even hashed.
    if (!passwordAllowed(deps.sso?.settings, email))
      throw new AppError('PASSWORD_LOGIN_DISABLED', 'password sign-in is off; use single sign-on');
    // Counted before the slow check: a burst cannot get more guesses in than the throttle allows.
    const attempt = await deps.loginThrottle.attempt(email, address);
    const user = await deps.store.findUserByEmail(email.trim());
    const ok = await deps.passwordGate.run(() => verifyPassword(password, user?.passwordHash ?? DUMMY_HASH));
    if (!user || !ok || !user.active || !user.passwordHash) {
      throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
    }
    await attempt.succeeded();
    return user;
  }

  app.post(
    '/v1/auth/login',
    {
      config: { public: true },
      schema: { body: LoginRequest, response: { 200: SessionResponse, ...errors } },
    },
    async (request, reply) => {
      const { email, password, mode = 'bearer' } = request.body;
      const user = await checkPassword(email, password, request.ip);
      const session = await deps.sessions.open(user, mode);
      request.log.info({ userId: user.id, sessionId: session.session.id, mode }, 'signed in');
      return answer(reply, session, mode);
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { public: true },
      schema: { body: RefreshRequest, response: { 200: SessionResponse, ...errors } },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      const fromCookie = fromBody === undefined ? readCookie(request, cookies.names.refresh) : undefined;
      const presented = fromBody ?? fromCookie;
      if (presented === undefined) throw new AppError('UNAUTHENTICATED', 'refresh token required');
      if (!check(RefreshToken, presented)) throw new AppError('TOKEN_INVALID', 'refresh token invalid');
      const mode: SessionMode = fromBody === undefined ? 'cookie' : 'bearer';
      if (mode === 'cookie') {
        // The refresh cookie rides along automatically, so this write needs CSRF proof too.
        const owner = await deps.sessions.sessionOfRefresh(presented);
        if (!owner) throw new AppError('TOKEN_INVALID', 'refresh token invalid');
        checkCsrf(request, owner, deps.issuer);
      }
      try {
        return answer(reply, await deps.sessions.refresh(presented), mode);
      } catch (err) {
        if (mode === 'cookie') clearSessionCookies(reply, cookies);
        throw err;
      }
    },
  );

  app.post(
    '/v1/auth/logout',
    { onRequest: userGuard(deps), schema: { response: noContent } },
    async (request, reply) => {
      const s = request.session!;
      await deps.sessions.logout(s.record.id, s.jti, s.expiresAtMs);
      if (s.viaCookie) clearSessionCookies(reply, cookies);
      request.log.info({ userId: request.user!.id, sessionId: s.record.id }, 'signed out');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    { onRequest: userGuard(deps), schema: { response: { 200: Profile, ...errors } } },
    async (request) => profileOf(request.user!),
  );

  app.post(
    '/v1/me/password',
    { onRequest: userGuard(deps), schema: { body: PasswordChangeRequest, response: noContent } },
    async (request, reply) => {
      const user = request.user!;
      const { currentPassword, newPassword } = request.body;
      await checkPassword(user.email ?? '', currentPassword, request.ip);
      await deps.store.setPasswordHash(
        user.id,
        await deps.passwordGate.run(() => hashPassword(newPassword)),
        deps.clock.now(),
      );
      // Every session of this person ends, this one included: whoever knew the old password
      // (or held a token) is out. The access token in hand is denylisted as well.
      const revoked = await deps.sessions.revokeAllOf(user.id, 'password changed');
      await deps.store.denyJti(request.session!.jti, request.session!.expiresAtMs);
      if (request.session!.viaCookie) clearSessionCookies(reply, cookies);
      request.log.info({ userId: user.id, revoked }, 'password changed');
      return reply.code(204).send(null);
    },
  );
}
