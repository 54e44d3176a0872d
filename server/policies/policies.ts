/**
 * The lending policies as the server uses them: the stored set (or the built-in default
 * while none was saved), saved only whole and valid, in one transaction with its audit
 * entry; and the facts about a person the rules judge by (protocol/policies.ts).
 */
import { Value } from '@sinclair/typebox/value';
import {
  AppError,
  BugError,
  PolicySet,
  defaultPolicies,
  loanDueAt,
  policyDueAt,
  validatePolicies,
  type BorrowerFacts,
} from '../../protocol/index.ts';
import type { AuditActor } from '../store/admin-store.ts';
import type { Store, StoreOps, UserRecord } from '../store/store.ts';

export type CurrentPolicies = { policies: PolicySet; updatedAt: number | null; updatedBy: string | null };

/** The policies in force: the saved set, or the default built from the server's loan limit. */
export async function currentPolicies(
  store: Pick<StoreOps, 'getPolicies'>,
  fallbackMaxItems: number,
): Promise<CurrentPolicies> {
  const stored = await store.getPolicies();
  if (!stored) return { policies: defaultPolicies(fallbackMaxItems), updatedAt: null, updatedBy: null };
  const parsed: unknown = JSON.parse(stored.body);
  // Only valid sets are written (savePolicies): anything else is a damaged row, a bug.
  if (!Value.Check(PolicySet, parsed)) throw new BugError('stored lending policies do not parse');
  return { policies: parsed, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
}

/** The ETag of a stored set: when it was saved (ms), or "default" while none was. */
export const policiesETag = (updatedAt: number | null) => `"${updatedAt ?? 'default'}"`;

/**
 * The version an If-Match header names (undefined: none named, the edit replaces whatever is
 * there, as API clients of old do). BAD_REQUEST for a header that is no version of ours.
 */
export function policiesVersionOf(ifMatch: string | undefined): number | null | undefined {
  if (ifMatch === undefined) return undefined;
  const m = /^"(default|\d{1,16})"$/.exec(ifMatch.trim());
  if (!m) throw new AppError('BAD_REQUEST', 'If-Match names no version of the lending rules');
  return m[1] === 'default' ? null : Number(m[1]);
}

/**
 * Checks and saves a whole policy set with its audit entry; nothing is saved when anything fails.
 * `base`, when given, is the version the edit was made from (null: the built-in default): if
 * someone saved since, POLICIES_CHANGED, so two admins editing at once cannot silently undo
 * each other's change (the whole set is replaced).
 */
export async function savePolicies(
  store: Store,
  policies: PolicySet,
  actor: AuditActor,
  now: number,
  base?: number | null,
): Promise<void> {
  const problem = validatePolicies(policies);
  if (problem) throw new AppError(problem.code, problem.detail);
  // Stored canonical: closed days sorted, so the kiosk and the dashboard show them in order.
  const body = JSON.stringify({ ...policies, closedDays: [...policies.closedDays].sort() });
  await store.withTransaction(async (tx) => {
    const previous = (await tx.getPolicies())?.updatedAt ?? null;
    if (base !== undefined && previous !== base)
      throw new AppError('POLICIES_CHANGED', 'the lending rules were saved by someone else meanwhile');
    // The version is the save's moment: two saves in one millisecond (or a replica whose clock
    // is behind) must still make two versions.
    const updatedAt = previous === null ? now : Math.max(now, previous + 1);
    await tx.putPolicies({ body, updatedAt, updatedBy: actor.name });
    await tx.audit(
      {
        actor,
        action: 'policies.update',
        targetKind: 'policies',
        targetId: 'lending',
        detail: `${policies.rules.length} rules, ${policies.closedDays.length} closed days, tz ${policies.timeZone}`,
      },
      now,
    );
  });
}

/** What the rules need to know about a person: role, open loans (category, due), suspension. */
export async function borrowerFacts(
  store: Pick<StoreOps, 'openLoanFacts' | 'suspensionOf'>,
  user: Pick<UserRecord, 'id' | 'role'>,
): Promise<BorrowerFacts> {
  const suspension = await store.suspensionOf(user.id);
  return {
    role: user.role,
    loans: await store.openLoanFacts(user.id),
    suspendedUntil: suspension?.until ?? null,
    suspensionNote: suspension?.note ?? null,
  };
}

/** When a loan of the item to this person, begun at `start`, is due (the item's period without policies). */
export async function loanDueFor(
  tx: Pick<StoreOps, 'findUserById'>,
  policies: PolicySet | undefined,
  item: { loanDays: number; category: string },
  userId: string,
  start: number,
): Promise<number> {
  const user = policies ? await tx.findUserById(userId) : null;
  return policies && user ? policyDueAt(policies, start, item, user.role) : loanDueAt(start, item.loanDays);
}
