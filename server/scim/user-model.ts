/**
 * A SCIM User as this server keeps it, and the pure steps between it and SCIM JSON: reading
 * a POST/PUT body, applying PATCH operations, and writing the resource back. No I/O: the
 * use cases (users.ts) load the person, run these, and store the result in one transaction.
 *
 * What is kept: userName, externalId, one display name (displayName, else name.formatted,
 * else given + family name, else userName), one email (the primary, else type work, else
 * the first), active, the enterprise extension's employeeNumber and department, and badges
 * (rental extension) as keyed hashes. Core attributes this server has no use for (title,
 * phone numbers, addresses, locale...) are accepted and dropped, so a directory's default
 * attribute mapping works unchanged; an attribute no schema defines is refused.
 */
import { normalizeCredential, type Credential } from '../../protocol/index.ts';
import { ENTERPRISE_SCHEMA, RENTAL_SCHEMA, USER_SCHEMA } from './discovery.ts';
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from './errors.ts';
import { splitUrn, type Op, type Path, type PatchOperation, type Schema } from './paths.ts';
import {
  LIMITS,
  arr,
  bool,
  isObject,
  keyMap,
  obj,
  optStr,
  str,
  type Json,
  type JsonObject,
} from './values.ts';

/** A badge: one already stored (by its id, the hash prefix) or one arriving now (with its credential). */
export type BadgeEntry = { id: string; label: string | null; credential: Credential | null };

export type UserState = {
  userName: string;
  externalId: string | null;
  /** An explicit SCIM displayName (or the stored one). */
  displayName: string | null;
  name: { formatted: string | null; givenName: string | null; familyName: string | null } | null;
  email: string | null;
  active: boolean;
  employeeNumber: string | null;
  department: string | null;
  /** Null: the request said nothing about badges (kept as they are). */
  badges: BadgeEntry[] | null;
};

/** Id of a badge from its credential (the store's badge id: a prefix of the keyed hash). */
export type BadgeIdOf = (credential: Credential) => string;

/** Core attributes accepted and not kept. */
const DROPPED_CORE = new Set([
  'nickname',
  'profileurl',
  'title',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'phonenumbers',
  'addresses',
  'photos',
  'ims',
  'roles',
  'entitlements',
  'x509certificates',
  'password',
  'groups',
]);
const DROPPED_ENTERPRISE = new Set(['costcenter', 'organization', 'division', 'manager']);
const KNOWN_SCHEMAS = [USER_SCHEMA, ENTERPRISE_SCHEMA, RENTAL_SCHEMA].map((s) => s.toLowerCase());

export const displayNameOf = (s: UserState): string => {
  const n = s.name;
  const joined = [n?.givenName, n?.familyName].filter(Boolean).join(' ');
  return (s.displayName ?? n?.formatted ?? (joined || null) ?? s.userName).slice(0, LIMITS.displayName);
};

function emailFrom(list: Json[]): string | null {
  const entries = list.map((e, i) => {
    const k = keyMap(obj(e, `emails[${i}]`), `emails[${i}]`);
    const primary = k.has('primary') ? bool(k.get('primary')!, `emails[${i}].primary`) : false;
    const type = optStr(k.get('type'), `emails[${i}].type`, 40);
    return { value: optStr(k.get('value'), `emails[${i}].value`, LIMITS.email), primary, type };
  });
  const chosen =
    entries.find((e) => e.primary) ?? entries.find((e) => e.type?.toLowerCase() === 'work') ?? entries[0];
  const v = chosen?.value ?? null;
  if (v !== null && !/^[^\s@]+@[^\s@]+$/.test(v)) throw invalidValue('emails.value is not an email address');
  return v;
}

function badgesFrom(v: Json | undefined, badgeId: BadgeIdOf): BadgeEntry[] {
  const list = arr(v, 'badges', LIMITS.badges);
  const out: BadgeEntry[] = [];
  list.forEach((b, i) => {
    const entry = badgeFrom(b, i, badgeId);
    if (!out.some((o) => o.id === entry.id)) out.push(entry);
  });
  return out;
}

