/**
 * SCIM Group use cases: a group has a name, an optional externalId and members (people the
 * directory provisioned). SCIM never sets a group's role: an admin maps groups to roles on
 * the dashboard (roles.ts says how a person's role follows). One transaction per request.
 */
import type { AuditActor } from '../store/admin-store.ts';
import type { ScimGroupRecord } from '../store/scim-store.ts';
import type { StoreOps } from '../store/store.ts';
import { GROUP_SCHEMA } from './discovery.ts';
import {
  invalidPath,
  invalidSyntax,
  invalidValue,
  mutability,
  noTarget,
  notFound,
  uniqueness,
} from './errors.ts';
import type { PatchOperation, Path } from './paths.ts';
import { mappedGroups, settleRoles } from './roles.ts';
import { checkIfMatch } from './version.ts';
import type { ScimDeps } from './users.ts';
import { LIMITS, arr, isObject, keyMap, obj, optStr, str, type Json, type JsonObject } from './values.ts';
import { keepAnAdmin } from '../auth/keep-an-admin.ts';
import { AppError } from '../../protocol/index.ts';

type GroupState = { displayName: string; externalId: string | null; members: Set<string> };

function memberIds(v: Json | undefined): string[] {
  const list = arr(Array.isArray(v) ? v : [v as Json], 'members', LIMITS.members);
  return list.map((m, i) =>
    str(keyMap(obj(m, `members[${i}]`), `members[${i}]`).get('value'), `members[${i}].value`, LIMITS.id),
  );
}

function groupFromBody(body: Json): GroupState {
  if (!isObject(body)) throw invalidSyntax('the body must be a Group object');
  const keys = keyMap(body, 'Group');
  const schemas = keys.get('schemas');
  if (!Array.isArray(schemas) || schemas.length === 0) throw invalidSyntax('schemas is missing');
  for (const s of schemas)
    if (typeof s !== 'string' || s.toLowerCase() !== GROUP_SCHEMA.toLowerCase())
      throw invalidSyntax(`unknown schema ${String(s)}`);
  const s: GroupState = { displayName: '', externalId: null, members: new Set() };
  if (!keys.has('displayname')) throw invalidValue('displayName is required');
  for (const [key, value] of keys) writeGroup(s, key, 'replace', value, null);
  return s;
}

function writeGroup(
  s: GroupState,
  key: string,
  op: 'add' | 'replace' | 'remove',
  value: Json | undefined,
  id: string | null,
) {
  switch (key) {
    case 'displayname':
      if (op === 'remove') throw invalidValue('displayName is required');
      s.displayName = str(value, 'displayName', LIMITS.displayName);
      return;
    case 'externalid':
      s.externalId = op === 'remove' ? null : optStr(value, 'externalId', LIMITS.id);
      return;
    case 'members': {
      if (op === 'remove') {
        if (value === undefined) s.members.clear();
        else for (const m of memberIds(value)) s.members.delete(m);
        return;
      }
      const ids = memberIds(value);
      if (op === 'replace') s.members = new Set(ids);
      else for (const m of ids) s.members.add(m);
      if (s.members.size > LIMITS.members) throw invalidValue(`more than ${LIMITS.members} members`);
      return;
    }
    case 'id':
      if (id !== null && value === id) return;
      if (id === null) return; // a client-chosen id on POST is ignored (RFC 7643 3: the server assigns it)
      throw mutability('id is read-only');
    case 'schemas':
    case 'meta':
      return;
    default:
      throw invalidPath(`no attribute ${key} on a Group`);
  }
}

function applyGroupOps(state: GroupState, ops: PatchOperation[], id: string): GroupState {
  const s: GroupState = { ...state, members: new Set(state.members) };
  for (const { op, path, value } of ops) {
    if (!path) {
      for (const [key, v] of keyMap(value as JsonObject, 'value')) writeGroup(s, key, op, v, id);
      continue;
    }
    applyGroupPath(s, op, path, value, id);
  }
  return s;
}

function applyGroupPath(
  s: GroupState,
  op: PatchOperation['op'],
  path: Path,
  value: Json | undefined,
  id: string,
) {
  if (path.schema !== 'core') throw invalidPath('Groups have no extension attributes');
  if (path.filter) {
    if (
      path.attr !== 'members' ||
      path.filter.attr !== 'value' ||
      path.sub ||
      typeof path.filter.value !== 'string'
    )
      throw invalidPath('only members[value eq "..."] is supported');
    if (op !== 'remove') throw invalidPath('members[value eq "..."] can only be removed');
    if (!s.members.delete(path.filter.value)) throw noTarget('no such member');
    return;
  }
  if (path.sub) throw invalidPath(`no attribute ${path.attr}.${path.sub}`);
  writeGroup(s, path.attr, op, value, id);
}

