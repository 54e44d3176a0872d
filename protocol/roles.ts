/** Roles and what they may borrow; shared so the kiosk shows what the server will judge. */
import type { Role } from './wire/common.ts';

const RANK: Record<Role, number> = { member: 0, staff: 1, admin: 2 };

/** A restriction names the least role allowed: staff items are for staff and admins. */
export function roleSatisfies(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
