/**
 * SCIM provisioning rows (ScimStore): directory people, groups and members, provisioning
 * tokens. userName compares case-insensitively, as its unique index does on both databases
 * (NOCASE on SQLite, lower() on PostgreSQL).
 */
import { AppError, type Role } from '../../../protocol/index.ts';
import type {
  DirectoryFields,
  DirectoryUser,
  ScimGroupRecord,
  ScimStore,
  ScimTokenRecord,
} from '../scim-store.ts';
import { USER_COLUMNS, toUser, type UserRow } from './rows.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

type DirectoryRow = UserRow & {
  user_name: string | null;
  external_id: string | null;
  employee_number: string | null;
  department: string | null;
  source: 'local' | 'scim';
  created_at: number | string | null;
  updated_at: number | string | null;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

const DIRECTORY_SELECT = `SELECT ${USER_COLUMNS}, u.user_name, u.external_id, u.employee_number,
  u.department, u.source, u.created_at, u.updated_at FROM users u`;

const toDirectoryUser = (r: DirectoryRow): DirectoryUser => ({
  ...toUser(r),
  userName: r.user_name,
  externalId: r.external_id,
  employeeNumber: r.employee_number,
  department: r.department,
  source: r.source,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

type GroupRow = {
  id: string;
  display_name: string;
  external_id: string | null;
  role: Role | null;
  created_at: number | string;
  updated_at: number | string;
};
const GROUP_SELECT = 'SELECT id, display_name, external_id, role, created_at, updated_at FROM scim_groups';
const toGroup = (r: GroupRow): ScimGroupRecord => ({
  id: r.id,
  displayName: r.display_name,
  externalId: r.external_id,
  role: r.role,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

type TokenRow = {
  id: string;
  name: string;
  created_by: string | null;
  created_at: number | string;
  last_used_at: number | string | null;
  revoked_at: number | string | null;
};
const TOKEN_SELECT = 'SELECT id, name, created_by, created_at, last_used_at, revoked_at FROM scim_tokens';
const toToken = (r: TokenRow): ScimTokenRecord => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  lastUsedAt: num(r.last_used_at),
  revokedAt: num(r.revoked_at),
});

/** A unique index said no: which one is not worth telling apart for the client. */
async function unique<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', `${what} already used`);
    throw err;
  }
}

const fieldArgs = (f: DirectoryFields): SqlValue[] => [
  f.displayName,
  f.email,
  f.active ? 1 : 0,
  f.userName,
  f.externalId,
  f.employeeNumber,
  f.department,
];
const FIELD_SETS =
  'display_name = ?, email = ?, active = ?, user_name = ?, external_id = ?, employee_number = ?, department = ?';

export function sqlScimStore(db: SqlRunner): ScimStore {
  const findDirectoryUser = async (id: string) => {
    const r = await db.get<DirectoryRow>(`${DIRECTORY_SELECT} WHERE u.id = ? AND u.source = 'scim'`, [id]);
    return r ? toDirectoryUser(r) : null;
  };
  const anyUser = async (id: string) => {
    const r = await db.get<DirectoryRow>(`${DIRECTORY_SELECT} WHERE u.id = ?`, [id]);
    return r ? toDirectoryUser(r) : null;
  };

  const where = (conds: [string, SqlValue | undefined][]) => {
    const parts: string[] = [];
    const args: SqlValue[] = [];
    for (const [sql, v] of conds) {
      if (v === undefined) continue;
      parts.push(sql);
      args.push(v);
    }
    return { sql: parts.length ? ` AND ${parts.join(' AND ')}` : '', args };
  };

  return {
    findDirectoryUser,
    async findUserByUserName(userName) {
      const r = await db.get<DirectoryRow>(`${DIRECTORY_SELECT} WHERE lower(u.user_name) = lower(?)`, [
        userName,
      ]);
      return r ? toDirectoryUser(r) : null;
    },
    async directoryUsers(filter, page) {
      const w = where([
        ['lower(u.user_name) = lower(?)', filter.userName],
        ['u.external_id = ?', filter.externalId],
      ]);
      const base = `FROM users u WHERE u.source = 'scim'${w.sql}`;
      const total = await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n ${base}`, w.args);
      const rows = await db.all<DirectoryRow>(
        `${DIRECTORY_SELECT} WHERE u.source = 'scim'${w.sql}
         ORDER BY COALESCE(u.created_at, 0), u.id LIMIT ? OFFSET ?`,
        [...w.args, page.limit, page.offset],
      );
      return { total: Number(total?.n ?? 0), users: rows.map(toDirectoryUser) };
    },
    async createDirectoryUser(id, f, role, now) {
      await unique('userName or email', () =>
        db.atomic((tx) =>
          tx.run(
            `INSERT INTO users (display_name, email, active, user_name, external_id, employee_number, department,
               id, role, source, created_at, updated_at, password_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scim', ?, ?, NULL)`,
            [...fieldArgs(f), id, role, now, now],
          ),
        ),
      );
      return (await findDirectoryUser(id))!;
    },
    async adoptUser(id, f, now) {
      await unique('userName or email', () =>
        db.atomic((tx) =>
          tx.run(
            `UPDATE users SET ${FIELD_SETS}, source = 'scim', created_at = COALESCE(created_at, ?), updated_at = ?
             WHERE id = ?`,
            [...fieldArgs(f), now, now, id],
          ),
        ),
      );
      return (await anyUser(id))!;
    },
    async updateDirectoryUser(id, f, now) {
      await unique('userName or email', () =>
        db.atomic((tx) =>
          tx.run(`UPDATE users SET ${FIELD_SETS}, updated_at = ? WHERE id = ?`, [...fieldArgs(f), now, id]),
        ),
      );
    },
    async setUserRole(id, role, now) {
      await db.run('UPDATE users SET role = ?, updated_at = ? WHERE id = ?', [role, now, id]);
    },
    async hasHistory(userId) {
      const r = await db.get<{ n: number | string }>(
        `SELECT (SELECT COUNT(*) FROM loans WHERE user_id = ?) + (SELECT COUNT(*) FROM transactions WHERE user_id = ?) AS n`,
        [userId, userId],
      );
      return Number(r?.n ?? 0) > 0;
    },
    async detachUser(id, now) {
      await db.run('DELETE FROM badges WHERE user_id = ?', [id]);
      await db.run('DELETE FROM scim_group_members WHERE user_id = ?', [id]);
      await db.run(
        `UPDATE users SET active = 0, user_name = NULL, external_id = NULL, source = 'local', updated_at = ?
         WHERE id = ?`,
        [now, id],
      );
    },
    async deleteUserWithoutHistory(id) {
      await db.run(
        'DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM auth_sessions WHERE user_id = ?)',
        [id],
      );
      for (const table of ['auth_sessions', 'badges', 'scim_group_members', 'user_identities'])
        await db.run(`DELETE FROM ${table} WHERE user_id = ?`, [id]);
      await db.run('DELETE FROM users WHERE id = ?', [id]);
    },

    async findScimGroup(id) {
      const r = await db.get<GroupRow>(`${GROUP_SELECT} WHERE id = ?`, [id]);
      return r ? toGroup(r) : null;
    },
    async findScimGroupByName(displayName) {
      const r = await db.get<GroupRow>(`${GROUP_SELECT} WHERE lower(display_name) = lower(?)`, [displayName]);
      return r ? toGroup(r) : null;
    },
    async scimGroups(filter, page) {
      const w = where([
        ['lower(display_name) = lower(?)', filter.displayName],
        ['external_id = ?', filter.externalId],
      ]);
      const base = `FROM scim_groups WHERE 1 = 1${w.sql}`;
      const total = await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n ${base}`, w.args);
      const rows = await db.all<GroupRow>(
        `${GROUP_SELECT} WHERE 1 = 1${w.sql} ORDER BY created_at, id LIMIT ? OFFSET ?`,
        [...w.args, page.limit, page.offset],
      );
      return { total: Number(total?.n ?? 0), groups: rows.map(toGroup) };
    },
    async createScimGroup(g, now) {
      await unique('displayName', () =>
        db.atomic((tx) =>
          tx.run(
            'INSERT INTO scim_groups (id, display_name, external_id, role, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
            [g.id, g.displayName, g.externalId, now, now],
          ),
        ),
      );
      return toGroup((await db.get<GroupRow>(`${GROUP_SELECT} WHERE id = ?`, [g.id]))!);
    },
    async updateScimGroup(id, g, now) {
      await unique('displayName', () =>
        db.atomic((tx) =>
          tx.run('UPDATE scim_groups SET display_name = ?, external_id = ?, updated_at = ? WHERE id = ?', [
            g.displayName,
            g.externalId,
            now,
            id,
          ]),
        ),
      );
    },
    setScimGroupRole: async (id, role, now) =>
      (await db.run('UPDATE scim_groups SET role = ?, updated_at = ? WHERE id = ?', [role, now, id]))
        .changes === 1,
    async deleteScimGroup(id) {
      await db.run('DELETE FROM scim_group_members WHERE group_id = ?', [id]);
      return (await db.run('DELETE FROM scim_groups WHERE id = ?', [id])).changes === 1;
    },
    groupMembers: (groupId) =>
      db.all<{ id: string; displayName: string }>(
        `SELECT u.id, u.display_name AS "displayName" FROM scim_group_members m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = ? ORDER BY u.id`,
        [groupId],
      ),
    async addGroupMembers(groupId, userIds) {
      for (const userId of userIds)
        await db.run(
          'INSERT INTO scim_group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT (group_id, user_id) DO NOTHING',
          [groupId, userId],
        );
    },
    async removeGroupMembers(groupId, userIds) {
      for (const userId of userIds)
        await db.run('DELETE FROM scim_group_members WHERE group_id = ? AND user_id = ?', [groupId, userId]);
    },
    groupsOfUser: (userId) =>
      db.all<{ id: string; displayName: string; role: Role | null }>(
        `SELECT g.id, g.display_name AS "displayName", g.role FROM scim_group_members m
         JOIN scim_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.display_name, g.id`,
        [userId],
      ),

    async createScimToken(t, now) {
      await db.run(
        'INSERT INTO scim_tokens (id, name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
        [t.id, t.name, t.tokenHash, t.createdBy, now],
      );
      return toToken((await db.get<TokenRow>(`${TOKEN_SELECT} WHERE id = ?`, [t.id]))!);
    },
    scimTokens: async () =>
      (await db.all<TokenRow>(`${TOKEN_SELECT} ORDER BY created_at DESC, id`)).map(toToken),
    async findLiveScimToken(tokenHash) {
      const r = await db.get<TokenRow>(`${TOKEN_SELECT} WHERE token_hash = ? AND revoked_at IS NULL`, [
        tokenHash,
      ]);
      return r ? toToken(r) : null;
    },
    async touchScimToken(id, now) {
      await db.run('UPDATE scim_tokens SET last_used_at = ? WHERE id = ?', [now, id]);
    },
    revokeScimToken: async (id, now) =>
      (await db.run('UPDATE scim_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id]))
        .changes === 1,
  };
}
