/**
 * People and badges for the dashboard. A badge is stored only as its keyed hash; what the
 * dashboard shows is an id (a prefix of that hash) and a hint (kind + last characters).
 * Unknown badges tapped at a kiosk are kept the same way, so an admin can hand one to a person.
 */
import { AppError } from '../../../protocol/index.ts';
import type { AdminStore, BadgeRow, PersonPatch, PersonRow } from '../admin-store.ts';
import type { UserRecord } from '../store.ts';
import { USER_COLUMNS, toUser, type UserRow } from './rows.ts';
import { containsPattern, keysetPage, likeAnyCase } from './list-page.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

/** How many unknown badges (the most recently tapped) are kept to choose from. */
export const UNKNOWN_TAPS_KEPT = 1000;

type PeopleParts = Pick<
  AdminStore,
  | 'peopleWithCounts'
  | 'peopleList'
  | 'countActiveAdmins'
  | 'findPerson'
  | 'updateUser'
  | 'badgesOf'
  | 'addBadgeWithHint'
  | 'removeBadge'
  | 'setBadgeLabel'
  | 'recordUnknownTap'
  | 'unknownTaps'
  | 'takeUnknownTap'
>;

type PersonSql = UserRow & {
  badges: number;
  open_loans: number;
  employee_number: string | null;
  department: string | null;
};

const PERSON_SELECT = `
  SELECT ${USER_COLUMNS}, u.employee_number, u.department,
    (SELECT COUNT(*) FROM badges b WHERE b.user_id = u.id) AS badges,
    (SELECT COUNT(*) FROM loans l WHERE l.user_id = u.id AND l.returned_at IS NULL) AS open_loans
  FROM users u`;

const toPerson = (r: PersonSql): PersonRow => ({
  ...toUser(r),
  badges: r.badges,
  openLoans: r.open_loans,
  employeeNumber: r.employee_number,
  department: r.department,
});

/** Badge ids are the first 16 hex digits of the keyed hash: stable, and useless for guessing. */
const BADGE_ID = 'substr(credential_hash, 1, 16)';

const COLUMNS: Record<keyof PersonPatch, string> = {
  displayName: 'display_name',
  email: 'email',
  role: 'role',
  active: 'active',
  passwordHash: 'password_hash',
  employeeNumber: 'employee_number',
  department: 'department',
};

const BADGE_SELECT = `SELECT ${BADGE_ID} AS id, label, hint, added_at AS "addedAt" FROM badges`;

