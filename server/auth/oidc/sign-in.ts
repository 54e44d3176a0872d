/**
 * Who a verified OpenID sign-in is here (issue 20): the person linked to (issuer, subject),
 * or on a first sign-in the person the configured claim names (email, directory user name
 * or id), linked now, or created just in time when configured. The role comes from the
 * groups claim at every sign-in when a group -> role map is configured. Refusals are typed
 * (SSO_*) and decided before anything is written, so a refused sign-in changes nothing.
 */
import { keepAnAdmin } from '../keep-an-admin.ts';
import { AppError, type Clock, type Role } from '../../../protocol/index.ts';
import type { Store, UserRecord } from '../../store/store.ts';
import type { SsoSettings } from './sso-config.ts';

export type SsoClaims = { sub: string; [claim: string]: unknown };

/** What happened, for the audit log (never a token or code). */
export type SignInEvent =
  | { action: 'sso.link'; user: UserRecord; detail: string }
  | { action: 'sso.create'; user: UserRecord; detail: string }
  | { action: 'sso.role'; user: UserRecord; detail: string };

const RANK: Record<Role, number> = { member: 0, staff: 1, admin: 2 };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** An email the provider says is unverified (some send the flag as a string). */
const unverified = (claims: Record<string, unknown>) =>
  claims.email_verified === false || claims.email_verified === 'false';

/**
 * Whether the token lists the groups at all. Entra ID leaves the claim out when a person is in
 * too many groups and points elsewhere instead (`_claim_names`); that is not "no groups".
 */
export function groupsKnown(claims: Record<string, unknown>, name: string): boolean {
  const names = claims._claim_names;
  return !(typeof names === 'object' && names !== null && Object.hasOwn(names, name));
}

