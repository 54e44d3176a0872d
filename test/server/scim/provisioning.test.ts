/**
 * SCIM provisioning as Entra ID and Okta do it (test/fixtures/scim-client.ts), end to end
 * through the server: people with the enterprise extension and badges, lookups, deactivation
 * (sessions end, the badge is refused at a kiosk), updates, replace, delete, groups mapped to
 * roles, discovery, paging, and the audit trail. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { ENTERPRISE, PATCH_OP, RENTAL } from '../../fixtures/scim-client.ts';
import { enrolledKiosk, type TestServer } from '../fixtures.ts';
import { forEachStore } from './harness.ts';

const ANN = {
  userName: 'ann.lee@example.org',
  externalId: 'aad-0001',
  givenName: 'Ann',
  familyName: 'Lee',
  displayName: 'Ann Lee',
  email: 'ann.lee@example.org',
  employeeNumber: 'E-1001',
  department: 'Physics',
  badges: [{ value: 'NFC:04:A2:19:7C', label: 'staff card' }],
};

async function tap(s: TestServer, credential: string) {
  const kiosk = await enrolledKiosk(s);
  return s.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: await kiosk.auth(),
    payload: { credential },
  });
}

forEachStore((ctx) => {
  describe('Users', () => {
    it('creates a person as Entra ID does, with the enterprise extension and a badge the kiosk accepts', async () => {
      const { scim, s, admin } = ctx();
      const r = await scim.entraProvision(ANN);
      expect(r).toMatchObject({
        userName: ANN.userName,
        externalId: 'aad-0001',
        displayName: 'Ann Lee',
        active: true,
        emails: [{ value: ANN.email, primary: true }],
        [ENTERPRISE]: { employeeNumber: 'E-1001', department: 'Physics' },
        [RENTAL]: { role: 'member', badges: [{ label: 'staff card', hint: 'nfc:…197c' }] },
        meta: { resourceType: 'User', location: `http://127.0.0.1:8420/scim/v2/Users/${r.id}` },
      });
      // The badge value never comes back.
      expect(JSON.stringify(r)).not.toMatch(/04a2197c|04:A2/i);
      expect(r.meta.version).toMatch(/^W\/"/);

      const res = await scim.getUser(r.id);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.headers.etag).toBe(r.meta.version);

      // The kiosk knows the badge, normalised as it reads it.
      const tapped = await tap(s, 'nfc:04a2197c');
      expect(tapped.statusCode).toBe(200);

      // The dashboard tells people apart by employee number and department.
      const people = (
        await s.app.inject({ method: 'GET', url: '/v1/admin/people', headers: admin })
      ).json() as {
        people: { id: string; employeeNumber: string | null; department: string | null }[];
      };
      expect(people.people.find((p) => p.id === r.id)).toMatchObject({
        employeeNumber: 'E-1001',
        department: 'Physics',
      });

      // The second run of Entra's cycle finds the person instead of creating another.
      expect((await scim.entraProvision(ANN)).id).toBe(r.id);
      expect((await scim.findUserByExternalId('aad-0001')).id).toBe(r.id);
      expect(await scim.findUser('ANN.LEE@EXAMPLE.ORG')).toMatchObject({ id: r.id });
      expect(await scim.findUser('nobody@example.org')).toBeNull();
    });

    it('Entra deactivation ("False" as a string) ends the person’s sessions at once and the kiosk refuses the badge', async () => {
      const { scim, s } = ctx();
      const r = await scim.entraProvision(ANN);
      const user = (await s.deps.store.findUserById(r.id))!;
      const session = await s.deps.sessions.open(user, 'bearer');
      const me = () =>
        s.app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${session.accessToken}` },
        });
      expect((await me()).statusCode).toBe(200);

      const res = await scim.entraDeactivate(r.id);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);

      expect((await me()).statusCode).toBe(401);
      expect((await s.deps.store.findSession(session.session.id))?.revokedAt).not.toBeNull();
      const refreshed = await s.app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
      expect(refreshed.statusCode).toBe(401);
      const tapped = await tap(s, 'nfc:04a2197c');
      expect(tapped.statusCode).toBe(403);
      expect(tapped.json()).toMatchObject({ code: 'BADGE_DENIED' });

      // Back on: active "True".
      const on = await scim.patchUser(r.id, [{ op: 'Replace', path: 'active', value: 'True' }]);
      expect(on.body.active).toBe(true);
      expect((await tap(s, 'nfc:04a2197c')).statusCode).toBe(200);
    });

    it('refuses a write from an old version (If-Match) with 412 and applies one from the current version', async () => {
      const { scim } = ctx();
      const r = await scim.entraProvision(ANN);
      const current = r.meta.version as string;
      const changed = await scim.entraUpdate(r.id, { displayName: 'Ann L.' });
      const stale = await scim.request(
        'PATCH',
        `/Users/${r.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Stale' }] },
        { headers: { 'if-match': current } },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.status).toBe('412');
      expect((await scim.getUser(r.id)).body.displayName).toBe('Ann L.');
      const fresh = await scim.request(
        'PATCH',
        `/Users/${r.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Ann Lee' }] },
        { headers: { 'if-match': changed.body.meta.version } },
      );
      expect(fresh.status).toBe(200);
      // Back to the first content, so `current` names it again: the version is of what a client sees.
      const gone = await scim.request('DELETE', `/Users/${r.id}`, undefined, {
        headers: { 'if-match': changed.body.meta.version },
      });
      expect(gone.status).toBe(412);
      expect(
        (await scim.request('DELETE', `/Users/${r.id}`, undefined, { headers: { 'if-match': '*' } })).status,
      ).toBe(204);
    });

    it('Okta deactivation (path-less replace) works the same', async () => {
      const { scim, s } = ctx();
      const r = await scim.entraProvision(ANN);
      const res = await scim.oktaDeactivate(r.id);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect((await s.deps.store.findUserById(r.id))?.active).toBe(false);
    });

    it('patches attributes by path (Entra) and without one, adds and removes badges', async () => {
      const { scim, s } = ctx();
      const r = await scim.entraProvision(ANN);
      const res = await scim.entraUpdate(r.id, {
        displayName: 'Ann Lee-Park',
        department: 'Chemistry',
        email: 'ann.park@example.org',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        displayName: 'Ann Lee-Park',
        emails: [{ value: 'ann.park@example.org' }],
        [ENTERPRISE]: { department: 'Chemistry', employeeNumber: 'E-1001' },
      });
      expect(res.body.meta.version).not.toBe(r.meta.version);

      const more = await scim.patchUser(r.id, [
        { op: 'add', path: `${RENTAL}:badges`, value: [{ value: 'wiegand26:12:34567' }] },
        { op: 'replace', value: { [`${ENTERPRISE}:employeeNumber`]: 'E-2002', externalId: 'aad-0002' } },
      ]);
      expect(more.status).toBe(200);
      expect(more.body.externalId).toBe('aad-0002');
      expect(more.body[ENTERPRISE].employeeNumber).toBe('E-2002');
      expect(more.body[RENTAL].badges.map((b: { hint: string }) => b.hint).sort()).toEqual([
        'nfc:…197c',
        'wiegand26:…67',
      ]);
      expect((await tap(s, 'wiegand26:12:34567')).statusCode).toBe(200);

      const less = await scim.patchUser(r.id, [
        { op: 'remove', path: `${RENTAL}:badges[value eq "nfc:04a2197c"]` },
      ]);
      expect(less.body[RENTAL].badges).toHaveLength(1);
      expect((await tap(s, 'nfc:04a2197c')).statusCode).toBe(403);
      const none = await scim.patchUser(r.id, [{ op: 'remove', path: `${RENTAL}:badges` }]);
      expect(none.body[RENTAL].badges).toEqual([]);
    });

    it('takes a badge as a plain string, as Entra ID and Okta send a custom attribute', async () => {
      const { scim, s } = ctx();
      const created = await scim.request('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', RENTAL],
        userName: 'dee@example.org',
        [RENTAL]: { badges: 'kbd:00123456' },
      });
      expect(created.status).toBe(201);
      expect(created.body[RENTAL].badges).toEqual([{ hint: 'kbd:…56' }]);
      const replaced = await scim.patchUser(created.body.id, [
        { op: 'Replace', path: `${RENTAL}:badges`, value: 'wiegand26:7:4242' },
      ]);
      expect(replaced.body[RENTAL].badges).toEqual([{ hint: 'wiegand26:…42' }]);
      expect((await tap(s, 'kbd:00123456')).statusCode).toBe(403);
      expect((await tap(s, 'wiegand26:7:4242')).statusCode).toBe(200);
      const cleared = await scim.patchUser(created.body.id, [
        { op: 'Replace', path: `${RENTAL}:badges`, value: '' },
      ]);
      expect(cleared.body[RENTAL].badges).toEqual([]);
    });

    it('Okta replaces a person with PUT; badges absent from the body stay', async () => {
      const { scim } = ctx();
      const r = await scim.entraProvision(ANN);
      const res = await scim.oktaReplace(r.id, {
        userName: 'ann.lee@example.org',
        givenName: 'Ann',
        familyName: 'Park',
        email: 'ann.lee@example.org',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ displayName: 'Ann Park', active: true });
      // PUT replaces: what it left out is cleared (externalId, enterprise attributes)...
      expect(res.body.externalId).toBeUndefined();
      expect(res.body[ENTERPRISE]).toEqual({});
      // ...but not the badges, which Okta does not know about.
      expect(res.body[RENTAL].badges).toHaveLength(1);
    });

    it('refuses a badge that belongs to someone else (409 uniqueness) and changes nothing', async () => {
      const { scim, s } = ctx();
      const ann = await scim.entraProvision(ANN);
      const bo = await scim.createUser({ userName: 'bo@example.org', badges: [{ value: 'nfc:04a2197c' }] });
      expect(bo.status).toBe(409);
      expect(bo.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
      expect(await scim.findUser('bo@example.org')).toBeNull();

      const bo2 = await scim.entraProvision({ userName: 'bo@example.org', displayName: 'Bo' });
      const steal = await scim.patchUser(bo2.id, [
        { op: 'replace', path: 'displayName', value: 'Bo Kim' },
        { op: 'add', path: `${RENTAL}:badges`, value: [{ value: 'nfc:04A2197C' }] },
      ]);
      expect(steal.status).toBe(409);
      expect((await s.deps.store.findUserById(bo2.id))?.displayName).toBe('Bo');
      expect((await s.deps.store.findUserByBadgeHash(s.deps.hashBadge('nfc:04a2197c')))?.id).toBe(ann.id);

      const dup = await scim.createUser({ userName: 'ANN.LEE@example.org' });
      expect(dup.status).toBe(409);
      expect(dup.body.scimType).toBe('uniqueness');
    });

    it('adopts a person made on the dashboard with the same email, keeping their role', async () => {
      const { scim, s } = ctx();
      const local = await s.deps.store.createUser({
        email: 'cy@example.org',
        displayName: 'Cy (dashboard)',
        role: 'staff',
        active: true,
        passwordHash: null,
      });
      const r = await scim.entraProvision({
        userName: 'cy@example.org',
        email: 'cy@example.org',
        displayName: 'Cy Park',
      });
      expect(r.id).toBe(local.id);
      expect(r[RENTAL].role).toBe('staff');
      expect(r.displayName).toBe('Cy Park');
    });

    it('deletes a person without history, and keeps one with history deactivated and detached', async () => {
      const { scim, s } = ctx();
      const gone = await scim.entraProvision({
        userName: 'gone@example.org',
        badges: [{ value: 'kbd:12345678' }],
      });
      // Some clients send a Content-Type on a DELETE without a body: that is no body, not bad JSON.
      const del = await scim.request('DELETE', `/Users/${gone.id}`, undefined, {
        headers: { 'content-type': 'application/scim+json' },
      });
      expect(del.status).toBe(204);
      expect(await s.deps.store.findUserById(gone.id)).toBeNull();
      expect((await scim.getUser(gone.id)).status).toBe(404);
      expect((await scim.deleteUser(gone.id)).status).toBe(404);

      const kept = await scim.entraProvision(ANN);
      const item = await s.deps.store.createItem({
        tag: 'CAM-1',
        name: 'Camera',
        category: 'Photo',
        loanDays: 7,
        restrictedTo: null,
        lockerSlot: null,
      });
      await s.deps.store.withTransaction((tx) =>
        tx.insertLoan({
          itemId: item.id,
          userId: kept.id,
          kioskId: 'ksk_x',
          borrowTxId: 'tx_1',
          borrowedAt: s.clock.now(),
          dueAt: s.clock.now() + 86_400_000,
        }),
      );
      expect((await scim.deleteUser(kept.id)).status).toBe(204);
      expect((await scim.getUser(kept.id)).status).toBe(404);
      expect(await s.deps.store.findUserById(kept.id)).toMatchObject({
        active: false,
        displayName: 'Ann Lee',
      });
      expect(await s.deps.store.openLoansOf(kept.id)).toHaveLength(1);
      expect((await tap(s, 'nfc:04a2197c')).statusCode).toBe(403);
      // The userName is free again: the directory may provision someone new under it.
      const again = await scim.entraProvision({ userName: ANN.userName });
      expect(again.id).not.toBe(kept.id);
    });

    it('pages a list with totalResults, itemsPerPage and startIndex', async () => {
      const { scim } = ctx();
      for (let i = 1; i <= 5; i++) {
        await scim.entraProvision({ userName: `p${i}@example.org` });
        ctx().s.clock.advance(1);
      }
      const page = await scim.request('GET', '/Users?startIndex=2&count=2');
      expect(page.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 5,
        itemsPerPage: 2,
        startIndex: 2,
      });
      expect(page.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
        'p2@example.org',
        'p3@example.org',
      ]);
      const counted = await scim.request('GET', '/Users?count=0');
      expect(counted.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
      const past = await scim.request('GET', '/Users?startIndex=99');
      expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, startIndex: 99 });
    });

    it('audits every change with the token’s name as the actor', async () => {
      const { scim, s, admin } = ctx();
      const r = await scim.entraProvision(ANN);
      await scim.entraDeactivate(r.id);
      const log = (await s.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: admin })).json() as {
        entries: { actorName: string | null; action: string; targetId: string | null }[];
      };
      const mine = log.entries.filter((e) => e.targetId === r.id);
      expect(mine.map((e) => [e.actorName, e.action])).toEqual([
        ['Entra ID', 'person.deactivate'],
        ['Entra ID', 'person.create'],
      ]);
    });
  });

  describe('Groups and roles', () => {
    it('maps a group to a role: members get the highest role of their groups, and lose it when they leave', async () => {
      const { scim, s, admin } = ctx();
      const ann = await scim.entraProvision(ANN);
      const bo = await scim.entraProvision({ userName: 'bo@example.org' });
      const staff = await scim.createGroup('Equipment Staff', [ann.id], 'grp-staff');
      expect(staff.status).toBe(201);
      expect(staff.body.members).toEqual([{ value: ann.id, display: 'Ann Lee' }]);
      const admins = (await scim.createGroup('Equipment Admins')).body;

      // Entra looks the group up without members.
      const found = await scim.findGroup('equipment staff');
      expect(found.id).toBe(staff.body.id);
      expect(found.members).toBeUndefined();

      const setRole = (id: string, role: string | null) =>
        s.app.inject({
          method: 'PUT',
          url: `/v1/admin/scim-groups/${id}/role`,
          headers: admin,
          payload: { role },
        });
      expect((await setRole(staff.body.id, 'staff')).json()).toMatchObject({
        group: { role: 'staff', members: 1 },
      });
      expect((await s.deps.store.findUserById(ann.id))?.role).toBe('staff');
      await setRole(admins.id, 'admin');

      expect((await scim.entraMembers(admins.id, [ann.id, bo.id])).status).toBe(200);
      expect((await s.deps.store.findUserById(ann.id))?.role).toBe('admin');
      expect((await s.deps.store.findUserById(bo.id))?.role).toBe('admin');
      expect(
        (await scim.getUser(ann.id)).body.groups.map((g: { display: string }) => g.display).sort(),
      ).toEqual(['Equipment Admins', 'Equipment Staff']);

      // Leaving the admin group: Ann keeps staff from her other group, Bo falls back to member.
      await scim.entraMembers(admins.id, [], [ann.id]);
      await scim.patchGroup(admins.id, [{ op: 'remove', path: `members[value eq "${bo.id}"]` }]);
      expect((await s.deps.store.findUserById(ann.id))?.role).toBe('staff');
      expect((await s.deps.store.findUserById(bo.id))?.role).toBe('member');

      // Okta renames by a path-less replace echoing the id; deleting the group drops its role.
      const renamed = await scim.oktaRenameGroup(staff.body.id, 'Lab Staff');
      expect(renamed.body.displayName).toBe('Lab Staff');
      expect((await scim.deleteGroup(staff.body.id)).status).toBe(204);
      expect((await s.deps.store.findUserById(ann.id))?.role).toBe('member');

      const groups = (
        await s.app.inject({ method: 'GET', url: '/v1/admin/scim-groups', headers: admin })
      ).json() as {
        groups: { displayName: string; role: string | null }[];
      };
      expect(groups.groups).toEqual([
        expect.objectContaining({ displayName: 'Equipment Admins', role: 'admin', members: 0 }),
      ]);
    });

    it('refuses a member the directory did not provision, and a taken group name', async () => {
      const { scim } = ctx();
      const g = await scim.createGroup('Team', ['usr_nobody']);
      expect(g.status).toBe(400);
      expect(g.body.scimType).toBe('invalidValue');
      expect(await scim.findGroup('Team')).toBeNull();
      await scim.createGroup('Team');
      const dup = await scim.createGroup('TEAM');
      expect(dup.status).toBe(409);
      expect(dup.body.scimType).toBe('uniqueness');
    });
  });

  describe('discovery', () => {
    it('answers what Entra ID and Okta probe', async () => {
      const { scim } = ctx();
      const spc = await scim.request('GET', '/ServiceProviderConfig');
      expect(spc.status).toBe(200);
      expect(spc.body).toMatchObject({
        patch: { supported: true },
        filter: { supported: true },
        bulk: { supported: false },
      });
      const types = await scim.request('GET', '/ResourceTypes');
      expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(['User', 'Group']);
      const schemas = await scim.request('GET', '/Schemas');
      expect(schemas.body.Resources.map((x: { id: string }) => x.id)).toContain(RENTAL);
      expect((await scim.request('GET', `/Schemas/${ENTERPRISE}`)).status).toBe(200);
      expect((await scim.request('GET', '/ResourceTypes/User')).body.schemaExtensions).toHaveLength(2);
    });
  });
});
