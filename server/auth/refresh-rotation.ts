/**
 * Refresh-token rotation with reuse detection (../DESIGN.md, Tokens), in one store
 * transaction: spend the presented token and add the next one. A token presented again
 * after it was spent revokes its whole family: one of two holders is a thief, and we
 * cannot tell which.
 */
import type { AuthSessionRecord } from '../store/session-store.ts';
import type { Store } from '../store/store.ts';

export type RotateOutcome =
  | { status: 'rotated'; session: AuthSessionRecord }
  /** The token was already spent: the family has been revoked. */
  | { status: 'reused'; sessionId: string }
  /** Unknown, expired, or its family is revoked or over. */
  | { status: 'invalid' };

export function rotateRefresh(
  store: Store,
  oldHash: string,
  next: { tokenHash: string; expiresAt: number },
  now: number,
): Promise<RotateOutcome> {
  return store.withTransaction(async (tx): Promise<RotateOutcome> => {
    const old = await tx.findRefresh(oldHash);
    if (!old) return { status: 'invalid' };
    const session = await tx.findSession(old.sessionId);
    if (!session || session.revokedAt !== null || session.expiresAt <= now) return { status: 'invalid' };
    if (old.usedAt !== null) {
      await tx.revokeSession(session.id, now, 'refresh token reused');
      return { status: 'reused', sessionId: session.id };
    }
    if (old.expiresAt <= now) return { status: 'invalid' };
    // Guarded by "not yet used", so two concurrent rotations cannot both succeed.
    if (!(await tx.spendRefresh(oldHash, now))) return { status: 'invalid' };
    await tx.addRefresh(session.id, next.tokenHash, now, Math.min(next.expiresAt, session.expiresAt));
    return { status: 'rotated', session };
  });
}
