/**
 * Editing a person from the dashboard (PATCH /v1/admin/people/:id): typed refusals that name
 * the field, nothing half-saved, the last admin kept, fields the directory owns refused, and
 * an audit entry with only the fields that changed, before and after. Badges: a label an
 * admin gives, and hints (kind + last digits) for badges enrolled at a kiosk or filled in at
 * their next tap, never internal ids.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, PersonDetailResponse } from '../../../protocol/index.ts';
import { bearer, enrollKiosk, startFixture, type Fixture } from './fixture.ts';

describe('editing a person', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  const patch = (id: string, payload: object, token = admin) =>
    f.app.inject({ method: 'PATCH', url: `/v1/admin/people/${id}`, headers: bearer(token), payload });
  const detail = async (id: string) => {
    const res = await f.app.inject({ method: 'GET', url: `/v1/admin/people/${id}`, headers: bearer(admin) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as PersonDetailResponse;
  };
  const auditOf = async (id: string) => {
    const res = await f.app.inject({
      method: 'GET',
      url: `/v1/admin/audit?targetId=${id}`,
      headers: bearer(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { entries: AuditEntry[] }).entries;
  };
  const me = (token: string) => f.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });

  it('saves name, email, role, department and employee number; the audit holds only what changed', async () => {
    const id = f.users.member.id;
    const res = await patch(id, {
      // The form sends every field; only three differ.
      displayName: '  김민준  ',
      email: 'minjun.kim@example.com',
      role: 'member',
      active: true,
      department: '연구개발팀',
      employeeNumber: 'E-1024',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      person: {
        displayName: '김민준',
        email: 'minjun.kim@example.com',
        department: '연구개발팀',
        employeeNumber: 'E-1024',
      },
    });

    const entries = await auditOf(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'person.update', actorId: f.users.admin.id });
    expect(entries[0]!.changes).toEqual([
      { field: 'email', before: 'member@example.com', after: 'minjun.kim@example.com' },
      { field: 'employeeNumber', before: null, after: 'E-1024' },
      { field: 'department', before: null, after: '연구개발팀' },
    ]);

    // Clearing an optional field is a change too; sending the same again is none.
    await patch(id, { department: '' });
    await patch(id, { employeeNumber: 'E-1024' });
    const after = await auditOf(id);
    expect(after).toHaveLength(2);
    expect(after[0]!.changes).toEqual([{ field: 'department', before: '연구개발팀', after: null }]);
  });

  it('refuses each bad field with a code naming it, and saves nothing of that request', async () => {
    const id = f.users.member.id;
    const cases: [object, string, number][] = [
      [{ displayName: '   ' }, 'PERSON_NAME_INVALID', 400],
      [{ displayName: '가'.repeat(201) }, 'PERSON_NAME_INVALID', 400],
      [{ email: 'not an email' }, 'EMAIL_INVALID', 400],
      [{ email: 'minjun@' }, 'EMAIL_INVALID', 400],
      [{ email: 'staff@example.com' }, 'EMAIL_TAKEN', 409],
      // Addresses compare without case.
      [{ email: 'STAFF@Example.com' }, 'EMAIL_TAKEN', 409],
      [{ employeeNumber: 'E'.repeat(51) }, 'EMPLOYEE_NUMBER_INVALID', 400],
      [{ department: '부'.repeat(101) }, 'DEPARTMENT_INVALID', 400],
    ];
    for (const [body, code, status] of cases) {
      const res = await patch(id, { displayName: '바뀐 이름', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ code });
    }
    expect((await detail(id)).person).toMatchObject({
      displayName: '김민준',
      email: 'member@example.com',
      department: null,
      employeeNumber: null,
    });
    expect(await auditOf(id)).toEqual([]);

    // An email can be removed, and its case changed by its owner.
    expect((await patch(id, { email: 'Member@Example.com' })).statusCode).toBe(200);
    expect((await patch(id, { email: null })).json()).toMatchObject({ person: { email: null } });
  });

  it('deactivating ends every sign-in at once, audited as a deactivation', async () => {
    const member = await f.login('member');
    expect((await me(member)).statusCode).toBe(200);
    const res = await patch(f.users.member.id, { active: false });
    expect(res.json()).toMatchObject({ person: { active: false } });
    expect((await me(member)).statusCode).toBe(401);
    const [entry] = await auditOf(f.users.member.id);
    expect(entry).toMatchObject({
      action: 'person.deactivate',
      changes: [{ field: 'active', before: 'true', after: 'false' }],
    });
  });

  it('keeps the last admin, and an admin cannot lower their own access', async () => {
    // The only admin, lowering themself: nobody would be left.
    const alone = await patch(f.users.admin.id, { role: 'staff' });
    expect(alone.statusCode).toBe(409);
    expect(alone.json()).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await patch(f.users.admin.id, { active: false })).json()).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await detail(f.users.admin.id)).person).toMatchObject({ role: 'admin', active: true });

    // With a second admin it is still someone else's job.
    const staffToken = await f.login('staff');
    expect((await patch(f.users.staff.id, { role: 'admin' })).statusCode).toBe(200);
    expect((await patch(f.users.admin.id, { role: 'member' })).json()).toMatchObject({ code: 'OWN_ACCESS' });
    expect((await detail(f.users.admin.id)).person.role).toBe('admin');

    // Lowering another admin works, and ends their sessions so it takes effect now.
    const second = await f.login('staff');
    expect((await patch(f.users.staff.id, { role: 'staff' })).json()).toMatchObject({
      person: { role: 'staff' },
    });
    expect((await me(second)).statusCode).toBe(401);
    expect((await me(staffToken)).statusCode).toBe(401);
    expect((await auditOf(f.users.staff.id))[0]!.changes).toEqual([
      { field: 'role', before: 'admin', after: 'staff' },
    ]);
  });

  it('refuses local edits of the fields a directory owns, and says which they are', async () => {
    const now = f.clock.now();
    const dir = await f.deps.store.createDirectoryUser(
      'usr_scim_ann',
      {
        displayName: 'Ann Lee',
        email: 'ann.lee@example.org',
        active: true,
        userName: 'ann.lee@example.org',
        externalId: 'aad-1',
        employeeNumber: 'E-1001',
        department: 'Physics',
      },
      'member',
      now,
    );
    expect((await detail(dir.id)).directory).toEqual({
      owned: ['displayName', 'email', 'active', 'employeeNumber', 'department'],
    });
    for (const body of [
      { displayName: 'Annie Lee' },
      { email: 'annie@example.org' },
      { department: 'Chemistry' },
      { employeeNumber: 'E-9' },
      { active: false },
    ]) {
      const res = await patch(dir.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.json()).toMatchObject({ code: 'DIRECTORY_MANAGED' });
    }
    // The form sends the directory's values back unchanged with a role: that is fine.
    const ok = await patch(dir.id, {
      displayName: 'Ann Lee',
      email: 'ann.lee@example.org',
      department: 'Physics',
      employeeNumber: 'E-1001',
      active: true,
      role: 'staff',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await auditOf(dir.id))[0]!.changes).toEqual([
      { field: 'role', before: 'member', after: 'staff' },
    ]);

    // In a group that maps to a role, the role is the directory's too.
    const g = await f.deps.store.createScimGroup(
      { id: 'grp_lab', displayName: 'Lab', externalId: null },
      now,
    );
    await f.deps.store.setScimGroupRole(g.id, 'staff', now);
    await f.deps.store.addGroupMembers(g.id, [dir.id]);
    expect((await detail(dir.id)).directory?.owned).toContain('role');
    expect((await patch(dir.id, { role: 'member' })).json()).toMatchObject({ code: 'DIRECTORY_MANAGED' });
    expect((await detail(dir.id)).person).toMatchObject({ displayName: 'Ann Lee', role: 'staff' });

    // A person made here is all the admin's.
    expect((await detail(f.users.member.id)).directory).toBeNull();
  });

  it('labels a badge; badges show by kind and last digits, never by internal ids', async () => {
    const id = f.users.member.id;
    const added = await f.app.inject({
      method: 'POST',
      url: `/v1/admin/people/${id}/badges`,
      headers: bearer(admin),
      payload: { credential: 'kbd:1000234' },
    });
    const badge = (added.json() as PersonDetailResponse).badges[0]!;
    const url = `/v1/admin/people/${id}/badges/${badge.id}`;
    const labelled = await f.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(admin),
      payload: { label: ' 예비 카드 ' },
    });
    expect(labelled.statusCode, labelled.body).toBe(200);
    expect((labelled.json() as PersonDetailResponse).badges[0]).toMatchObject({
      hint: 'kbd:…34',
      label: '예비 카드',
    });
    const tooLong = await f.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(admin),
      payload: { label: 'x'.repeat(101) },
    });
    expect(tooLong.json()).toMatchObject({ code: 'BADGE_LABEL_INVALID' });
    expect((await auditOf(id))[0]).toMatchObject({
      action: 'badge.label',
      changes: [{ field: 'badgeLabel', before: null, after: '예비 카드' }],
    });
    const staff = await f.login('staff');
    const refused = await f.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(staff),
      payload: { label: null },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('a badge enrolled at a kiosk shows its hint, and one stored without a hint gets it at its next tap', async () => {
    const kiosk = await enrollKiosk(f, 'Lobby');
    const tap = async (credential: string) =>
      f.app.inject({
        method: 'POST',
        url: '/v1/badge-tap',
        headers: { authorization: await kiosk.auth() },
        payload: { credential },
      });
    // A badge as older code (CLI, seed) stored it: a hash, no hint.
    await f.deps.store.addBadge(f.users.admin.id, f.deps.hashBadge('kbd:77770042'), undefined);
    expect((await detail(f.users.admin.id)).badges[0]!.hint).toBeNull();
    const adminTap = await tap('kbd:77770042');
    expect(adminTap.statusCode, adminTap.body).toBe(200);
    expect((await detail(f.users.admin.id)).badges[0]!.hint).toBe('kbd:…42');

    // The admin, in the kiosk's service mode, gives the member a card.
    const { token } = adminTap.json() as { token: string };
    const enrol = await f.app.inject({
      method: 'POST',
      url: '/v1/kiosk/badges',
      headers: { authorization: await kiosk.auth() },
      payload: { token, userId: f.users.member.id, credential: 'nfc:04a1b2c3' },
    });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const d = await detail(f.users.member.id);
    expect(d.badges).toEqual([expect.objectContaining({ hint: 'nfc:…b2c3', label: null })]);
    expect(JSON.stringify(d.badges)).not.toMatch(/ksk_|usr_|enrolled at/);
    // Who enrolled it, where: in the audit log.
    expect((await auditOf(f.users.member.id))[0]).toMatchObject({
      action: 'badge.add',
      actorId: f.users.admin.id,
      via: `kiosk:${kiosk.id}`,
    });
  });
});
