/**
 * An admin edits a person (name, email, role, department, employee number, active, a new
 * password): one transaction that either saves all of it, audited with the fields that
 * changed and their values before and after, or nothing.
 *
 * Refusals, each a code naming the field and the rule: a bad or taken email, an empty name
 * (checkPersonFields); a field the organisation's directory owns (DIRECTORY_MANAGED: SCIM
 * would overwrite it, and the directory is where it is true); a change that leaves no
 * active admin (LAST_ADMIN); an admin lowering their own access (OWN_ACCESS: someone else
 * must, so nobody locks themself out by a slip).
 *
 * A change that ends or narrows someone's access (deactivated, role lowered, new password)
 * ends their sign-in sessions at once, so it takes effect now and not in 15 minutes.
 */
import {
  AppError,
  PERSON_FIELDS,
  checkPersonFields,
  roleSatisfies,
  type PersonField,
  type UpdatePersonRequest,
} from '../../protocol/index.ts';
import { changesOf } from '../audit/record.ts';
import { keepAnAdmin } from '../auth/keep-an-admin.ts';
import type { AuditActor, AuditChange, PersonPatch, PersonRow } from '../store/admin-store.ts';
import type { StoreOps } from '../store/store.ts';

/** What a directory-provisioned person's record takes from the directory (server/scim). */
const DIRECTORY_FIELDS: readonly PersonField[] = [
  'displayName',
  'email',
  'active',
  'employeeNumber',
  'department',
];

/**
 * The fields the directory owns for this person: none for a person made here; for one it
 * provisioned, what SCIM writes, and the role too while a group of theirs maps to a role.
 */
export async function directoryOwned(tx: StoreOps, userId: string): Promise<PersonField[] | null> {
  if (!(await tx.findDirectoryUser(userId))) return null;
  const mapped = (await tx.groupsOfUser(userId)).some((g) => g.role !== null);
  return mapped ? [...DIRECTORY_FIELDS, 'role'] : [...DIRECTORY_FIELDS];
}

export type PersonEdit = {
  actor: AuditActor & { id: string };
  userId: string;
  edit: Omit<UpdatePersonRequest, 'password'>;
  /** Already hashed (outside the transaction: hashing is slow on purpose). */
  passwordHash?: string;
  now: number;
};

export type PersonEditResult = {
  person: PersonRow;
  changed: PersonField[];
};

export async function editPerson(tx: StoreOps, e: PersonEdit): Promise<PersonEditResult> {
  const checked = checkPersonFields(e.edit);
  if (!checked.ok) throw new AppError(checked.code, `${checked.field} is not valid`);
  const edit = checked.edit;
  const before = await tx.findPerson(e.userId);
  if (!before) throw new AppError('NOT_FOUND', 'no such person');

  // Only what differs counts as a change (a form sends every field).
  const changed = PERSON_FIELDS.filter((f) => edit[f] !== undefined && edit[f] !== before[f]);

  const owned = await directoryOwned(tx, before.id);
  if (owned && changed.some((f) => owned.includes(f)))
    throw new AppError(
      'DIRECTORY_MANAGED',
      `${changed.filter((f) => owned.includes(f)).join(', ')} come from the directory`,
    );

  if (changed.includes('email') && edit.email) {
    const holder = await tx.findUserByEmail(edit.email);
    if (holder && holder.id !== before.id) throw new AppError('EMAIL_TAKEN', 'another person has this email');
  }

  const patch: PersonPatch = {};
  for (const f of changed) Object.assign(patch, { [f]: edit[f] });
  if (e.passwordHash) patch.passwordHash = e.passwordHash;
  if (Object.keys(patch).length === 0) return { person: before, changed: [] };

  const deactivated = changed.includes('active') && edit.active === false;
  const lowered = changed.includes('role') && !roleSatisfies(edit.role!, before.role);
  await keepAnAdmin(tx, async () => {
    try {
      await tx.updateUser(before.id, patch);
    } catch (err) {
      // Someone took the address between the check and the write.
      if (err instanceof AppError && err.code === 'ALREADY_EXISTS')
        throw new AppError('EMAIL_TAKEN', 'another person has this email');
      throw err;
    }
  });
  if (before.id === e.actor.id && (deactivated || lowered))
    throw new AppError('OWN_ACCESS', 'an admin cannot lower their own access');

  if (deactivated || lowered || e.passwordHash) {
    const why = deactivated
      ? 'deactivated by admin'
      : lowered
        ? 'role lowered by admin'
        : 'password reset by admin';
    await tx.revokeSessionsOfUser(before.id, e.now, why);
  }

  const changes: AuditChange[] = [
    ...changesOf(before, edit, changed),
    // That it changed, never anything of it.
    ...(e.passwordHash ? [{ field: 'password', before: null, after: null }] : []),
  ];
  await tx.audit(
    {
      actor: e.actor,
      action: deactivated
        ? 'person.deactivate'
        : changed.includes('active') && edit.active
          ? 'person.activate'
          : 'person.update',
      targetKind: 'person',
      targetId: before.id,
      detail: `${edit.displayName ?? before.displayName}: ${changes.map((c) => c.field).join(', ')}`,
      changes,
    },
    e.now,
  );
  return { person: (await tx.findPerson(before.id))!, changed };
}
