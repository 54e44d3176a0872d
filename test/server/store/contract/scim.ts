/** Contract: SCIM provisioning rows (people from a directory, groups and members, provisioning tokens). */
import { describe, expect, it } from 'vitest';
import type { DirectoryFields } from '../../../../server/store/scim-store.ts';
import {
  DAY,
  MIN,
  T0,
  expectAppError,
  hash,
  person,
  row,
  sync,
  world,
  type StoreContext,
} from './fixtures.ts';

const fields = (userName: string, more: Partial<DirectoryFields> = {}): DirectoryFields => ({
  displayName: userName.split('@')[0]!,
  email: userName,
  active: true,
  userName,
  externalId: null,
  employeeNumber: null,
  department: null,
  ...more,
});

export function registerScimContract(ctx: StoreContext): void {
  describe('SCIM directory people', () => {
    it('creates a person owned by the directory and finds them by id and userName, case-insensitively', async () => {
      const { store } = ctx;
      const u = await store.createDirectoryUser(
        'usr_dir1',
        fields('Ann.Lee@Example.org', {
          externalId: 'ext-1',
          employeeNumber: 'E-100',
          department: 'Physics',
        }),
        'member',
        T0,
      );
      expect(u).toEqual({
        id: 'usr_dir1',
        email: 'Ann.Lee@Example.org',
        displayName: 'Ann.Lee',
        role: 'member',
        active: true,
        passwordHash: null,
        userName: 'Ann.Lee@Example.org',
        externalId: 'ext-1',
        employeeNumber: 'E-100',
        department: 'Physics',
        source: 'scim',
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await store.findDirectoryUser('usr_dir1')).toEqual(u);
      expect(await store.findUserByUserName('ann.lee@example.org')).toEqual(u);
      // A local person is not the directory's.
      const local = await person(store, 'Bo');
      expect(await store.findDirectoryUser(local.id)).toBeNull();
      expect((await store.findUserById('usr_dir1'))?.displayName).toBe('Ann.Lee');
    });

    it('refuses a taken userName (any case) or email as ALREADY_EXISTS, and keeps nothing of the attempt', async () => {
      const { store } = ctx;
      await store.createDirectoryUser('usr_a', fields('ann@example.org'), 'member', T0);
      await person(store, 'Bo', { email: 'bo@example.org' });
      await expectAppError(
        store.createDirectoryUser('usr_b', fields('ANN@example.org', { email: null }), 'member', T0),
        'ALREADY_EXISTS',
      );
      await expectAppError(
        store.createDirectoryUser('usr_c', fields('bo2', { email: 'BO@example.org' }), 'member', T0),
        'ALREADY_EXISTS',
      );
      expect(await store.findUserById('usr_b')).toBeNull();
      expect(await store.findUserById('usr_c')).toBeNull();
      await store.createDirectoryUser('usr_d', fields('dee@example.org'), 'member', T0);
      await expectAppError(
        store.updateDirectoryUser('usr_d', fields('Ann@Example.org'), T0 + MIN),
        'ALREADY_EXISTS',
      );
      expect((await store.findDirectoryUser('usr_d'))?.userName).toBe('dee@example.org');
    });

    it('a refused step inside a transaction undoes only itself; a thrown error undoes all of it', async () => {
      const { store } = ctx;
      await store.createDirectoryUser('usr_a', fields('ann@example.org'), 'member', T0);
      await store.withTransaction(async (tx) => {
        await tx.createDirectoryUser('usr_b', fields('bo@example.org'), 'member', T0);
        await expectAppError(
          tx.createDirectoryUser('usr_c', fields('ann@example.org'), 'member', T0),
          'ALREADY_EXISTS',
        );
      });
      expect(await store.findDirectoryUser('usr_b')).not.toBeNull();
      await expect(
        store.withTransaction(async (tx) => {
          await tx.createDirectoryUser('usr_d', fields('dee@example.org'), 'member', T0);
          throw new Error('half way');
        }),
      ).rejects.toThrow('half way');
      expect(await store.findUserById('usr_d')).toBeNull();
    });

    it('lists the directory people by filter with paging and a total', async () => {
      const { store } = ctx;
      for (let i = 1; i <= 5; i++)
        await store.createDirectoryUser(
          `usr_p${i}`,
          fields(`p${i}@example.org`, { externalId: `x${i % 2}` }),
          'member',
          T0 + i,
        );
      await person(store, 'Local');
      const all = await store.directoryUsers({}, { offset: 0, limit: 100 });
      expect(all.total).toBe(5);
      expect(all.users.map((u) => u.id)).toEqual(['usr_p1', 'usr_p2', 'usr_p3', 'usr_p4', 'usr_p5']);
      const page = await store.directoryUsers({}, { offset: 1, limit: 2 });
      expect(page).toMatchObject({ total: 5 });
      expect(page.users.map((u) => u.id)).toEqual(['usr_p2', 'usr_p3']);
      expect(
        (await store.directoryUsers({ userName: 'P3@EXAMPLE.ORG' }, { offset: 0, limit: 10 })).users,
      ).toHaveLength(1);
      const odd = await store.directoryUsers({ externalId: 'x1' }, { offset: 0, limit: 10 });
      expect(odd.total).toBe(3);
      expect((await store.directoryUsers({ externalId: 'X1' }, { offset: 0, limit: 10 })).total).toBe(0);
      expect((await store.directoryUsers({ userName: 'nobody' }, { offset: 0, limit: 10 })).total).toBe(0);
    });

    it('adopts a local person, keeping their password and role', async () => {
      const { store } = ctx;
      const bo = await person(store, 'Bo', { role: 'staff', passwordHash: 'scrypt$bo' });
      const adopted = await store.adoptUser(bo.id, fields('bo@example.org', { employeeNumber: '7' }), T0);
      expect(adopted).toMatchObject({
        id: bo.id,
        role: 'staff',
        passwordHash: 'scrypt$bo',
        source: 'scim',
        userName: 'bo@example.org',
        employeeNumber: '7',
        createdAt: T0,
      });
    });

    it('sets roles, detaches a person with history and deletes one without', async () => {
      const { store } = ctx;
      const w = await world(store);
      await store.adoptUser(w.ann.id, fields('ann@example.org'), T0);
      await store.addBadge(w.ann.id, hash('badge-ann'));
      await store.createDirectoryUser('usr_new', fields('new@example.org'), 'member', T0);
      await store.addBadge('usr_new', hash('badge-new'));
      await store.createSession(
        {
          id: 'ses_new',
          userId: 'usr_new',
          mode: 'cookie',
          csrfHash: 'c',
          createdAt: T0,
          expiresAt: T0 + DAY,
        },
        { tokenHash: 'rt-new', expiresAt: T0 + DAY },
      );
      const g = await store.createScimGroup({ id: 'grp_1', displayName: 'Staff', externalId: null }, T0);
      await store.addGroupMembers(g.id, [w.ann.id, 'usr_new']);

      await store.setUserRole(w.ann.id, 'admin', T0 + 1);
      expect((await store.findUserById(w.ann.id))?.role).toBe('admin');

      expect(await store.hasHistory(w.ann.id)).toBe(false);
      await sync(
        store,
        w.k1.id,
        [row({ id: 'tx1', seq: 1, kind: 'borrow', itemId: w.cam.id, userId: w.ann.id, occurredAt: T0 })],
        T0,
      );
      expect(await store.hasHistory(w.ann.id)).toBe(true);
      expect(await store.hasHistory('usr_new')).toBe(false);

      await store.detachUser(w.ann.id, T0 + 2);
      expect(await store.findDirectoryUser(w.ann.id)).toBeNull();
      expect(await store.findUserById(w.ann.id)).toMatchObject({ active: false, displayName: 'ann' });
      expect(await store.findUserByBadgeHash(hash('badge-ann'))).toBeNull();
      expect(await store.findUserByUserName('ann@example.org')).toBeNull();
      expect(await store.groupMembers(g.id)).toEqual([{ id: 'usr_new', displayName: 'new' }]);
      expect(await store.openLoansOf(w.ann.id)).toHaveLength(1);

      await store.deleteUserWithoutHistory('usr_new');
      expect(await store.findUserById('usr_new')).toBeNull();
      expect(await store.findSession('ses_new')).toBeNull();
      expect(await store.findUserByBadgeHash(hash('badge-new'))).toBeNull();
      expect(await store.groupMembers(g.id)).toEqual([]);
    });
  });

  describe('SCIM groups', () => {
    it('creates, renames, maps to a role, lists, and deletes groups with their members', async () => {
      const { store } = ctx;
      await store.createDirectoryUser('usr_a', fields('a@example.org'), 'member', T0);
      await store.createDirectoryUser('usr_b', fields('b@example.org'), 'member', T0);
      const g = await store.createScimGroup({ id: 'grp_1', displayName: 'Lab Staff', externalId: 'e1' }, T0);
      expect(g).toEqual({
        id: 'grp_1',
        displayName: 'Lab Staff',
        externalId: 'e1',
        role: null,
        createdAt: T0,
        updatedAt: T0,
      });
      await expectAppError(
        store.createScimGroup({ id: 'grp_2', displayName: 'lab staff', externalId: null }, T0),
        'ALREADY_EXISTS',
      );
      await store.createScimGroup({ id: 'grp_3', displayName: 'Admins', externalId: null }, T0 + 1);
      expect(await store.findScimGroupByName('LAB STAFF')).toMatchObject({ id: 'grp_1' });
      await expectAppError(
        store.updateScimGroup('grp_3', { displayName: 'LAB staff', externalId: null }, T0),
        'ALREADY_EXISTS',
      );
      await store.updateScimGroup('grp_1', { displayName: 'Lab', externalId: null }, T0 + 2);
      expect(await store.findScimGroup('grp_1')).toMatchObject({
        displayName: 'Lab',
        externalId: null,
        updatedAt: T0 + 2,
      });
      expect(await store.setScimGroupRole('grp_1', 'staff', T0 + 3)).toBe(true);
      expect(await store.setScimGroupRole('grp_nope', 'staff', T0 + 3)).toBe(false);

      await store.addGroupMembers('grp_1', ['usr_b', 'usr_a', 'usr_a']);
      await store.addGroupMembers('grp_3', ['usr_a']);
      expect(await store.groupMembers('grp_1')).toEqual([
        { id: 'usr_a', displayName: 'a' },
        { id: 'usr_b', displayName: 'b' },
      ]);
      expect(await store.groupsOfUser('usr_a')).toEqual([
        { id: 'grp_3', displayName: 'Admins', role: null },
        { id: 'grp_1', displayName: 'Lab', role: 'staff' },
      ]);
      await store.removeGroupMembers('grp_1', ['usr_a', 'usr_nobody']);
      expect((await store.groupMembers('grp_1')).map((m) => m.id)).toEqual(['usr_b']);

      const listed = await store.scimGroups({}, { offset: 0, limit: 10 });
      expect(listed.total).toBe(2);
      expect(listed.groups.map((x) => x.id)).toEqual(['grp_1', 'grp_3']);
      expect(
        (await store.scimGroups({ displayName: 'admins' }, { offset: 0, limit: 10 })).groups,
      ).toHaveLength(1);
      expect((await store.scimGroups({}, { offset: 1, limit: 10 })).groups.map((x) => x.id)).toEqual([
        'grp_3',
      ]);

      expect(await store.deleteScimGroup('grp_3')).toBe(true);
      expect(await store.deleteScimGroup('grp_3')).toBe(false);
      expect(await store.groupsOfUser('usr_a')).toEqual([]);
    });
  });

  describe('SCIM provisioning tokens', () => {
    it('keeps a hash, finds a live token by it, records its use, and revokes it once', async () => {
      const { store } = ctx;
      const t = await store.createScimToken(
        { id: 'sct_1', name: 'Entra ID', tokenHash: hash('secret'), createdBy: 'usr_admin' },
        T0,
      );
      expect(t).toEqual({
        id: 'sct_1',
        name: 'Entra ID',
        createdBy: 'usr_admin',
        createdAt: T0,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(await store.findLiveScimToken(hash('secret'))).toEqual(t);
      expect(await store.findLiveScimToken(hash('other'))).toBeNull();
      await store.touchScimToken('sct_1', T0 + MIN);
      await store.createScimToken(
        { id: 'sct_2', name: 'Okta', tokenHash: hash('okta'), createdBy: null },
        T0 + 1,
      );
      expect((await store.scimTokens()).map((x) => [x.id, x.lastUsedAt])).toEqual([
        ['sct_2', null],
        ['sct_1', T0 + MIN],
      ]);
      expect(await store.revokeScimToken('sct_1', T0 + 2 * MIN)).toBe(true);
      expect(await store.revokeScimToken('sct_1', T0 + 3 * MIN)).toBe(false);
      expect(await store.findLiveScimToken(hash('secret'))).toBeNull();
      expect((await store.scimTokens()).find((x) => x.id === 'sct_1')?.revokedAt).toBe(T0 + 2 * MIN);
    });
  });
}
