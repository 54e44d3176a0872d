/**
 * SCIM User use cases: each request is one store transaction (nothing half-applied: a
 * refused badge undoes the person's other changes too), audited inside it, with the
 * provisioning token as the actor.
 *
 * - Create: a new person owned by the directory, role member. When a person made here
 *   (dashboard, CSV, CLI) already has the email, they are adopted instead: the directory
 *   owns them from then on, and their password, role, badges and history stay.
 * - active false: deactivated as the dashboard does (badges refused at kiosks, left out of
 *   the next offline roster, sign-ins refused), and their sessions end at once.
 * - Delete: a person with loans or kiosk transactions is deactivated and let go (no userName
 *   or externalId, no badges, no groups), so history stays whole; one without is removed.
 */
import { keepAnAdmin } from '../auth/keep-an-admin.ts';
import { AppError, credentialHint } from '../../protocol/index.ts';
import type { ServerDeps } from '../deps.ts';
import type { AuditActor } from '../store/admin-store.ts';
import type { DirectoryFields, DirectoryUser } from '../store/scim-store.ts';
import type { StoreOps } from '../store/store.ts';
import { notFound, uniqueness } from './errors.ts';
import { checkIfMatch } from './version.ts';
import type { PatchOperation } from './paths.ts';
import {
  displayNameOf,
  patchUser,
  stateOf,
  userFromBody,
  userResource,
  type BadgeEntry,
  type BadgeIdOf,
  type StoredUser,
  type UserState,
} from './user-model.ts';
import type { Json, JsonObject } from './values.ts';

export type ScimDeps = Pick<ServerDeps, 'store' | 'hashBadge' | 'rosterHash' | 'clock'>;

/** Store uniqueness refusals become SCIM's. */
async function unique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && (err.code === 'ALREADY_EXISTS' || err.code === 'BADGE_ALREADY_ENROLLED'))
      throw uniqueness(err.message);
    throw err;
  }
}

const stored = (u: DirectoryUser): StoredUser => ({ ...u, userName: u.userName ?? '' });