function badgeFrom(b: Json, i: number, badgeId: BadgeIdOf): BadgeEntry {
  // A bare string is a badge too: Entra ID and Okta send a custom extension attribute
  // mapped from a directory field (e.g. a card number) as a plain string.
  if (typeof b === 'string') {
    const credential = credentialOf(b, `badges[${i}]`);
    return { id: badgeId(credential), label: null, credential };
  }
  const k = keyMap(obj(b, `badges[${i}]`), `badges[${i}]`);
  const credential = credentialOf(k.get('value'), `badges[${i}].value`);
  return { id: badgeId(credential), label: optStr(k.get('label'), `badges[${i}].label`, 60), credential };
}

function credentialOf(v: Json | undefined, name: string): Credential {
  if (typeof v !== 'string' || v.length > 128) throw invalidValue(`${name} must be a badge credential`);
  const c = normalizeCredential(v);
  if (!c)
    throw invalidValue(
      `${name} is not a badge credential (nfc:<hex>, wiegand<bits>:<facility>:<card>, kbd:<digits>)`,
    );
  return c;
}

/** Check `schemas` and that every URN-keyed extension is one of ours and declared. */
function checkSchemas(keys: Map<string, Json>): void {
  const schemas = keys.get('schemas');
  if (!Array.isArray(schemas) || schemas.length === 0) throw invalidSyntax('schemas is missing');
  const lower = schemas.map((s) => {
    if (typeof s !== 'string') throw invalidSyntax('schemas must be strings');
    return s.toLowerCase();
  });
  const unknown = schemas.find((s, i) => !KNOWN_SCHEMAS.includes(lower[i]!));
  if (unknown !== undefined) throw invalidSyntax(`unknown schema ${String(unknown)}`);
  if (!lower.includes(USER_SCHEMA.toLowerCase())) throw invalidSyntax(`schemas must contain ${USER_SCHEMA}`);
}

/** One attribute write into the state; `op` decides add versus replace for multi-valued ones. */
function write(
  s: UserState,
  schema: Schema,
  attr: string,
  op: Op,
  value: Json | undefined,
  badgeId: BadgeIdOf,
  sub?: string,
): void {
  const removing = op === 'remove';
  if (schema === 'enterprise') {
    if (attr === 'employeenumber')
      s.employeeNumber = removing ? null : optStr(value, 'employeeNumber', LIMITS.text);
    else if (attr === 'department') s.department = removing ? null : optStr(value, 'department', LIMITS.text);
    else if (!DROPPED_ENTERPRISE.has(attr))
      throw invalidPath(`no attribute ${attr} in the enterprise extension`);
    return;
  }
  if (schema === 'rental') {
    if (attr === 'role') throw mutability('role is read-only: it comes from groups an admin maps to roles');
    if (attr !== 'badges') throw invalidPath(`no attribute ${attr} in ${RENTAL_SCHEMA}`);
    // null or "" (a directory field that was emptied) clears them, as remove does
    if (removing || value === null || value === '') s.badges = [];
    else {
      const incoming = badgesFrom(Array.isArray(value) ? value : [value as Json], badgeId);
      const base = op === 'add' ? (s.badges ?? []) : [];
      s.badges = [...base, ...incoming.filter((b) => !base.some((o) => o.id === b.id))];
      if (s.badges.length > LIMITS.badges) throw invalidValue(`more than ${LIMITS.badges} badges`);
    }
    return;
  }
  switch (attr) {
    case 'username':
      if (removing) throw invalidValue('userName is required');
      s.userName = str(value, 'userName', LIMITS.userName).normalize('NFKC'); // K (Kelvin) and K are one name
      return;
    case 'externalid':
      s.externalId = removing ? null : optStr(value, 'externalId', LIMITS.id);
      return;
    case 'displayname':
      s.displayName = removing ? null : optStr(value, 'displayName', LIMITS.displayName);
      return;
    case 'active':
      if (removing) throw invalidValue('active cannot be removed');
      s.active = bool(value, 'active');
      return;
    case 'name': {
      const n = s.name ?? { formatted: null, givenName: null, familyName: null };
      if (sub) {
        const v = removing ? null : optStr(value, `name.${sub}`, LIMITS.displayName);
        if (sub === 'formatted') n.formatted = v;
        else if (sub === 'givenname') n.givenName = v;
        else if (sub === 'familyname') n.familyName = v;
        else if (!['middlename', 'honorificprefix', 'honorificsuffix'].includes(sub))
          throw invalidPath(`no attribute name.${sub}`);
        s.name = n;
        return;
      }
      if (removing) {
        s.name = null;
        return;
      }
      const k = keyMap(obj(value, 'name'), 'name');
      for (const [key, v] of k) write(s, 'core', 'name', 'replace', v, badgeId, key);
      return;
    }
    case 'emails':
      if (removing) s.email = null;
      else if (sub) s.email = optStr(value, 'emails.value', LIMITS.email);
      else {
        const list = Array.isArray(value) ? value : [value as Json];
        arr(list, 'emails', LIMITS.emails);
        const email = emailFrom(list);
        // add keeps a present address unless the new one says it is primary
        if (op === 'replace' || s.email === null || email !== null) s.email = email ?? s.email;
      }
      return;
    case 'id':
    case 'meta':
    case 'schemas':
      // compared by the caller (an unchanged id is allowed, Okta echoes it)
      throw mutability(`${attr} is read-only`);
    default:
      if (!DROPPED_CORE.has(attr)) throw invalidPath(`no attribute ${attr}`);
  }
}

