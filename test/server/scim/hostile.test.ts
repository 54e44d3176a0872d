/**
 * Malformed and hostile SCIM requests: each gets its typed SCIM error (status, scimType),
 * never a 500, and nothing of it is applied (the person and the audit log are as before).
 */
import { describe, expect, it } from 'vitest';
import { ENTERPRISE, PATCH_OP, RENTAL, USER, userBody } from '../../fixtures/scim-client.ts';
import { addPerson, bearer } from '../fixtures.ts';
import { forEachStore, type ScimWorld } from './harness.ts';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The person as stored and the audit log's length: what must not move. */
async function snapshot(w: ScimWorld, id: string) {
  const user = await w.s.deps.store.findDirectoryUser(id);
  const badges = await w.s.deps.store.badgesOf(id);
  const audit = (await w.s.deps.store.auditLog({ limit: 500 })).length;
  return { user, badges, audit };
}

forEachStore((ctx) => {
  async function person() {
    const w = ctx();
    const r = await w.scim.entraProvision({
      userName: 'ann@example.org',
      displayName: 'Ann',
      employeeNumber: 'E-1',
      badges: [{ value: 'nfc:04a2197c' }],
    });
    return { w, id: r.id as string };
  }

  const expectError = (
    res: { status: number; body: { schemas?: string[]; status?: string; scimType?: string } },
    status: number,
    scimType?: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.body.schemas).toEqual([ERROR]);
    expect(res.body.status).toBe(String(status));
    if (scimType) expect(res.body.scimType).toBe(scimType);
    else expect(res.body.scimType).toBeUndefined();
  };

  describe('authentication', () => {
    it('401 without a token, with a malformed or unknown one, and with a revoked one', async () => {
      const w = ctx();
      for (const token of [null, 'nope', `rscim_${'A'.repeat(43)}`]) {
        const res = await w.scim.request('GET', '/Users', undefined, { token });
        expectError(res, 401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect((await w.scim.request('GET', '/Users')).status).toBe(200);
      const revoke = await w.s.app.inject({
        method: 'DELETE',
        url: `/v1/admin/scim-tokens/${w.tokenId}`,
        headers: w.admin,
      });
      expect(revoke.statusCode).toBe(200);
      expectError(await w.scim.request('GET', '/Users'), 401);
      expectError(await w.scim.request('GET', '/ServiceProviderConfig'), 401);
      expectError(await w.scim.createUser({ userName: 'x@example.org' }), 401);
      expect(await w.s.deps.store.findUserByUserName('x@example.org')).toBeNull();
    });

    it('the token is shown once, kept hashed, its last use recorded; only admins manage tokens', async () => {
      const w = ctx();
      await w.scim.request('GET', '/Users');
      const list = await w.s.app.inject({ method: 'GET', url: '/v1/admin/scim-tokens', headers: w.admin });
      expect(list.json()).toMatchObject({
        baseUrl: 'http://127.0.0.1:8420/scim/v2',
        tokens: [{ id: w.tokenId, name: 'Entra ID', revokedAt: null, lastUsedAt: expect.any(String) }],
      });
      expect(list.body).not.toContain(w.token);
      const dump = JSON.stringify(await w.s.deps.store.scimTokens());
      expect(dump).not.toContain(w.token);
      const bad = await w.s.app.inject({
        method: 'POST',
        url: '/v1/admin/scim-tokens',
        headers: w.admin,
        payload: { name: '   ' },
      });
      expect(bad.statusCode).toBe(400);
      const anon = await w.s.app.inject({ method: 'GET', url: '/v1/admin/scim-tokens' });
      expect(anon.statusCode).toBe(401);
      const staff = (await bearer(w.s, await addPerson(w.s, { role: 'staff' }))).auth;
      for (const [method, url] of [
        ['GET', '/v1/admin/scim-tokens'],
        ['POST', '/v1/admin/scim-tokens'],
        ['DELETE', `/v1/admin/scim-tokens/${w.tokenId}`],
        ['GET', '/v1/admin/scim-groups'],
      ] as const) {
        const res = await w.s.app.inject({
          method,
          url,
          headers: staff,
          ...(method === 'POST' ? { payload: { name: 'x' } } : {}),
        });
        expect(res.statusCode).toBe(403);
      }
      const role = (id: string, payload: Record<string, unknown>) =>
        w.s.app.inject({ method: 'PUT', url: `/v1/admin/scim-groups/${id}/role`, headers: w.admin, payload });
      expect((await role('grp_nobody', { role: 'staff' })).statusCode).toBe(404);
      const g = (await w.scim.createGroup('Team')).body as { id: string };
      expect((await role(g.id, { role: 'owner' })).statusCode).toBe(400);
      expect((await role(g.id, { role: 'admin', extra: 1 })).statusCode).toBe(400);
      expect((await w.s.deps.store.findScimGroup(g.id))?.role).toBeNull();
      expect(
        (
          await w.s.app.inject({
            method: 'DELETE',
            url: '/v1/admin/scim-tokens/sct_nobody',
            headers: w.admin,
          })
        ).statusCode,
      ).toBe(404);
    });
  });

  describe('bodies', () => {
    it('bad JSON, prototype-pollution keys, a wrong content type, an empty or huge body', async () => {
      const { w, id } = await person();
      const before = await snapshot(w, id);
      const raw = (body: string, contentType = 'application/scim+json') =>
        w.scim.request('PATCH', `/Users/${id}`, undefined, { raw: body, contentType });
      expectError(await raw('{"schemas": ['), 400, 'invalidSyntax');
      expectError(
        await raw(
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":{"__proto__":{"role":"admin"}}}]}`,
        ),
        400,
        'invalidSyntax',
      );
      expectError(
        await raw(
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":{"constructor":{"prototype":{"x":1}}}}]}`,
        ),
        400,
        'invalidSyntax',
      );
      expectError(await raw('active=false', 'application/x-www-form-urlencoded'), 415);
      expectError(await raw('<Operations/>', 'text/xml'), 415);
      expectError(await raw('', 'application/scim+json'), 400, 'invalidSyntax');
      expectError(await raw('"just a string"'), 400, 'invalidSyntax');
      expectError(await raw('[]'), 400, 'invalidSyntax');
      const huge = JSON.stringify({
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'x'.repeat(600 * 1024) }],
      });
      expectError(await raw(huge), 413);
      expect(({} as Record<string, unknown>).role).toBeUndefined();
      expect(await snapshot(w, id)).toEqual(before);
    });

    it('wrong types and sizes are invalidValue, naming nothing half-applied', async () => {
      const { w, id } = await person();
      const before = await snapshot(w, id);
      const cases: unknown[][] = [
        [{ op: 'replace', path: 'active', value: 'maybe' }],
        [{ op: 'replace', path: 'active', value: 0 }],
        [{ op: 'replace', path: 'userName', value: 42 }],
        [{ op: 'replace', path: 'userName', value: 'x'.repeat(300) }],
        [{ op: 'replace', path: 'displayName', value: 'Bad\u0000Name' }],
        [{ op: 'replace', path: 'displayName', value: { nested: true } }],
        [{ op: 'replace', path: 'emails', value: [{ value: 'not an email', primary: true }] }],
        [{ op: 'add', path: `${RENTAL}:badges`, value: [{ value: 'nfc:xyz' }] }],
        [{ op: 'add', path: `${RENTAL}:badges`, value: [{ value: 12345 }] }],
        [{ op: 'replace', path: `${ENTERPRISE}:department`, value: ['a'] }],
        [{ op: 'remove', path: 'userName' }],
        // the first operation is fine: the second's refusal undoes it
        [
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'replace', path: 'active', value: 'nope' },
        ],
      ];
      for (const ops of cases) {
        const res = await w.scim.patchUser(id, ops);
        expectError(res, 400, 'invalidValue');
      }
      expect(await snapshot(w, id)).toEqual(before);
    });

    it('unknown schemas, paths and ops; read-only attributes; a remove without a path', async () => {
      const { w, id } = await person();
      const before = await snapshot(w, id);
      const patch = (ops: unknown[]) => w.scim.patchUser(id, ops);
      expectError(
        await patch([{ op: 'replace', path: 'favouriteColour', value: 'blue' }]),
        400,
        'invalidPath',
      );
      expectError(
        await patch([{ op: 'replace', path: 'urn:example:evil:2.0:User:role', value: 'admin' }]),
        400,
        'invalidPath',
      );
      expectError(await patch([{ op: 'replace', path: 'emails[[type eq', value: 'x' }]), 400, 'invalidPath');
      expectError(
        await patch([{ op: 'replace', path: `${RENTAL}:role`, value: 'admin' }]),
        400,
        'mutability',
      );
      expectError(await patch([{ op: 'replace', value: { id: 'usr_other' } }]), 400, 'mutability');
      expectError(await patch([{ op: 'remove' }]), 400, 'noTarget');
      expectError(
        await patch([{ op: 'remove', path: `${RENTAL}:badges[value eq "nfc:11223344"]` }]),
        400,
        'noTarget',
      );
      expectError(await patch([{ op: 'move', path: 'displayName', value: 'x' }]), 400, 'invalidSyntax');
      expectError(await patch([]), 400, 'invalidValue');
      const noSchema = await w.scim.request('PATCH', `/Users/${id}`, {
        Operations: [{ op: 'replace', path: 'displayName', value: 'x' }],
      });
      expectError(noSchema, 400, 'invalidSyntax');

      const unknownSchema = await w.scim.request('POST', '/Users', {
        ...userBody({ userName: 'eve@example.org' }),
        schemas: [USER, 'urn:example:evil:2.0:User'],
      });
      expectError(unknownSchema, 400, 'invalidSyntax');
      const unknownExtension = await w.scim.request('POST', '/Users', {
        schemas: [USER],
        userName: 'eve@example.org',
        'urn:example:evil:2.0:User': { role: 'admin' },
      });
      expectError(unknownExtension, 400, 'invalidSyntax');
      const noUserName = await w.scim.request('POST', '/Users', { schemas: [USER], displayName: 'Eve' });
      expectError(noUserName, 400, 'invalidValue');
      const twice = await w.scim.request('POST', '/Users', {
        schemas: [USER],
        userName: 'eve@example.org',
        USERNAME: 'mallory@example.org',
      });
      expectError(twice, 400, 'invalidSyntax');
      expect(await w.s.deps.store.findUserByUserName('eve@example.org')).toBeNull();
      expect(await snapshot(w, id)).toEqual(before);
    });
  });

  describe('queries', () => {
    it('unsupported or malformed filters are invalidFilter, bad paging invalidValue', async () => {
      const w = ctx();
      const get = (q: string) => w.scim.request('GET', `/Users?${q}`);
      for (const f of [
        'userName co "ann"',
        'displayName eq "Ann"',
        'userName eq ann',
        'userName eq "ann" or userName eq "bo"',
        'emails[type eq "work"]',
        '(userName eq "a")',
        'x'.repeat(2000),
      ])
        expectError(await get(`filter=${encodeURIComponent(f)}`), 400, 'invalidFilter');
      expectError(await get('startIndex=abc'), 400, 'invalidValue');
      expectError(await get('count=1e3'), 400, 'invalidValue');
      expectError(await get('count=1&count=2'), 400, 'invalidValue');
      const ok = await get(`filter=${encodeURIComponent('userName eq "a and b" and externalId eq "x"')}`);
      expect(ok.status).toBe(200);
      expect(ok.body.totalResults).toBe(0);
      expect((await get('count=100000')).status).toBe(200);
      expectError(
        await w.scim.request('GET', `/Groups?filter=${encodeURIComponent('members eq "x"')}`),
        400,
        'invalidFilter',
      );
    });

    it('unknown ids and endpoints are 404 in SCIM’s shape', async () => {
      const w = ctx();
      expectError(await w.scim.request('GET', '/Users/usr_nobody'), 404);
      expectError(
        await w.scim.patchUser('usr_nobody', [{ op: 'replace', path: 'active', value: false }]),
        404,
      );
      expectError(await w.scim.request('DELETE', '/Groups/grp_nobody'), 404);
      expectError(await w.scim.request('GET', '/Bulk'), 404);
      const long = await w.scim.request('GET', `/Users/${'x'.repeat(5000)}`);
      // Fastify's router refuses an over-long id itself (414), before any handler: still no 500.
      expect(long.status).toBe(414);
    });
  });

  describe('groups', () => {
    it('hostile group bodies: unknown schema, wrong member shape, a too long name', async () => {
      const w = ctx();
      const post = (body: unknown) => w.scim.request('POST', '/Groups', body);
      expectError(await post({ schemas: [USER], displayName: 'X' }), 400, 'invalidSyntax');
      expectError(
        await post({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: 'X',
          members: 'all',
        }),
        400,
        'invalidValue',
      );
      expectError(
        await post({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: 'x'.repeat(500),
        }),
        400,
        'invalidValue',
      );
      expectError(
        await post({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: 'X',
          owner: 'me',
        }),
        400,
        'invalidPath',
      );
      expect((await w.s.deps.store.scimGroups({}, { offset: 0, limit: 10 })).total).toBe(0);
    });
  });
});
