/**
 * A directory cannot take the last active administrator away: deactivating, deleting or
 * moving down (through a group's role) the only admin is refused with a typed error and
 * nothing of the change is saved. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { forEachStore } from './harness.ts';

const IT_ADMIN = {
  userName: 'it-admin@example.org',
  externalId: 'aad-admin',
  givenName: 'IT',
  familyName: 'Admin',
  displayName: 'IT Admin',
  email: 'it-admin@example.org',
};

forEachStore((ctx) => {
  describe('the last admin', () => {
    it('is not deactivated or deleted by the directory; another admin makes it possible', async () => {
      const { scim, s } = ctx();
      // The directory adopts the server's only admin by email.
      const adopted = await scim.entraProvision(IT_ADMIN);
      const id = adopted.id as string;
      expect((await s.deps.store.findUserById(id))?.role).toBe('admin');

      const off = await scim.entraDeactivate(id);
      expect([off.status, off.body.scimType]).toEqual([400, 'mutability']);
      expect(off.body.detail).toMatch(/no active administrator/);
      expect(await s.deps.store.findUserById(id)).toMatchObject({ active: true, role: 'admin' });
      const gone = await scim.deleteUser(id);
      expect([gone.status, gone.body.scimType]).toEqual([400, 'mutability']);
      expect(await s.deps.store.findUserById(id)).toMatchObject({ active: true });

      // With a second admin, the directory may let the first one go.
      await s.deps.store.createUser({
        email: 'second@example.org',
        displayName: 'Second Admin',
        role: 'admin',
        active: true,
        passwordHash: null,
      });
      expect((await scim.entraDeactivate(id)).status).toBe(200);
      expect(await s.deps.store.findUserById(id)).toMatchObject({ active: false });
    });

    it('is not moved down by a group role mapping on the dashboard', async () => {
      const { scim, s, admin } = ctx();
      const adopted = await scim.entraProvision(IT_ADMIN);
      const group = await scim.createGroup('Rental Admins', [adopted.id as string]);
      const groupId = group.body.id as string;
      const set = (role: string | null) =>
        s.app.inject({
          method: 'PUT',
          url: `/v1/admin/scim-groups/${groupId}/role`,
          headers: admin,
          payload: { role },
        });
      expect((await set('admin')).statusCode).toBe(200);
      const down = await set('member');
      expect(down.statusCode).toBe(409);
      expect(down.json()).toMatchObject({ code: 'LAST_ADMIN' });
      expect(await s.deps.store.findUserById(adopted.id as string)).toMatchObject({ role: 'admin' });
    });
  });
});
