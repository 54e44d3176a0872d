/**
 * Sign-in state (SessionStore): sessions (refresh-token families), refresh tokens (hashed)
 * and the access-token denylist. Rotation and reuse detection are decided in
 * server/auth/refresh-rotation.ts from the steps here.
 */
import type { SessionMode } from '../../../protocol/index.ts';
import type { AuthSessionRecord, RefreshRecord, SessionStore } from '../session-store.ts';
import type { SqlRunner } from './sql-db.ts';

type SessionRow = {
  id: string;
  user_id: string;
  mode: SessionMode;
  csrf_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
};
type RefreshRow = { token_hash: string; session_id: string; expires_at: number; used_at: number | null };

const toSession = (r: SessionRow): AuthSessionRecord => ({
  id: r.id,
  userId: r.user_id,
  mode: r.mode,
  csrfHash: r.csrf_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

const toRefresh = (r: RefreshRow): RefreshRecord => ({
  tokenHash: r.token_hash,
  sessionId: r.session_id,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

const SESSION_COLUMNS = 'id, user_id, mode, csrf_hash, created_at, expires_at, revoked_at, revoked_reason';

export function sqlSessionStore(db: SqlRunner): SessionStore {
  const insertRefresh = (
    r: SqlRunner,
    hash: string,
    sessionId: string,
    issuedAt: number,
    expiresAt: number,
  ) =>
    r.run('INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (?, ?, ?, ?)', [
      hash,
      sessionId,
      issuedAt,
      expiresAt,
    ]);
  const findSession = async (id: string) => {
    const r = await db.get<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM auth_sessions WHERE id = ?`, [id]);
    return r ? toSession(r) : null;
  };
  const findRefresh = async (tokenHash: string) => {
    const r = await db.get<RefreshRow>(
      'SELECT token_hash, session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?',
      [tokenHash],
    );
    return r ? toRefresh(r) : null;
  };

  return {
    createSession: (session, refresh) =>
      db.atomic(async (tx) => {
        await tx.run(
          `INSERT INTO auth_sessions (id, user_id, mode, csrf_hash, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [session.id, session.userId, session.mode, session.csrfHash, session.createdAt, session.expiresAt],
        );
        await insertRefresh(tx, refresh.tokenHash, session.id, session.createdAt, refresh.expiresAt);
      }),
    findRefresh,
    spendRefresh: async (tokenHash, now) =>
      (
        await db.run('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', [
          now,
          tokenHash,
        ])
      ).changes === 1,
    async addRefresh(sessionId, tokenHash, issuedAt, expiresAt) {
      await insertRefresh(db, tokenHash, sessionId, issuedAt, expiresAt);
    },
    async findSessionByRefresh(tokenHash) {
      const r = await findRefresh(tokenHash);
      return r ? findSession(r.sessionId) : null;
    },
    findSession,
    async revokeSession(id, now, reason) {
      await db.run(
        'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
        [now, reason, id],
      );
    },
    revokeSessionsOfUser: async (userId, now, reason) =>
      (
        await db.run(
          `UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ?
           WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
          [now, reason, userId, now],
        )
      ).changes,
    async denyJti(jti, expiresAt) {
      await db.run('INSERT INTO revoked_jtis (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING', [
        jti,
        expiresAt,
      ]);
    },
    isJtiDenied: async (jti, now) =>
      (await db.get('SELECT 1 AS one FROM revoked_jtis WHERE jti = ? AND expires_at > ?', [jti, now])) !==
      undefined,
    purgeExpiredAuth: (now) =>
      db.atomic(async (tx) => {
        await tx.run('DELETE FROM revoked_jtis WHERE expires_at <= ?', [now]);
        await tx.run(
          'DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM auth_sessions WHERE expires_at <= ?)',
          [now],
        );
        await tx.run('DELETE FROM auth_sessions WHERE expires_at <= ?', [now]);
      }),
  };
}