export function adminPeople(db: SqlRunner, newId: (prefix: string) => string): PeopleParts {
  const findPerson = async (id: string) => {
    const r = await db.get<PersonSql>(`${PERSON_SELECT} WHERE u.id = ?`, [id]);
    return r ? toPerson(r) : null;
  };

  return {
    peopleWithCounts: async () =>
      (await db.all<PersonSql>(`${PERSON_SELECT} ORDER BY u.active DESC, u.display_name, u.id`)).map(
        toPerson,
      ),
    async countActiveAdmins() {
      const row = await db.get<{ n: number | string }>(
        "SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1",
      );
      return Number(row?.n ?? 0);
    },
    async peopleList(query) {
      const where = [{ active: 'u.active = 1', inactive: 'u.active = 0', all: '1 = 1' }[query.status]];
      const args: SqlValue[] = [];
      if (query.role) {
        where.push('u.role = ?');
        args.push(query.role);
      }
      const q = query.q?.trim();
      if (q) {
        const like = likeAnyCase(db.dialect);
        const fields = ['u.display_name', 'u.email', 'u.user_name', 'u.employee_number', 'u.department'];
        where.push(`(${fields.map((f) => `${f} ${like}`).join(' OR ')})`);
        args.push(...fields.map(() => containsPattern(q)));
      }
      const { rows, total, next } = await keysetPage<PersonSql>(
        db,
        {
          select: PERSON_SELECT,
          from: 'users u',
          alias: 'u',
          where,
          args,
          column: 'u.display_name',
          after: query.after,
          limit: query.limit,
        },
        (r) => r.display_name,
      );
      return { people: rows.map(toPerson), total, next };
    },
    findPerson,

    async updateUser(id, patch) {
      const sets: string[] = [];
      const args: SqlValue[] = [];
      for (const [key, column] of Object.entries(COLUMNS) as [keyof PersonPatch, string][]) {
        const v = patch[key];
        if (v === undefined) continue;
        sets.push(`${column} = ?`);
        args.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      if (!(await findPerson(id))) return null;
      try {
        // In its own savepoint: a taken email undoes only this step of a caller's transaction.
        if (sets.length)
          await db.atomic((tx) => tx.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...args, id]));
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'email already used');
        throw err;
      }
      const {
        badges: _b,
        openLoans: _o,
        employeeNumber: _e,
        department: _d,
        ...user
      } = (await findPerson(id))!;
      return user satisfies UserRecord;
    },

    badgesOf: (userId) =>
      db.all<BadgeRow>(
        `${BADGE_SELECT} WHERE user_id = ? ORDER BY CASE WHEN added_at IS NULL THEN 0 ELSE 1 END, added_at, id`,
        [userId],
      ),

    async addBadgeWithHint(userId, { credentialHash, rosterHash, hint, label }, now) {
      try {
        return await db.atomic(async (tx) => {
          await tx.run(
            `INSERT INTO badges (credential_hash, user_id, label, hint, added_at, roster_hash)
             VALUES (?, ?, ?, ?, ?, ?)`,
            [credentialHash, userId, label, hint, now, rosterHash],
          );
          // Once it belongs to someone it is no longer unknown.
          await tx.run('DELETE FROM unknown_badge_taps WHERE credential_hash = ?', [credentialHash]);
          return (await tx.get<BadgeRow>(`${BADGE_SELECT} WHERE credential_hash = ?`, [credentialHash]))!;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('BADGE_ALREADY_ENROLLED', 'badge already enrolled');
        throw err;
      }
    },

    removeBadge: async (userId, badgeId) =>
      (await db.run(`DELETE FROM badges WHERE user_id = ? AND ${BADGE_ID} = ?`, [userId, badgeId])).changes >
      0,

    async setBadgeLabel(userId, badgeId, label) {
      const where = `WHERE user_id = ? AND ${BADGE_ID} = ?`;
      if ((await db.run(`UPDATE badges SET label = ? ${where}`, [label, userId, badgeId])).changes === 0)
        return null;
      return (await db.get<BadgeRow>(`${BADGE_SELECT} ${where}`, [userId, badgeId])) ?? null;
    },

    async recordUnknownTap(credentialHash, hint, kioskId, now) {
      await db.run(
        `INSERT INTO unknown_badge_taps (id, credential_hash, hint, kiosk_id, last_at, count)
         VALUES (?, ?, ?, ?, ?, 1)
         ON CONFLICT (credential_hash) DO UPDATE SET kiosk_id = excluded.kiosk_id,
           last_at = excluded.last_at, count = unknown_badge_taps.count + 1`,
        [newId('tap'), credentialHash, hint, kioskId, now],
      );
      // Bounded, not short: the dashboard pages through them (a busy front desk sees hundreds of
      // visitors' cards a week), but a reader that sprays garbage cannot grow the table for ever.
      await db.run(
        `DELETE FROM unknown_badge_taps WHERE id NOT IN (SELECT id FROM unknown_badge_taps ORDER BY last_at DESC LIMIT ${UNKNOWN_TAPS_KEPT})`,
      );
    },

    unknownTaps: () =>
      db.all<{
        id: string;
        hint: string;
        kioskId: string;
        kioskName: string | null;
        at: number;
        count: number;
      }>(
        `SELECT t.id, t.hint, t.kiosk_id AS "kioskId", k.name AS "kioskName", t.last_at AS at, t.count
         FROM unknown_badge_taps t LEFT JOIN kiosks k ON k.id = t.kiosk_id
         -- a badge enrolled since (e.g. at a kiosk in service mode) is no longer unknown
         WHERE t.credential_hash NOT IN (SELECT credential_hash FROM badges)
         ORDER BY t.last_at DESC`,
      ),

    async takeUnknownTap(id) {
      const r = await db.get<{ credential_hash: string; hint: string }>(
        'SELECT credential_hash, hint FROM unknown_badge_taps WHERE id = ?',
        [id],
      );
      return r ? { credentialHash: r.credential_hash, hint: r.hint } : null;
    },
  };
}
