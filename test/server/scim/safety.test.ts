/**
 * What a directory must not be able to do, found by trying it as an attacker would.
 * It cannot take the administrators away: it never adopts a local admin account
 * (which would give it that account's email, name and active state), and deactivating,
 * deleting or moving down (through a group's role) the last active admin is refused with a
 * typed error and nothing of the change is saved. Nor can it make two people whose names
 * look the same (Unicode spellings, the Kelvin sign, invisible characters). On SQLite and
 * PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { bearer } from '../fixtures.ts';
import { forEachStore, type ScimWorld } from './harness.ts';

const DIR_ADMIN = {
  userName: 'dir.admin@example.org',
  externalId: 'aad-admin',
  givenName: 'Dir',
  familyName: 'Admin',
  displayName: 'Dir Admin',
  email: 'dir.admin@example.org',
};

/** A directory person made admin through a group the dashboard maps to admin; the local admin gone. */
async function onlyAdminFromDirectory(w: ScimWorld) {
  const { scim, s, admin } = w;
  const person = await scim.entraProvision(DIR_ADMIN);
  const group = await scim.createGroup('Rental Admins', [person.id as string]);
  const groupId = group.body.id as string;
  const setRole = (role: string | null) =>
    s.app.inject({
      method: 'PUT',
      url: `/v1/admin/scim-groups/${groupId}/role`,
      headers: admin,
      payload: { role },
    });
  expect((await setRole('admin')).statusCode).toBe(200);
  const local = (await s.deps.store.findUserByEmail('it-admin@example.org'))!;
  await s.deps.store.updateUser(local.id, { active: false });
  return { id: person.id as string };
}

forEachStore((ctx) => {
  describe('administrators and the directory', () => {
    it('never adopts a local admin by email, and changes nothing of theirs', async () => {
      const { scim, s } = ctx();
      const local = (await s.deps.store.findUserByEmail('it-admin@example.org'))!;
      const r = await scim.createUser({
        ...DIR_ADMIN,
        userName: 'takeover@example.org',
        email: 'IT-ADMIN@example.org',
      });
      expect([r.status, r.body.scimType]).toEqual([409, 'uniqueness']);
      expect(r.body.detail).toMatch(/local administrator/);
      expect(await s.deps.store.findUserById(local.id)).toEqual(local);
      expect(await scim.findUser('takeover@example.org')).toBeNull();
    });

    it('does not deactivate or delete the last active admin; with another admin it may', async () => {
      const w = ctx();
      const { id } = await onlyAdminFromDirectory(w);
      const off = await w.scim.entraDeactivate(id);
      expect([off.status, off.body.scimType]).toEqual([400, 'mutability']);
      expect(off.body.detail).toMatch(/no active administrator/);
      expect(await w.s.deps.store.findUserById(id)).toMatchObject({ active: true, role: 'admin' });
      const gone = await w.scim.deleteUser(id);
      expect([gone.status, gone.body.scimType]).toEqual([400, 'mutability']);
      expect(await w.s.deps.store.findUserById(id)).toMatchObject({ active: true });

      await w.s.deps.store.createUser({
        email: 'second@example.org',
        displayName: 'Second Admin',
        role: 'admin',
        active: true,
        passwordHash: null,
      });
      expect((await w.scim.entraDeactivate(id)).status).toBe(200);
      expect(await w.s.deps.store.findUserById(id)).toMatchObject({ active: false });
    });

    it('does not move the last admin down through a group role on the dashboard', async () => {
      const w = ctx();
      const { id } = await onlyAdminFromDirectory(w);
      // The directory's admin signs in (a password, for the test) and maps their own group down.
      await w.s.deps.store.updateUser(id, { passwordHash: await hashPassword('a long test password') });
      const { auth } = await bearer(w.s, { email: DIR_ADMIN.email, password: 'a long test password' });
      const groupId = (await w.scim.findGroup('Rental Admins'))!.id as string;
      const down = await w.s.app.inject({
        method: 'PUT',
        url: `/v1/admin/scim-groups/${groupId}/role`,
        headers: auth,
        payload: { role: 'member' },
      });
      expect(down.statusCode).toBe(409);
      expect(down.json()).toMatchObject({ code: 'LAST_ADMIN' });
      expect(await w.s.deps.store.findUserById(id)).toMatchObject({ role: 'admin' });
    });
  });
});

forEachStore((ctx) => {
  describe('names that look alike', () => {
    it('keeps one spelling of a user name and refuses invisible formatting characters', async () => {
      const { scim, s } = ctx();
      const base = { givenName: 'J', familyName: 'K', displayName: 'José' };
      // é written as e + combining accent, then as one character: the same person.
      const first = await scim.createUser({
        ...base,
        userName: 'jose\u0301@example.org',
        email: 'a@example.org',
      });
      expect(first.status).toBe(201);
      expect(first.body.userName).toBe('jos\u00e9@example.org');
      const again = await scim.createUser({
        ...base,
        userName: 'jos\u00e9@example.org',
        email: 'b@example.org',
      });
      expect([again.status, again.body.scimType]).toEqual([409, 'uniqueness']);
      // The Kelvin sign is a K.
      expect(
        (await scim.createUser({ ...base, userName: 'kim@example.org', email: 'c@example.org' })).status,
      ).toBe(201);
      const kelvin = await scim.createUser({
        ...base,
        userName: '\u212Aim@example.org',
        email: 'd@example.org',
      });
      expect([kelvin.status, kelvin.body.scimType]).toEqual([409, 'uniqueness']);
      expect((await scim.findUser('\u212Aim@example.org'))?.userName).toBe('kim@example.org');
      // A right-to-left override would show "\u202Eevil" as "live"; a zero-width space hides a difference.
      for (const bad of [
        { userName: 'evil@example.org', displayName: '\u202Eevil' },
        { userName: 'ki\u200Bm@example.org', displayName: 'Kim' },
      ]) {
        const r = await scim.createUser({ ...base, ...bad, email: 'e@example.org' });
        expect([r.status, r.body.scimType, r.body.detail]).toEqual([
          400,
          'invalidValue',
          expect.stringMatching(/invisible formatting/),
        ]);
      }
      expect(await s.deps.store.findUserByEmail('e@example.org')).toBeNull();
    });
  });
});

forEachStore((ctx) => {
  it("moves a group's meta.lastModified when only its members change", async () => {
    const { scim, s } = ctx();
    const ann = await scim.entraProvision({
      ...DIR_ADMIN,
      userName: 'ann@example.org',
      email: 'ann@example.org',
    });
    const group = await scim.createGroup('Photo club');
    const created = group.body.meta.lastModified as string;
    s.clock.advance(60_000);
    const patched = await scim.patchGroup(group.body.id as string, [
      { op: 'add', path: 'members', value: [{ value: ann.id }] },
    ]);
    expect(patched.status).toBe(200);
    expect(Date.parse(patched.body.meta.lastModified as string) - Date.parse(created)).toBe(60_000);
  });
});