export function scimUsers(deps: ScimDeps, newId: (prefix: string) => string) {
  const badgeId: BadgeIdOf = (c) => deps.hashBadge(c).slice(0, 16);

  const fieldsOf = (s: UserState): DirectoryFields => ({
    displayName: displayNameOf(s),
    email: s.email,
    active: s.active,
    userName: s.userName,
    externalId: s.externalId,
    employeeNumber: s.employeeNumber,
    department: s.department,
  });

  async function saveBadges(tx: StoreOps, userId: string, badges: BadgeEntry[] | null, now: number) {
    if (badges === null) return [];
    const had = await tx.badgesOf(userId);
    const changes: string[] = [];
    for (const b of had)
      if (!badges.some((x) => x.id === b.id)) {
        await tx.removeBadge(userId, b.id);
        changes.push(`- ${b.hint ?? b.id}`);
      }
    for (const b of badges) {
      if (!b.credential || had.some((x) => x.id === b.id)) continue;
      const credentialHash = deps.hashBadge(b.credential);
      const owner = await tx.findUserByBadgeHash(credentialHash);
      if (owner && owner.id !== userId) throw uniqueness('a badge belongs to another person');
      const hint = credentialHint(b.credential);
      await unique(() =>
        tx.addBadgeWithHint(
          userId,
          { credentialHash, rosterHash: deps.rosterHash(b.credential!), hint, label: b.label },
          now,
        ),
      );
      changes.push(`+ ${hint}`);
    }
    return changes;
  }

  async function checkUserName(tx: StoreOps, userName: string, self: string | null) {
    const holder = await tx.findUserByUserName(userName);
    if (holder && holder.id !== self) throw uniqueness('userName already used');
  }

  async function resource(tx: StoreOps, id: string): Promise<JsonObject> {
    const u = await tx.findDirectoryUser(id);
    if (!u) throw notFound('no such User');
    return withTimes(userResource(stored(u), await tx.badgesOf(id), await tx.groupsOfUser(id)), u);
  }

  /** Save a changed state: the person, their badges, their sessions when deactivated, the audit. */
  async function save(tx: StoreOps, actor: AuditActor, before: DirectoryUser, after: UserState, now: number) {
    await checkUserName(tx, after.userName, before.id);
    const fields = fieldsOf(after);
    await unique(() => tx.updateDirectoryUser(before.id, fields, now));
    const badgeChanges = await saveBadges(tx, before.id, after.badges, now);
    const deactivated = before.active && !after.active;
    if (deactivated) await tx.revokeSessionsOfUser(before.id, now, 'deactivated by the directory');
    const changed = (Object.keys(fields) as (keyof DirectoryFields)[]).filter((k) => fields[k] !== before[k]);
    await tx.audit(
      {
        actor,
        action: deactivated
          ? 'person.deactivate'
          : after.active && !before.active
            ? 'person.activate'
            : 'person.update',
        targetKind: 'person',
        targetId: before.id,
        detail: `${fields.displayName}: ${[...changed, ...badgeChanges.map((c) => `badge ${c}`)].join(', ') || 'no change'}`,
      },
      now,
    );
  }

  return {
    get: (id: string) => deps.store.withTransaction((tx) => resource(tx, id)),

    async list(filter: { userName?: string; externalId?: string }, offset: number, limit: number) {
      return deps.store.withTransaction(async (tx) => {
        const { total, users } = await tx.directoryUsers(filter, { offset, limit });
        const resources = [];
        for (const u of users)
          resources.push(
            withTimes(userResource(stored(u), await tx.badgesOf(u.id), await tx.groupsOfUser(u.id)), u),
          );
        return { total, resources };
      });
    },

    async create(body: Json, actor: AuditActor): Promise<JsonObject> {
      const state = userFromBody(body, badgeId);
      const now = deps.clock.now();
      const id = newId('usr');
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          await checkUserName(tx, state.userName, null);
          const fields = fieldsOf(state);
          const local = fields.email ? await tx.findUserByEmail(fields.email) : null;
          if (local && (await tx.findDirectoryUser(local.id))) throw uniqueness('email already used');
          // A directory that could adopt a local admin by sending their email could take the
          // account over (its email, its name, its active state) and lock the break-glass
          // admin out. An admin made here stays here; the directory's admins come by groups.
          if (local?.role === 'admin')
            throw uniqueness('this email belongs to a local administrator, whom the directory may not adopt');
          const user = local
            ? await unique(() => tx.adoptUser(local.id, fields, now))
            : await unique(() => tx.createDirectoryUser(id, fields, 'member', now));
          const badgeChanges = await saveBadges(tx, user.id, state.badges, now);
          if (!fields.active) await tx.revokeSessionsOfUser(user.id, now, 'deactivated by the directory');
          await tx.audit(
            {
              actor,
              action: local ? 'person.adopt' : 'person.create',
              targetKind: 'person',
              targetId: user.id,
              detail: `${fields.displayName} (${fields.userName})${fields.active ? '' : ', inactive'}${badgeChanges.map((c) => `, badge ${c}`).join('')}`,
            },
            now,
          );
          return resource(tx, user.id);
        }),
      );
    },

    async replace(id: string, body: Json, actor: AuditActor, ifMatch?: string): Promise<JsonObject> {
      const now = deps.clock.now();
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const before = await tx.findDirectoryUser(id);
          if (!before) throw notFound('no such User');
          checkIfMatch(ifMatch, await resource(tx, id));
          const current = stateOf(stored(before), await tx.badgesOf(id));
          const after = userFromBody(body, badgeId, current);
          await save(tx, actor, before, after, now);
          return resource(tx, id);
        }),
      );
    },

    async patch(id: string, ops: PatchOperation[], actor: AuditActor, ifMatch?: string): Promise<JsonObject> {
      const now = deps.clock.now();
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const before = await tx.findDirectoryUser(id);
          if (!before) throw notFound('no such User');
          checkIfMatch(ifMatch, await resource(tx, id));
          const after = patchUser(stateOf(stored(before), await tx.badgesOf(id)), ops, badgeId, id);
          await save(tx, actor, before, after, now);
          return resource(tx, id);
        }),
      );
    },

    async remove(id: string, actor: AuditActor, ifMatch?: string): Promise<void> {
      const now = deps.clock.now();
      await deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const before = await tx.findDirectoryUser(id);
          if (!before) throw notFound('no such User');
          checkIfMatch(ifMatch, await resource(tx, id));
          const keep = await tx.hasHistory(id);
          if (keep) {
            await tx.revokeSessionsOfUser(id, now, 'removed from the directory');
            await tx.detachUser(id, now);
          } else await tx.deleteUserWithoutHistory(id);
          await tx.audit(
            {
              actor,
              action: keep ? 'person.detach' : 'person.delete',
              targetKind: 'person',
              targetId: id,
              detail: `${before.displayName} (${before.userName ?? ''})${keep ? ': has loan history, deactivated and kept' : ''}`,
            },
            now,
          );
        }),
      );
    },
  };
}

/** meta's times; the route adds location and version. */
function withTimes(r: JsonObject, u: { createdAt: number | null; updatedAt: number | null }): JsonObject {
  const created = u.createdAt ?? u.updatedAt ?? 0;
  return {
    ...r,
    meta: {
      resourceType: 'User',
      created: new Date(created).toISOString(),
      lastModified: new Date(u.updatedAt ?? created).toISOString(),
    },
  };
}