export function scimGroups(deps: ScimDeps, newId: (prefix: string) => string) {
  async function resource(tx: StoreOps, g: ScimGroupRecord, withMembers: boolean): Promise<JsonObject> {
    const members = withMembers ? await tx.groupMembers(g.id) : null;
    return {
      schemas: [GROUP_SCHEMA],
      id: g.id,
      ...(g.externalId !== null ? { externalId: g.externalId } : {}),
      displayName: g.displayName,
      ...(members ? { members: members.map((m) => ({ value: m.id, display: m.displayName })) } : {}),
      meta: {
        resourceType: 'Group',
        created: new Date(g.createdAt).toISOString(),
        lastModified: new Date(g.updatedAt).toISOString(),
      },
    };
  }

  async function load(tx: StoreOps, id: string) {
    const g = await tx.findScimGroup(id);
    if (!g) throw notFound('no such Group');
    return g;
  }

  /** Members must be people the directory provisioned. */
  async function checkMembers(tx: StoreOps, ids: Iterable<string>) {
    for (const id of ids) if (!(await tx.findDirectoryUser(id))) throw invalidValue(`no User ${id}`);
  }

  /** Write the group's new state and settle the roles of everyone whose mapped groups moved. */
  async function save(
    tx: StoreOps,
    actor: AuditActor,
    g: ScimGroupRecord,
    after: GroupState,
    action: string,
    now: number,
  ) {
    const had = new Set((await tx.groupMembers(g.id)).map((m) => m.id));
    const added = [...after.members].filter((m) => !had.has(m));
    const removed = [...had].filter((m) => !after.members.has(m));
    await checkMembers(tx, added);
    const before = await mappedGroups(tx, [...added, ...removed]);
    // Any change, its members' too, is a modification the directory sees in meta.lastModified.
    const changed = after.displayName !== g.displayName || after.externalId !== g.externalId;
    if (changed || added.length > 0 || removed.length > 0)
      await unique(() =>
        tx.updateScimGroup(g.id, { displayName: after.displayName, externalId: after.externalId }, now),
      );
    await tx.addGroupMembers(g.id, added);
    await tx.removeGroupMembers(g.id, removed);
    const roles = await settleRoles(tx, before, now);
    await tx.audit(
      {
        actor,
        action,
        targetKind: 'group',
        targetId: g.id,
        detail: `${after.displayName}: +${added.length} -${removed.length} members${roles.map((r) => `; ${r.displayName} ${r.from}→${r.to}`).join('')}`,
      },
      now,
    );
  }

  return {
    get: (id: string, withMembers: boolean) =>
      deps.store.withTransaction(async (tx) => resource(tx, await load(tx, id), withMembers)),

    list: (
      filter: { displayName?: string; externalId?: string },
      offset: number,
      limit: number,
      withMembers: boolean,
    ) =>
      deps.store.withTransaction(async (tx) => {
        const { total, groups } = await tx.scimGroups(filter, { offset, limit });
        const resources = [];
        for (const g of groups) resources.push(await resource(tx, g, withMembers));
        return { total, resources };
      }),

    async create(body: Json, actor: AuditActor) {
      const state = groupFromBody(body);
      const now = deps.clock.now();
      const id = newId('grp');
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const g = await unique(() =>
            tx.createScimGroup({ id, displayName: state.displayName, externalId: state.externalId }, now),
          );
          await save(tx, actor, g, state, 'group.create', now);
          return resource(tx, (await tx.findScimGroup(id))!, true);
        }),
      );
    },

    async replace(id: string, body: Json, actor: AuditActor, ifMatch?: string) {
      const state = groupFromBody(body);
      const now = deps.clock.now();
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const g = await load(tx, id);
          checkIfMatch(ifMatch, await resource(tx, g, true));
          await save(tx, actor, g, state, 'group.update', now);
          return resource(tx, (await tx.findScimGroup(id))!, true);
        }),
      );
    },

    async patch(id: string, ops: PatchOperation[], actor: AuditActor, ifMatch?: string) {
      const now = deps.clock.now();
      return deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const g = await load(tx, id);
          checkIfMatch(ifMatch, await resource(tx, g, true));
          const members = new Set((await tx.groupMembers(id)).map((m) => m.id));
          const after = applyGroupOps(
            { displayName: g.displayName, externalId: g.externalId, members },
            ops,
            id,
          );
          await save(tx, actor, g, after, 'group.update', now);
          return resource(tx, (await tx.findScimGroup(id))!, true);
        }),
      );
    },

    async remove(id: string, actor: AuditActor, ifMatch?: string) {
      const now = deps.clock.now();
      await deps.store.withTransaction(async (tx) =>
        keepAnAdmin(tx, async () => {
          const g = await load(tx, id);
          checkIfMatch(ifMatch, await resource(tx, g, true));
          const members = (await tx.groupMembers(id)).map((m) => m.id);
          const before = await mappedGroups(tx, members);
          await tx.deleteScimGroup(id);
          const roles = await settleRoles(tx, before, now);
          await tx.audit(
            {
              actor,
              action: 'group.delete',
              targetKind: 'group',
              targetId: id,
              detail: `${g.displayName}${roles.map((r) => `; ${r.displayName} ${r.from}→${r.to}`).join('')}`,
            },
            now,
          );
        }),
      );
    },
  };
}

async function unique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'ALREADY_EXISTS') throw uniqueness(err.message);
    throw err;
  }
}
