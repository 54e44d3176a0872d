/**
 * Admin wire shapes for connecting the organisation's directory (SCIM provisioning): the
 * provisioning tokens (the secret leaves once, in the answer that makes it) and the groups
 * the directory sent, each of which an admin may map to a role.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Role, Strict, Timestamp } from './common.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ScimTokenInfo = Strict({
  id: Id,
  name: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export type ScimTokenInfo = Static<typeof ScimTokenInfo>;

export const ScimTokensResponse = Strict({
  tokens: Type.Array(ScimTokenInfo),
  /** Where the directory sends its requests: `<server>/scim/v2`. */
  baseUrl: Type.String(),
});
export type ScimTokensResponse = Static<typeof ScimTokensResponse>;

export const CreateScimTokenRequest = Strict({
  name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
});
export type CreateScimTokenRequest = Static<typeof CreateScimTokenRequest>;

export const CreateScimTokenResponse = Strict({ token: ScimTokenInfo, secret: Type.String() });
export type CreateScimTokenResponse = Static<typeof CreateScimTokenResponse>;

export const ScimTokenResponse = Strict({ token: ScimTokenInfo });
export type ScimTokenResponse = Static<typeof ScimTokenResponse>;

export const DirectoryGroup = Strict({
  id: Id,
  displayName: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Role, Type.Null()]),
  members: Type.Integer(),
});
export type DirectoryGroup = Static<typeof DirectoryGroup>;

export const DirectoryGroupsResponse = Strict({ groups: Type.Array(DirectoryGroup) });
export type DirectoryGroupsResponse = Static<typeof DirectoryGroupsResponse>;

export const SetGroupRoleRequest = Strict({ role: Type.Union([Role, Type.Null()]) });
export type SetGroupRoleRequest = Static<typeof SetGroupRoleRequest>;

export const DirectoryGroupResponse = Strict({ group: DirectoryGroup });
export type DirectoryGroupResponse = Static<typeof DirectoryGroupResponse>;
