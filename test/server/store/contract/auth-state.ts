/** Contract: sign-in sessions and refresh rotation, shared state, signing keys and secrets. */
import { describe, expect, it } from 'vitest';
import { rotateRefresh } from '../../../../server/auth/refresh-rotation.ts';
import type { AuthSessionRecord } from '../../../../server/store/session-store.ts';
import type { Store } from '../../../../server/store/store.ts';
import { DAY, HOUR, MIN, T0, person, type StoreContext } from './fixtures.ts';

/** A session of `userId` with one refresh token. */
async function signIn(
  store: Store,
  sessionId: string,
  userId: string,
  opts: { createdAt?: number; expiresAt?: number; refresh?: string; refreshExpiresAt?: number } = {},
): Promise<AuthSessionRecord> {
  const createdAt = opts.createdAt ?? T0;
  const session = {
    id: sessionId,
    userId,
    mode: 'cookie' as const,
    csrfHash: `csrf:${sessionId}`,
    createdAt,
    expiresAt: opts.expiresAt ?? createdAt + 30 * DAY,
  };
  await store.createSession(session, {
    tokenHash: opts.refresh ?? `rt:${sessionId}:0`,
    expiresAt: opts.refreshExpiresAt ?? createdAt + DAY,
  });
  return { ...session, revokedAt: null, revokedReason: null };
}