/** The groups the claim lists (an array, or one string). */
export function groupsOf(claims: Record<string, unknown>, name: string): string[] {
  const v = claims[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : [];
}

/** The highest role any of the groups maps to; null when none maps (or no map is configured). */
export function roleFromGroups(settings: SsoSettings, groups: string[]): Role | null {
  let best: Role | null = null;
  for (const g of groups) {
    const role = settings.groupRoles.get(g);
    if (role && (best === null || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/** The value of the claim that names the person, or undefined (an email must not be marked unverified). */
export function identifyingValue(settings: SsoSettings, claims: SsoClaims): string | undefined {
  if (settings.userClaim === 'sub') return claims.sub;
  if (settings.userClaim === 'email') return unverified(claims) ? undefined : str(claims.email);
  return str(claims.preferred_username);
}

async function findByClaim(store: Store, settings: SsoSettings, value: string): Promise<UserRecord | null> {
  const byId = async (id: string | null) => (id ? store.findUserById(id) : null);
  switch (settings.userClaim) {
    case 'email':
      return store.findUserByEmail(value);
    case 'preferred_username':
      // Entra's preferred_username is the UPN, often the mail address too.
      return (
        (await byId(await store.findUserIdByUserName(value))) ??
        (value.includes('@') ? store.findUserByEmail(value) : null)
      );
    case 'sub':
      return (
        (await byId(await store.findUserIdByExternalId(value))) ??
        byId(await store.findUserIdByUserName(value))
      );
  }
}

export async function resolveSsoPerson(
  deps: { store: Store; clock: Clock; settings: SsoSettings },
  claims: SsoClaims,
): Promise<{ user: UserRecord; events: SignInEvent[] }> {
  const { store, settings } = deps;
  const issuer = settings.issuer;
  const now = deps.clock.now();
  const configured = settings.groupRoles.size > 0;
  const known = groupsKnown(claims, settings.groupsClaim);
  // Groups the token does not list leave the role as it is (never a demotion by omission),
  // unless a mapped group is required, which then cannot be shown.
  if (configured && !known && settings.requireMappedGroup)
    throw new AppError('SSO_NO_MAPPED_GROUP', 'groups not in the token (overage)');
  const mapping = configured && known;
  const mapped = mapping ? roleFromGroups(settings, groupsOf(claims, settings.groupsClaim)) : null;
  if (mapping && mapped === null && settings.requireMappedGroup)
    throw new AppError('SSO_NO_MAPPED_GROUP', 'no group maps to a role');
  const events: SignInEvent[] = [];

  const linked = await store.findIdentity(issuer, claims.sub);
  let user = linked ? await store.findUserById(linked.userId) : null;
  if (!user) {
    const value = identifyingValue(settings, claims);
    if (value === undefined) throw new AppError('SSO_CLAIM_MISSING', `claim ${settings.userClaim} missing`);
    user = await findByClaim(store, settings, value);
    if (user) {
      if (!user.active) throw new AppError('SSO_ACCOUNT_INACTIVE', 'person inactive');
      // One account per person and provider: a second subject for the same person (an email
      // moved to another account at the provider) is for an administrator to look at.
      if ((await store.identitiesOf(user.id)).some((i) => i.issuer === issuer))
        throw new AppError('SSO_IDENTITY_CONFLICT', 'person linked to another subject');
      if (!(await store.linkIdentity({ issuer, subject: claims.sub, userId: user.id, createdAt: now })))
        throw new AppError('SSO_IDENTITY_CONFLICT', 'subject linked meanwhile');
      events.push({ action: 'sso.link', user, detail: `linked by ${settings.userClaim}` });
    } else if (settings.provisioning === 'jit') {
      user = await createPerson(deps, claims, mapped ?? 'member');
      events.push({ action: 'sso.create', user, detail: `created at first sign-in (${user.role})` });
    } else {
      throw new AppError('SSO_USER_NOT_FOUND', 'no person for this account');
    }
  }
  if (!user.active) throw new AppError('SSO_ACCOUNT_INACTIVE', 'person inactive');
  const role: Role | null = mapping ? (mapped ?? 'member') : null;
  if (role && role !== user.role) {
    const was = user.role;
    const target = user;
    try {
      user =
        (await store.withTransaction((tx) => keepAnAdmin(tx, () => tx.updateUser(target.id, { role })))) ??
        user;
      events.push({ action: 'sso.role', user, detail: `role ${was} -> ${role} from the provider's groups` });
    } catch (err) {
      // The provider's groups would take the last admin's rights away: nobody could sign in to
      // put them back. They keep the role; the audit says why.
      if (!(err instanceof AppError && err.code === 'LAST_ADMIN')) throw err;
      events.push({ action: 'sso.role', user, detail: `kept ${was}, not ${role}: the last active admin` });
    }
  }
  await store.touchIdentity(issuer, claims.sub, now);
  return { user, events };
}

async function createPerson(
  deps: { store: Store; clock: Clock; settings: SsoSettings },
  claims: SsoClaims,
  role: Role,
): Promise<UserRecord> {
  const { store, settings } = deps;
  const email = unverified(claims) ? undefined : str(claims.email);
  const displayName = (str(claims.name) ?? email ?? str(claims.preferred_username) ?? claims.sub).slice(
    0,
    200,
  );
  try {
    // One transaction: a person is never left without the link that made them.
    return await store.withTransaction(async (tx) => {
      const user = await tx.createUser({
        email: email ?? null,
        displayName,
        role,
        active: true,
        passwordHash: null,
      });
      if (
        !(await tx.linkIdentity({
          issuer: settings.issuer,
          subject: claims.sub,
          userId: user.id,
          createdAt: deps.clock.now(),
        }))
      )
        throw new AppError('SSO_IDENTITY_CONFLICT', 'subject linked meanwhile');
      return user;
    });
  } catch (err) {
    // The email belongs to someone already (matched by another claim than email).
    if (err instanceof AppError && err.code === 'ALREADY_EXISTS')
      throw new AppError('SSO_IDENTITY_CONFLICT', 'email used by another person');
    throw err;
  }
}
