/**
 * Roles from groups. An admin may map a SCIM group to a role (admin, staff or member); a
 * person's role is then the highest role mapped to any of their groups. When a change
 * leaves a person in no mapped group any more (removed from it, the group deleted or its
 * mapping cleared), their role falls back to member, so leaving the directory's admin group
 * takes admin rights away. A person whose mapped groups did not change keeps the role they
 * have: someone an admin made staff by hand, in no mapped group, stays staff.
 */
import { roleSatisfies, type Role } from '../../protocol/index.ts';
import type { StoreOps } from '../store/store.ts';

export const highestRole = (roles: Role[]): Role | null =>
  roles.reduce<Role | null>((best, r) => (best === null || roleSatisfies(r, best) ? r : best), null);

/** Each person's mapped groups, to compare before and after a change. */
export async function mappedGroups(tx: StoreOps, userIds: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(userIds)) {
    const groups = (await tx.groupsOfUser(id)).filter((g) => g.role !== null);
    out.set(
      id,
      groups
        .map((g) => `${g.id}=${g.role}`)
        .sort()
        .join(','),
    );
  }
  return out;
}

/** Set the role of everyone whose mapped groups changed; returns who changed, from what to what. */
export async function settleRoles(
  tx: StoreOps,
  before: Map<string, string>,
  now: number,
): Promise<{ userId: string; displayName: string; from: Role; to: Role }[]> {
  const after = await mappedGroups(tx, before.keys());
  const changed = [];
  for (const [userId, was] of before) {
    if (after.get(userId) === was) continue;
    const user = await tx.findUserById(userId);
    if (!user) continue;
    const roles = (await tx.groupsOfUser(userId)).flatMap((g) => (g.role ? [g.role] : []));
    const role = highestRole(roles) ?? 'member';
    if (role === user.role) continue;
    await tx.setUserRole(userId, role, now);
    changed.push({ userId, displayName: user.displayName, from: user.role, to: role });
  }
  return changed;
}
