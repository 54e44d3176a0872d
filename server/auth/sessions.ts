/**
 * Sign-in sessions for the dashboard and API (../DESIGN.md, Tokens): a session is a family
 * of refresh tokens. Login opens one; each refresh spends the presented token and hands out
 * the next (a spent token presented again revokes the family); logout revokes it and
 * denylists the access token's jti; a password change revokes every session of the person.
 * Access tokens name their session (`sid`), so a revoked session's tokens stop at once.
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import {
  AppError,
  REFRESH_TOKEN_TTL_S,
  SESSION_MAX_TTL_S,
  type Clock,
  type SessionMode,
} from '../../protocol/index.ts';
import type { AuthSessionRecord } from '../store/session-store.ts';
import type { Store, UserRecord } from '../store/store.ts';
import type { RandomBytes } from '../ids.ts';
import { createIdFactory } from '../ids.ts';
import { rotateRefresh } from './refresh-rotation.ts';
import type { TokenService } from './tokens.ts';

export type IssuedSession = {
  session: AuthSessionRecord;
  user: UserRecord;
  accessToken: string;
  accessExpiresAtMs: number;
  refreshToken: string;
  refreshExpiresAtMs: number;
  /** Only when the session is opened (it is stored hashed, so it cannot be handed out again). */
  csrfToken?: string;
};

export type SessionService = ReturnType<typeof createSessionService>;

/** Secrets are looked up by their SHA-256: 256 random bits need no salt or slow hash. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

export function createSessionService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  randomBytes?: RandomBytes;
}) {
  const random = deps.randomBytes ?? nodeRandomBytes;
  const newId = createIdFactory(random);
  const secret = () => random(32).toString('base64url');

  async function access(user: UserRecord, session: AuthSessionRecord) {
    const { token, expiresAtMs } = await deps.tokens.issueAccess(user.id, user.role, session.id);
    return { accessToken: token, accessExpiresAtMs: expiresAtMs };
  }

  return {
    async open(user: UserRecord, mode: SessionMode): Promise<IssuedSession> {
      const now = deps.clock.now();
      const csrfToken = secret();
      const refreshToken = secret();
      const session: AuthSessionRecord = {
        id: newId('ses'),
        userId: user.id,
        mode,
        csrfHash: sha256(csrfToken),
        createdAt: now,
        expiresAt: now + SESSION_MAX_TTL_S * 1000,
        revokedAt: null,
        revokedReason: null,
      };
      const refreshExpiresAtMs = Math.min(now + REFRESH_TOKEN_TTL_S * 1000, session.expiresAt);
      await deps.store.createSession(session, {
        tokenHash: sha256(refreshToken),
        expiresAt: refreshExpiresAtMs,
      });
      return { session, user, ...(await access(user, session)), refreshToken, refreshExpiresAtMs, csrfToken };
    },

    /** Spend a refresh token for a new pair. Reuse of a spent one revokes the family. */
    async refresh(refreshToken: string): Promise<IssuedSession> {
      const now = deps.clock.now();
      const next = secret();
      const outcome = await rotateRefresh(
        deps.store,
        sha256(refreshToken),
        { tokenHash: sha256(next), expiresAt: now + REFRESH_TOKEN_TTL_S * 1000 },
        now,
      );
      if (outcome.status === 'reused') throw new AppError('TOKEN_REVOKED', 'refresh token reused');
      if (outcome.status === 'invalid') throw new AppError('TOKEN_INVALID', 'refresh token invalid');
      const { session } = outcome;
      const user = await deps.store.findUserById(session.userId);
      if (!user || !user.active) {
        await deps.store.revokeSession(session.id, now, 'person inactive');
        throw new AppError('TOKEN_REVOKED', 'session ended');
      }
      return {
        session,
        user,
        ...(await access(user, session)),
        refreshToken: next,
        refreshExpiresAtMs: Math.min(now + REFRESH_TOKEN_TTL_S * 1000, session.expiresAt),
      };
    },

    /** The session a refresh token belongs to (for CSRF checks before spending it). */
    sessionOfRefresh: (refreshToken: string) => deps.store.findSessionByRefresh(sha256(refreshToken)),

    /** Null unless the session exists, is not revoked and not over. */
    async liveSession(id: string): Promise<AuthSessionRecord | null> {
      const s = await deps.store.findSession(id);
      return s && s.revokedAt === null && s.expiresAt > deps.clock.now() ? s : null;
    },

    async logout(sessionId: string, accessJti: string, accessExpiresAtMs: number) {
      const now = deps.clock.now();
      await deps.store.revokeSession(sessionId, now, 'logout');
      await deps.store.denyJti(accessJti, accessExpiresAtMs);
    },

    isDenied: (jti: string) => deps.store.isJtiDenied(jti, deps.clock.now()),

    revokeAllOf(userId: string, reason: string) {
      return deps.store.revokeSessionsOfUser(userId, deps.clock.now(), reason);
    },
  };
}
