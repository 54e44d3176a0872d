/** SQLite implementation of SessionStore (sign-in sessions, refresh tokens, jti denylist). */
import type Database from 'better-sqlite3';
import type { SessionMode } from '../../../protocol/index.ts';
import type { AuthSessionRecord, SessionStore } from '../session-store.ts';

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

export function sqliteSessionStore(db: Database.Database): SessionStore {
  const q = {
    insertSession: db.prepare(
      `INSERT INTO auth_sessions (id, user_id, mode, csrf_hash, created_at, expires_at)
       VALUES (@id, @userId, @mode, @csrfHash, @createdAt, @expiresAt)`,
    ),
    insertRefresh: db.prepare(
      'INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    refreshByHash: db.prepare<[string], RefreshRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?'),
    spendRefresh: db.prepare<[number, string]>(
      'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL',
    ),
    sessionById: db.prepare<[string], SessionRow>('SELECT * FROM auth_sessions WHERE id = ?'),
    revokeSession: db.prepare<[number, string, string]>(
      'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    revokeOfUser: db.prepare<[number, string, string, number]>(
      `UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ?
       WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    ),
    denyJti: db.prepare<[string, number]>(
      'INSERT INTO revoked_jtis (jti, expires_at) VALUES (?, ?) ON CONFLICT(jti) DO NOTHING',
    ),
    jtiDenied: db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM revoked_jtis WHERE jti = ? AND expires_at > ?',
    ),
  };

  const revoke = (id: string, now: number, reason: string) => q.revokeSession.run(now, reason, id);

  const rotate = db.transaction(
    (oldHash: string, next: { tokenHash: string; expiresAt: number }, now: number) => {
      const old = q.refreshByHash.get(oldHash);
      if (!old) return { status: 'invalid' as const };
      const session = q.sessionById.get(old.session_id);
      if (!session || session.revoked_at !== null || session.expires_at <= now) {
        return { status: 'invalid' as const };
      }
      if (old.used_at !== null) {
        revoke(session.id, now, 'refresh token reused');
        return { status: 'reused' as const, sessionId: session.id };
      }
      if (old.expires_at <= now) return { status: 'invalid' as const };
      // Guarded by used_at IS NULL, so two concurrent rotations cannot both succeed.
      if (q.spendRefresh.run(now, oldHash).changes !== 1) return { status: 'invalid' as const };
      q.insertRefresh.run(next.tokenHash, session.id, now, Math.min(next.expiresAt, session.expires_at));
      return { status: 'rotated' as const, session: toSession(session) };
    },
  );

  return {
    createSession(session, refresh) {
      db.transaction(() => {
        q.insertSession.run(session);
        q.insertRefresh.run(refresh.tokenHash, session.id, session.createdAt, refresh.expiresAt);
      })();
    },
    rotateRefresh: (oldHash, next, now) => rotate(oldHash, next, now),
    findSessionByRefresh(tokenHash) {
      const r = q.refreshByHash.get(tokenHash);
      const s = r ? q.sessionById.get(r.session_id) : undefined;
      return s ? toSession(s) : null;
    },
    findSession(id) {
      const r = q.sessionById.get(id);
      return r ? toSession(r) : null;
    },
    revokeSession(id, now, reason) {
      revoke(id, now, reason);
    },
    revokeSessionsOfUser: (userId, now, reason) => q.revokeOfUser.run(now, reason, userId, now).changes,
    denyJti(jti, expiresAt) {
      q.denyJti.run(jti, expiresAt);
    },
    isJtiDenied: (jti, now) => q.jtiDenied.get(jti, now) !== undefined,
    purgeExpiredAuth(now) {
      db.transaction(() => {
        db.prepare('DELETE FROM revoked_jtis WHERE expires_at <= ?').run(now);
        db.prepare(
          `DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM auth_sessions WHERE expires_at <= ?)`,
        ).run(now);
        db.prepare('DELETE FROM auth_sessions WHERE expires_at <= ?').run(now);
      })();
    },
  };
}
