/**
 * Connecting the organisation's directory (SCIM provisioning, server/scim): admins make,
 * list and revoke provisioning tokens (the secret is shown once) and map the directory's
 * groups to roles (server/scim/roles.ts says how a person's role follows).
 */
import { keepAnAdmin } from '../../auth/keep-an-admin.ts';
import {
  AppError,
  CreateScimTokenRequest,
  CreateScimTokenResponse,
  DirectoryGroupResponse,
  DirectoryGroupsResponse,
  IdParams,
  ScimTokenResponse,
  ScimTokensResponse,
  SetGroupRoleRequest,
  toIso,
  type DirectoryGroup,
  type ScimTokenInfo,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { actorOf } from '../../audit/record.ts';
import { createIdFactory, type RandomBytes } from '../../ids.ts';
import { mappedGroups, settleRoles } from '../../scim/roles.ts';
import { SCIM_PREFIX } from '../../scim/routes.ts';
import { mintScimToken } from '../../scim/tokens.ts';
import type { ScimGroupRecord, ScimTokenRecord } from '../../store/scim-store.ts';
import type { StoreOps } from '../../store/store.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';

const iso = (ms: number | null) => (ms === null ? null : toIso(ms));
const tokenOut = (t: ScimTokenRecord): ScimTokenInfo => ({
  id: t.id,
  name: t.name,
  createdAt: toIso(t.createdAt),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});
const groupOut = async (tx: StoreOps, g: ScimGroupRecord): Promise<DirectoryGroup> => ({
  id: g.id,
  displayName: g.displayName,
  externalId: g.externalId,
  role: g.role,
  members: (await tx.groupMembers(g.id)).length,
});

export async function directoryAdminRoutes(
  app: App,
  { deps, guards, record, random }: AdminFeatureOptions & { random?: RandomBytes },
) {
  const { store } = deps;
  const newId = createIdFactory(random);
  const baseUrl = `${deps.issuer.replace(/\/$/, '')}${SCIM_PREFIX}`;

  app.get(
    '/v1/admin/scim-tokens',
    { onRequest: guards.admin, schema: { response: { 200: ScimTokensResponse, ...ERRORS } } },
    async () => ({ tokens: (await store.scimTokens()).map(tokenOut), baseUrl }),
  );

  app.post(
    '/v1/admin/scim-tokens',
    {
      onRequest: guards.admin,
      schema: { body: CreateScimTokenRequest, response: { 200: CreateScimTokenResponse, ...ERRORS } },
    },
    async (request, reply) => {
      const { token, tokenHash } = mintScimToken(random);
      const name = request.body.name.trim();
      const created = await store.createScimToken(
        { id: newId('sct'), name, tokenHash, createdBy: request.user!.id },
        deps.clock.now(),
      );
      await record(request, {
        action: 'scim-token.create',
        targetKind: 'scim-token',
        targetId: created.id,
        detail: name,
      });
      // The token exists in clear only in this response: nothing may cache it.
      reply.header('cache-control', 'no-store');
      return { token: tokenOut(created), secret: token };
    },
  );

  app.delete(
    '/v1/admin/scim-tokens/:id',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, response: { 200: ScimTokenResponse, ...ERRORS } },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await store.revokeScimToken(id, deps.clock.now())))
        throw new AppError('NOT_FOUND', 'no such live token');
      const t = (await store.scimTokens()).find((x) => x.id === id)!;
      await record(request, {
        action: 'scim-token.revoke',
        targetKind: 'scim-token',
        targetId: id,
        detail: t.name,
      });
      return { token: tokenOut(t) };
    },
  );

  app.get(
    '/v1/admin/scim-groups',
    { onRequest: guards.admin, schema: { response: { 200: DirectoryGroupsResponse, ...ERRORS } } },
    async () =>
      store.withTransaction(async (tx) => {
        const { groups } = await tx.scimGroups({}, { offset: 0, limit: 10_000 });
        const out = [];
        for (const g of groups) out.push(await groupOut(tx, g));
        return { groups: out };
      }),
  );

  app.put(
    '/v1/admin/scim-groups/:id/role',
    {
      onRequest: guards.admin,
      schema: {
        params: IdParams,
        body: SetGroupRoleRequest,
        response: { 200: DirectoryGroupResponse, ...ERRORS },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { role } = request.body;
      const now = deps.clock.now();
      const actor = actorOf(request);
      const group = await store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const g = await tx.findScimGroup(id);
          if (!g) throw new AppError('NOT_FOUND', 'no such group');
          const members = (await tx.groupMembers(id)).map((m) => m.id);
          const before = await mappedGroups(tx, members);
          await tx.setScimGroupRole(id, role, now);
          const roles = await settleRoles(tx, before, now);
          await tx.audit(
            {
              actor,
              action: 'group.role',
              targetKind: 'group',
              targetId: id,
              detail: `${g.displayName}: ${g.role ?? 'none'} → ${role ?? 'none'}${roles.map((r) => `; ${r.displayName} ${r.from}→${r.to}`).join('')}`,
            },
            now,
          );
          return groupOut(tx, (await tx.findScimGroup(id))!);
        }),
      );
      deps.events.emit({ type: 'change', what: 'person' });
      return { group };
    },
  );
}