/** A POST or PUT body as a full state (PUT replaces: what is absent is cleared, except badges). */
export function userFromBody(body: Json, badgeId: BadgeIdOf, current?: UserState): UserState {
  if (!isObject(body)) throw invalidSyntax('the body must be a User object');
  const keys = keyMap(body, 'User');
  checkSchemas(keys);
  const s: UserState = {
    userName: '',
    externalId: null,
    displayName: null,
    name: null,
    email: null,
    // PUT without active leaves it as it was; POST without it makes an active person
    active: current?.active ?? true,
    employeeNumber: null,
    department: null,
    badges: null,
  };
  if (!keys.has('username')) throw invalidValue('userName is required');
  for (const [key, value] of keys) {
    if (key === 'schemas' || key === 'meta' || key === 'id' || key === 'groups') continue;
    if (key.startsWith('urn:')) {
      const split = splitUrn(key);
      if (!split) throw invalidSyntax(`unknown schema ${key}`);
      // An extension not listed in schemas is still read: some clients list only the core schema.
      if (split.rest) {
        write(s, split.schema, split.rest.toLowerCase(), 'replace', value, badgeId);
        continue;
      }
      for (const [k, v] of keyMap(obj(value, key), key)) write(s, split.schema, k, 'replace', v, badgeId);
      continue;
    }
    write(s, 'core', key, 'replace', value, badgeId);
  }
  return s;
}

/** Apply PATCH operations to a copy of the state. */
export function patchUser(
  state: UserState,
  ops: PatchOperation[],
  badgeId: BadgeIdOf,
  id: string,
): UserState {
  const s: UserState = structuredClone(state);
  for (const { op, path, value } of ops) {
    if (path) {
      applyPath(s, op, path, value, badgeId);
      continue;
    }
    // No path: the value is an object of attributes (Okta: {"active": false}).
    for (const [key, v] of keyMap(value as JsonObject, 'value')) {
      if (key === 'id') {
        if (v !== id) throw mutability('id is read-only');
        continue;
      }
      if (key === 'schemas' || key === 'meta') continue;
      if (key.startsWith('urn:')) {
        const split = splitUrn(key);
        if (!split) throw invalidPath(`unknown schema ${key}`);
        if (split.rest) write(s, split.schema, split.rest.toLowerCase(), op, v, badgeId);
        else for (const [k, x] of keyMap(obj(v, key), key)) write(s, split.schema, k, op, x, badgeId);
        continue;
      }
      write(s, 'core', key, op, v, badgeId);
    }
  }
  return s;
}

