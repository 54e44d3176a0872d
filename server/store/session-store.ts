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

export type RefreshRecord = {
  tokenHash: string;
  sessionId: string;
  expiresAt: number;
  usedAt: number | null;
};

export interface SessionStore {
  createSession(
    session: Omit<AuthSessionRecord, 'revokedAt' | 'revokedReason'>,
    refresh: { tokenHash: string; expiresAt: number },
  ): Promise<void>;
  findRefresh(tokenHash: string): Promise<RefreshRecord | null>;
  /** Marks it used; false when it already was (a concurrent rotation won). */
  spendRefresh(tokenHash: string, now: number): Promise<boolean>;
  addRefresh(sessionId: string, tokenHash: string, issuedAt: number, expiresAt: number): Promise<void>;
  findSessionByRefresh(tokenHash: string): Promise<AuthSessionRecord | null>;
  findSession(id: string): Promise<AuthSessionRecord | null>;
  revokeSession(id: string, now: number, reason: string): Promise<void>;
  /** Every live session of a person (password change, deactivation). Returns how many. */
  revokeSessionsOfUser(userId: string, now: number, reason: string): Promise<number>;
  denyJti(jti: string, expiresAt: number): Promise<void>;
  isJtiDenied(jti: string, now: number): Promise<boolean>;
  /** Drop rows whose use is over (expired tokens and sessions, denylist entries). */
  purgeExpiredAuth(now: number): Promise<void>;
}
