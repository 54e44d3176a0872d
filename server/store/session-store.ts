/**
 * The part of the store port that keeps sign-in state: sessions (refresh-token families),
 * refresh tokens (hashed) and the access-token denylist. Composed into Store.
 */
import type { SessionMode } from '../../protocol/index.ts';

export type AuthSessionRecord = {
  id: string;
  userId: string;
  mode: SessionMode;
  csrfHash: string;
  createdAt: number;
  /** Absolute end of the family: rotation never extends a sign-in past it. */
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
};

export type RotateOutcome =
  | { status: 'rotated'; session: AuthSessionRecord }
  /** The token was already spent: the family has been revoked. */
  | { status: 'reused'; sessionId: string }
  /** Unknown, expired, or its family is revoked or over. */
  | { status: 'invalid' };

export interface SessionStore {
  createSession(
    session: Omit<AuthSessionRecord, 'revokedAt' | 'revokedReason'>,
    refresh: { tokenHash: string; expiresAt: number },
  ): void;
  /**
   * Spend `oldHash` and issue `next` in one transaction. Presenting a spent token revokes
   * the whole family (reuse detection: one of two holders is a thief, we cannot tell which).
   */
  rotateRefresh(oldHash: string, next: { tokenHash: string; expiresAt: number }, now: number): RotateOutcome;
  findSessionByRefresh(tokenHash: string): AuthSessionRecord | null;
  findSession(id: string): AuthSessionRecord | null;
  revokeSession(id: string, now: number, reason: string): void;
  /** Every live session of a person (password change, deactivation). Returns how many. */
  revokeSessionsOfUser(userId: string, now: number, reason: string): number;
  denyJti(jti: string, expiresAt: number): void;
  isJtiDenied(jti: string, now: number): boolean;
  /** Drop rows whose use is over (expired tokens and sessions, denylist entries). */
  purgeExpiredAuth(now: number): void;
}