function applyPath(s: UserState, op: Op, path: Path, value: Json | undefined, badgeId: BadgeIdOf): void {
  if (path.filter) {
    const f = path.filter;
    if (path.schema === 'rental' && path.attr === 'badges' && f.attr === 'value') {
      if (typeof f.value !== 'string') throw invalidPath('badges[value eq ...] needs a string');
      const target = badgeId(credentialOf(f.value, 'badges[value]'));
      const has = (s.badges ?? []).some((b) => b.id === target);
      if (op === 'remove') {
        if (!has) throw noTarget('no such badge');
        s.badges = (s.badges ?? []).filter((b) => b.id !== target);
        return;
      }
      throw invalidPath('badges[value eq ...] can only be removed');
    }
    if (path.schema === 'core' && path.attr === 'emails' && (f.attr === 'type' || f.attr === 'primary')) {
      if (path.sub && path.sub !== 'value') throw invalidPath(`emails[...].${path.sub} is not kept`);
      if (op === 'remove') s.email = null;
      else if (path.sub) s.email = optStr(value, 'emails.value', LIMITS.email);
      else s.email = emailFrom([value as Json]);
      return;
    }
    if (path.schema === 'core' && DROPPED_CORE.has(path.attr)) return;
    throw invalidPath(`filter on ${path.attr} is not supported`);
  }
  if (path.sub && !(path.schema === 'core' && (path.attr === 'name' || path.attr === 'emails'))) {
    // manager.value and the like: accepted and dropped, as their attribute is
    if (path.schema === 'enterprise' && DROPPED_ENTERPRISE.has(path.attr)) return;
    if (path.schema === 'core' && DROPPED_CORE.has(path.attr)) return;
    throw invalidPath(`no attribute ${path.attr}.${path.sub}`);
  }
  write(s, path.schema, path.attr, op, value, badgeId, path.sub);
}

export type StoredUser = {
  id: string;
  userName: string;
  externalId: string | null;
  displayName: string;
  email: string | null;
  active: boolean;
  role: string;
  employeeNumber: string | null;
  department: string | null;
  createdAt: number | null;
  updatedAt: number | null;
};
export type StoredBadge = { id: string; label: string | null; hint: string | null };

/** The state of a stored person, for PATCH (its display name stands as explicit). */
export const stateOf = (u: StoredUser, badges: StoredBadge[]): UserState => ({
  userName: u.userName,
  externalId: u.externalId,
  displayName: u.displayName,
  name: null,
  email: u.email,
  active: u.active,
  employeeNumber: u.employeeNumber,
  department: u.department,
  badges: badges.map((b) => ({ id: b.id, label: b.label, credential: null })),
});

/** The SCIM representation (without meta, which the route adds). Badge values never leave. */
export function userResource(
  u: StoredUser,
  badges: StoredBadge[],
  groups: { id: string; displayName: string }[],
): JsonObject {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA, RENTAL_SCHEMA],
    id: u.id,
    ...(u.externalId !== null ? { externalId: u.externalId } : {}),
    userName: u.userName,
    displayName: u.displayName,
    name: { formatted: u.displayName },
    active: u.active,
    emails: u.email === null ? [] : [{ value: u.email, type: 'work', primary: true }],
    groups: groups.map((g) => ({ value: g.id, display: g.displayName })),
    [ENTERPRISE_SCHEMA]: {
      ...(u.employeeNumber !== null ? { employeeNumber: u.employeeNumber } : {}),
      ...(u.department !== null ? { department: u.department } : {}),
    },
    [RENTAL_SCHEMA]: {
      role: u.role,
      badges: badges.map((b) => ({ ...(b.label !== null ? { label: b.label } : {}), hint: b.hint })),
    },
  };
}