export function registerAuthStateContract(ctx: StoreContext): void {
  describe('sessions', () => {
    it('creates a session with its first refresh token', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const session = await signIn(store, 'ses_1', ann.id, { refresh: 'rt-1' });
      expect(await store.findSession('ses_1')).toEqual({
        id: 'ses_1',
        userId: ann.id,
        mode: 'cookie',
        csrfHash: 'csrf:ses_1',
        createdAt: T0,
        expiresAt: T0 + 30 * DAY,
        revokedAt: null,
        revokedReason: null,
      });
      expect(await store.findRefresh('rt-1')).toEqual({
        tokenHash: 'rt-1',
        sessionId: 'ses_1',
        expiresAt: T0 + DAY,
        usedAt: null,
      });
      expect(await store.findSessionByRefresh('rt-1')).toEqual(session);
      expect(await store.findSessionByRefresh('rt-none')).toBeNull();
      expect(await store.findRefresh('rt-none')).toBeNull();
      expect(await store.findSession('ses_none')).toBeNull();
      // Both rows or neither: a taken token hash leaves no session behind.
      await expect(signIn(store, 'ses_2', ann.id, { refresh: 'rt-1' })).rejects.toThrow();
      expect(await store.findSession('ses_2')).toBeNull();
    });

    it('rotates a refresh token once; a spent one presented again revokes the family', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const session = await signIn(store, 'ses_1', ann.id, { refresh: 'rt-1' });

      expect(
        await rotateRefresh(store, 'rt-1', { tokenHash: 'rt-2', expiresAt: T0 + HOUR + DAY }, T0 + HOUR),
      ).toEqual({
        status: 'rotated',
        session,
      });
      expect(await store.findRefresh('rt-1')).toEqual({
        tokenHash: 'rt-1',
        sessionId: 'ses_1',
        expiresAt: T0 + DAY,
        usedAt: T0 + HOUR,
      });
      expect(await store.findRefresh('rt-2')).toEqual({
        tokenHash: 'rt-2',
        sessionId: 'ses_1',
        expiresAt: T0 + HOUR + DAY,
        usedAt: null,
      });

      // Never past the family's end.
      expect(
        await rotateRefresh(store, 'rt-2', { tokenHash: 'rt-3', expiresAt: T0 + 90 * DAY }, T0 + 2 * HOUR),
      ).toMatchObject({
        status: 'rotated',
      });
      expect((await store.findRefresh('rt-3'))?.expiresAt).toBe(T0 + 30 * DAY);

      expect(
        await rotateRefresh(store, 'rt-1', { tokenHash: 'rt-x', expiresAt: T0 + 2 * DAY }, T0 + 3 * HOUR),
      ).toEqual({
        status: 'reused',
        sessionId: 'ses_1',
      });
      expect(await store.findRefresh('rt-x')).toBeNull();
      expect(await store.findSession('ses_1')).toEqual({
        ...session,
        revokedAt: T0 + 3 * HOUR,
        revokedReason: 'refresh token reused',
      });
      // The family is over, for the thief and the owner alike.
      expect(
        await rotateRefresh(store, 'rt-3', { tokenHash: 'rt-4', expiresAt: T0 + 2 * DAY }, T0 + 4 * HOUR),
      ).toEqual({
        status: 'invalid',
      });
      expect((await store.findRefresh('rt-3'))?.usedAt).toBeNull();
    });

    it('refuses an expired refresh token, an expired session and an unknown token as invalid', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      await signIn(store, 'ses_1', ann.id, { refresh: 'rt-1', refreshExpiresAt: T0 + DAY });
      expect(
        await rotateRefresh(store, 'rt-1', { tokenHash: 'rt-2', expiresAt: T0 + 2 * DAY }, T0 + DAY),
      ).toEqual({
        status: 'invalid',
      });
      expect(await store.findRefresh('rt-1')).toMatchObject({ usedAt: null });
      expect(await store.findRefresh('rt-2')).toBeNull();
      expect((await store.findSession('ses_1'))?.revokedAt).toBeNull();

      await signIn(store, 'ses_2', ann.id, {
        refresh: 'rt-5',
        expiresAt: T0 + HOUR,
        refreshExpiresAt: T0 + DAY,
      });
      expect(
        await rotateRefresh(store, 'rt-5', { tokenHash: 'rt-6', expiresAt: T0 + DAY }, T0 + HOUR),
      ).toEqual({
        status: 'invalid',
      });
      expect(await rotateRefresh(store, 'rt-none', { tokenHash: 'rt-7', expiresAt: T0 + DAY }, T0)).toEqual({
        status: 'invalid',
      });
      await store.revokeSession('ses_2', T0, 'logout');
      expect(
        await rotateRefresh(store, 'rt-5', { tokenHash: 'rt-8', expiresAt: T0 + DAY }, T0 + MIN),
      ).toEqual({
        status: 'invalid',
      });
    });

    it('spends a refresh token once and adds the next', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      await signIn(store, 'ses_1', ann.id, { refresh: 'rt-1' });
      expect(await store.spendRefresh('rt-1', T0 + MIN)).toBe(true);
      expect(await store.spendRefresh('rt-1', T0 + 2 * MIN)).toBe(false);
      expect(await store.spendRefresh('rt-none', T0)).toBe(false);
      expect((await store.findRefresh('rt-1'))?.usedAt).toBe(T0 + MIN);
      await store.addRefresh('ses_1', 'rt-2', T0 + MIN, T0 + DAY);
      expect(await store.findRefresh('rt-2')).toEqual({
        tokenHash: 'rt-2',
        sessionId: 'ses_1',
        expiresAt: T0 + DAY,
        usedAt: null,
      });
    });

    it('revokes the live sessions of a person and says how many', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      await signIn(store, 'ses_live1', ann.id);
      await signIn(store, 'ses_live2', ann.id);
      await signIn(store, 'ses_over', ann.id, { expiresAt: T0 + HOUR });
      await signIn(store, 'ses_gone', ann.id);
      await store.revokeSession('ses_gone', T0 + MIN, 'logout');
      await store.revokeSession('ses_gone', T0 + 2 * MIN, 'again'); // the first revocation stands
      await signIn(store, 'ses_bo', bo.id);

      expect(await store.revokeSessionsOfUser(ann.id, T0 + HOUR, 'password changed')).toBe(2);
      expect(await store.revokeSessionsOfUser(ann.id, T0 + 2 * HOUR, 'password changed')).toBe(0);
      expect(await store.revokeSessionsOfUser('usr_nobody', T0, 'x')).toBe(0);
      const state = async (sid: string) => {
        const s = await store.findSession(sid);
        return [s?.revokedAt, s?.revokedReason];
      };
      expect(await state('ses_live1')).toEqual([T0 + HOUR, 'password changed']);
      expect(await state('ses_live2')).toEqual([T0 + HOUR, 'password changed']);
      expect(await state('ses_over')).toEqual([null, null]);
      expect(await state('ses_gone')).toEqual([T0 + MIN, 'logout']);
      expect(await state('ses_bo')).toEqual([null, null]);
    });

    it('denylists an access token id until it expires', async () => {
      const { store } = ctx;
      await store.denyJti('jti-1', T0 + HOUR);
      await store.denyJti('jti-1', T0 + DAY); // again: no error, the first entry stands
      expect(await store.isJtiDenied('jti-1', T0)).toBe(true);
      expect(await store.isJtiDenied('jti-1', T0 + HOUR - 1)).toBe(true);
      expect(await store.isJtiDenied('jti-1', T0 + HOUR)).toBe(false);
      expect(await store.isJtiDenied('jti-2', T0)).toBe(false);
    });

    it('purges expired sessions with their tokens, and expired denylist entries', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      await signIn(store, 'ses_old', ann.id, {
        expiresAt: T0 + HOUR,
        refresh: 'rt-old',
        refreshExpiresAt: T0 + HOUR,
      });
      await store.addRefresh('ses_old', 'rt-old2', T0 + MIN, T0 + HOUR);
      await signIn(store, 'ses_new', ann.id, {
        expiresAt: T0 + 30 * DAY,
        refresh: 'rt-new',
        refreshExpiresAt: T0 + MIN,
      });
      await store.denyJti('jti-old', T0 + HOUR);
      await store.denyJti('jti-new', T0 + DAY);

      await store.purgeExpiredAuth(T0 + HOUR);
      expect(await store.findSession('ses_old')).toBeNull();
      expect(await store.findRefresh('rt-old')).toBeNull();
      expect(await store.findRefresh('rt-old2')).toBeNull();
      expect(await store.findSession('ses_new')).not.toBeNull();
      // An expired token of a live family stays: it must still be recognised if replayed.
      expect(await store.findRefresh('rt-new')).toEqual({
        tokenHash: 'rt-new',
        sessionId: 'ses_new',
        expiresAt: T0 + MIN,
        usedAt: null,
      });
      // Asked as of earlier: the entry is gone, not merely expired.
      expect(await store.isJtiDenied('jti-old', T0)).toBe(false);
      expect(await store.isJtiDenied('jti-new', T0)).toBe(true);
    });
  });

  describe('shared state', () => {
    it('claims a key once until the claim expires', async () => {
      const { store } = ctx;
      expect(await store.claimOnce('job:reminders', T0 + HOUR, T0)).toBe(true);
      expect(await store.claimOnce('job:reminders', T0 + 2 * HOUR, T0 + MIN)).toBe(false);
      expect(await store.claimOnce('job:reminders', T0 + 2 * HOUR, T0 + HOUR - 1)).toBe(false);
      expect(await store.getShared('job:reminders', T0 + MIN)).toEqual({ value: '', expiresAt: T0 + HOUR });
      expect(await store.claimOnce('job:other', T0 + HOUR, T0)).toBe(true);
      // At its expiry the old claim is over.
      expect(await store.claimOnce('job:reminders', T0 + 3 * HOUR, T0 + HOUR)).toBe(true);
      expect(await store.getShared('job:reminders', T0 + HOUR)).toEqual({
        value: '',
        expiresAt: T0 + 3 * HOUR,
      });
      expect(await store.claimOnce('job:reminders', T0 + 4 * HOUR, T0 + 2 * HOUR)).toBe(false);
      // A live value is a standing claim too.
      await store.putShared('bucket:k1', { value: '{"n":1}', expiresAt: T0 + MIN });
      expect(await store.claimOnce('bucket:k1', T0 + HOUR, T0)).toBe(false);
      expect(await store.getShared('bucket:k1', T0)).toEqual({ value: '{"n":1}', expiresAt: T0 + MIN });
    });

    it('reads, writes and deletes values that expire', async () => {
      const { store } = ctx;
      expect(await store.getShared('throttle:ann', T0)).toBeNull();
      await store.putShared('throttle:ann', { value: '3', expiresAt: T0 + MIN });
      expect(await store.getShared('throttle:ann', T0)).toEqual({ value: '3', expiresAt: T0 + MIN });
      expect(await store.getShared('throttle:ann', T0 + MIN - 1)).toEqual({
        value: '3',
        expiresAt: T0 + MIN,
      });
      expect(await store.getShared('throttle:ann', T0 + MIN)).toBeNull();
      await store.putShared('throttle:ann', { value: '4', expiresAt: T0 + HOUR });
      expect(await store.getShared('throttle:ann', T0 + MIN)).toEqual({ value: '4', expiresAt: T0 + HOUR });
      await store.deleteShared('throttle:ann');
      await store.deleteShared('throttle:nobody');
      expect(await store.getShared('throttle:ann', T0)).toBeNull();
    });

    it('purges expired entries and says how many', async () => {
      const { store } = ctx;
      await store.putShared('a', { value: '1', expiresAt: T0 });
      await store.putShared('b', { value: '2', expiresAt: T0 + MIN });
      await store.putShared('c', { value: '3', expiresAt: T0 + HOUR });
      await store.claimOnce('d', T0 + MIN, T0);
      expect(await store.purgeShared(T0 + MIN)).toBe(3);
      expect(await store.purgeShared(T0 + MIN)).toBe(0);
      expect(await store.getShared('c', T0)).toEqual({ value: '3', expiresAt: T0 + HOUR });
      expect(await store.getShared('b', T0)).toBeNull();
      // A purged claim can be made again, even as of before its old expiry.
      expect(await store.claimOnce('d', T0 + HOUR, T0)).toBe(true);
    });
  });

  describe('secrets', () => {
    it('keeps signing keys oldest first and deletes them', async () => {
      const { store } = ctx;
      expect(await store.signingKeys()).toEqual([]);
      await store.addSigningKey({ kid: 'k-b', createdAt: T0 + DAY, sealedJwk: 'sealed-b' });
      await store.addSigningKey({ kid: 'k-a', createdAt: T0, sealedJwk: 'sealed-a' });
      await store.addSigningKey({ kid: 'k-0', createdAt: T0 + DAY, sealedJwk: 'sealed-0' });
      await expect(store.addSigningKey({ kid: 'k-a', createdAt: T0, sealedJwk: 'other' })).rejects.toThrow();
      expect(await store.signingKeys()).toEqual([
        { kid: 'k-a', createdAt: T0, sealedJwk: 'sealed-a' },
        { kid: 'k-0', createdAt: T0 + DAY, sealedJwk: 'sealed-0' },
        { kid: 'k-b', createdAt: T0 + DAY, sealedJwk: 'sealed-b' },
      ]);
      await store.deleteSigningKey('k-a');
      await store.deleteSigningKey('k-none');
      expect((await store.signingKeys()).map((k) => k.kid)).toEqual(['k-0', 'k-b']);
    });

    it('stores a named secret once: the first writer wins', async () => {
      const { store } = ctx;
      expect(await store.getSecret('badge-pepper')).toBeNull();
      expect(await store.putSecretOnce('badge-pepper', 'sealed-1', T0)).toBe('sealed-1');
      expect(await store.putSecretOnce('badge-pepper', 'sealed-2', T0 + MIN)).toBe('sealed-1');
      expect(await store.getSecret('badge-pepper')).toBe('sealed-1');
      expect(await store.putSecretOnce('roster-key', 'sealed-3', T0)).toBe('sealed-3');
      expect(await store.getSecret('roster-key')).toBe('sealed-3');
    });

    it('replaces a named secret, and removes it', async () => {
      const { store } = ctx;
      await store.replaceSecret('metrics-token', 'hash-1', T0);
      await store.replaceSecret('metrics-token', 'hash-2', T0 + MIN);
      expect(await store.getSecret('metrics-token')).toBe('hash-2');
      await store.replaceSecret('metrics-token', null, T0 + 2 * MIN);
      expect(await store.getSecret('metrics-token')).toBeNull();
      await store.replaceSecret('metrics-token', null, T0 + 3 * MIN);
    });
  });
}
