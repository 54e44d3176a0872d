/**
 * The part of the store port that SCIM provisioning uses (server/scim): people as the
 * organisation's directory sees them, its groups and their members, and the bearer tokens
 * of provisioning clients (kept only as hashes). It maps rows; what a change means (roles
 * from groups, deactivation, delete versus detach) is decided in server/scim. Composed into Store.
 */
import type { Role } from '../../protocol/index.ts';
import type { UserRecord } from './store.ts';

/** A person with the attributes a directory provides. */
export type DirectoryUser = UserRecord & {
  userName: string | null;
  externalId: string | null;
  employeeNumber: string | null;
  department: string | null;
  source: 'local' | 'scim';
  createdAt: number | null;
  updatedAt: number | null;
};

/** What SCIM writes of a person (display name, email, active, role live in UserRecord). */
export type DirectoryFields = {
  displayName: string;
  email: string | null;
  active: boolean;
  userName: string;
  externalId: string | null;
  employeeNumber: string | null;
  department: string | null;
};

/** `userName` compares case-insensitively (RFC 7643 2.2: caseExact false); `externalId` exactly. */
export type DirectoryUserFilter = { userName?: string; externalId?: string };
export type GroupFilter = { displayName?: string; externalId?: string };
/** SCIM paging: `offset` is startIndex - 1. */
export type Page = { offset: number; limit: number };

export type ScimGroupRecord = {
  id: string;
  displayName: string;
  externalId: string | null;
  /** The role its members get (the highest of a person's groups wins); null: none. */
  role: Role | null;
  createdAt: number;
  updatedAt: number;
};

export type ScimTokenRecord = {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

export interface ScimStore {
  // people (only source 'scim' ones are the directory's)
  findDirectoryUser(id: string): Promise<DirectoryUser | null>;
  /** Anyone with this userName, whatever their source (for uniqueness). */
  findUserByUserName(userName: string): Promise<DirectoryUser | null>;
  directoryUsers(filter: DirectoryUserFilter, page: Page): Promise<{ total: number; users: DirectoryUser[] }>;
  /** A new person owned by the directory. Throws AppError ALREADY_EXISTS on a taken email or userName. */
  createDirectoryUser(id: string, fields: DirectoryFields, role: Role, now: number): Promise<DirectoryUser>;
  /** Make an existing (local) person the directory's. Throws AppError ALREADY_EXISTS as above. */
  adoptUser(id: string, fields: DirectoryFields, now: number): Promise<DirectoryUser>;
  /** Throws AppError ALREADY_EXISTS on a taken email or userName. */
  updateDirectoryUser(id: string, fields: DirectoryFields, now: number): Promise<void>;
  setUserRole(id: string, role: Role, now: number): Promise<void>;
  /** Loans or kiosk transactions name this person: their record must stay. */
  hasHistory(userId: string): Promise<boolean>;
  /**
   * The directory lets go of a person who has history: inactive, no userName or externalId
   * (so the name can be given again), no badges, no groups, source 'local'.
   */
  detachUser(id: string, now: number): Promise<void>;
  /** Remove a person with no history, with their badges, groups, sessions and sign-on links. */
  deleteUserWithoutHistory(id: string): Promise<void>;

  // groups
  findScimGroup(id: string): Promise<ScimGroupRecord | null>;
  findScimGroupByName(displayName: string): Promise<ScimGroupRecord | null>;
  scimGroups(filter: GroupFilter, page: Page): Promise<{ total: number; groups: ScimGroupRecord[] }>;
  /** Throws AppError ALREADY_EXISTS on a taken displayName. */
  createScimGroup(
    g: { id: string; displayName: string; externalId: string | null },
    now: number,
  ): Promise<ScimGroupRecord>;
  /** Throws AppError ALREADY_EXISTS on a taken displayName. */
  updateScimGroup(
    id: string,
    g: { displayName: string; externalId: string | null },
    now: number,
  ): Promise<void>;
  setScimGroupRole(id: string, role: Role | null, now: number): Promise<boolean>;
  deleteScimGroup(id: string): Promise<boolean>;
  groupMembers(groupId: string): Promise<{ id: string; displayName: string }[]>;
  addGroupMembers(groupId: string, userIds: string[]): Promise<void>;
  removeGroupMembers(groupId: string, userIds: string[]): Promise<void>;
  groupsOfUser(userId: string): Promise<{ id: string; displayName: string; role: Role | null }[]>;

  // provisioning tokens
  createScimToken(
    t: { id: string; name: string; tokenHash: string; createdBy: string | null },
    now: number,
  ): Promise<ScimTokenRecord>;
  scimTokens(): Promise<ScimTokenRecord[]>;
  /** A token that is not revoked, by the hash of what the client presented. */
  findLiveScimToken(tokenHash: string): Promise<ScimTokenRecord | null>;
  touchScimToken(id: string, now: number): Promise<void>;
  revokeScimToken(id: string, now: number): Promise<boolean>;
}
