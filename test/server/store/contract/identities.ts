/** Contract: single sign-on identities (server/store/identity-store.ts). */
import { describe, expect, it } from 'vitest';
import { MIN, T0, person, type StoreContext } from './fixtures.ts';

const ISS = 'https://login.example.com/tenant';

export function registerIdentityContract(ctx: StoreContext): void {
  describe('single sign-on identities', () => {
    it('links (issuer, subject) to one person once, and records each sign-in', async () => {
      const { store } = ctx;
      const a = await person(store, 'A');
      const b = await person(store, 'B');
      expect(await store.findIdentity(ISS, 'sub-1')).toBeNull();
      expect(await store.linkIdentity({ issuer: ISS, subject: 'sub-1', userId: a.id, createdAt: T0 })).toBe(
        true,
      );
      // The same account at the provider cannot be linked to a second person.
      expect(await store.linkIdentity({ issuer: ISS, subject: 'sub-1', userId: b.id, createdAt: T0 })).toBe(
        false,
      );
      // The same subject at another provider is another account.
      expect(
        await store.linkIdentity({
          issuer: 'https://other.example',
          subject: 'sub-1',
          userId: b.id,
          createdAt: T0,
        }),
      ).toBe(true);
      await store.touchIdentity(ISS, 'sub-1', T0 + MIN);
      expect(await store.findIdentity(ISS, 'sub-1')).toEqual({
        issuer: ISS,
        subject: 'sub-1',
        userId: a.id,
        createdAt: T0,
        lastLoginAt: T0 + MIN,
      });
      expect((await store.identitiesOf(b.id)).map((i) => i.issuer)).toEqual(['https://other.example']);
      expect(await store.unlinkIdentitiesOf(b.id)).toBe(1);
      expect(await store.identitiesOf(b.id)).toEqual([]);
      expect(await store.findIdentity(ISS, 'sub-1')).not.toBeNull();
    });

    it('finds nobody by a directory user name or id no one has', async () => {
      const { store } = ctx;
      await person(store, 'Kim');
      // Setting them is SCIM provisioning's part (its suite covers the match itself).
      expect(await store.findUserIdByUserName('kim@example.org')).toBeNull();
      expect(await store.findUserIdByExternalId('ext-42')).toBeNull();
    });
  });
}
