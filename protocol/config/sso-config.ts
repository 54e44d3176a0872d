/**
 * Single sign-on (OpenID Connect) settings of the server (issue 20): the `sso` section of the
 * config file, or RENTAL_SSO_* variables. Off unless an issuer is given. The README's
 * "Single sign-on (OpenID Connect)" section explains each one to the administrator.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Strict } from '../wire/common.ts';
import type { EnvBinding } from './resolve.ts';

const Url = Type.String({ pattern: '^https?://[^\\s?#]+$', maxLength: 2048 });

export const SsoConfigSchema = Strict({
  /** The provider's issuer, exactly as its discovery document states it. */
  issuer: Type.Optional(Url),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  /** A secret: never logged, never repeated in an error. */
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  /** The server's public URL as browsers reach it; the redirect URI is this + /v1/auth/oidc/callback. */
  redirectBaseUrl: Type.Optional(Type.String({ pattern: '^https?://[^/\\s?#]+(/[^\\s?#]*)?$' })),
  /** Space-separated; must include openid. */
  scopes: Type.String({ pattern: '(^|\\s)openid(\\s|$)', maxLength: 1024 }),
  /** Shown on the button: "Sign in with <providerName>". */
  providerName: Type.String({ minLength: 1, maxLength: 60 }),
  /** Which claim names the person here. */
  userClaim: Type.Union([Type.Literal('email'), Type.Literal('sub'), Type.Literal('preferred_username')]),
  groupsClaim: Type.String({ minLength: 1, maxLength: 200 }),
  /** `group=role` pairs, comma-separated (role: admin, staff or member). Empty: roles are kept as set here. */
  groupRoles: Type.String({
    maxLength: 8192,
    pattern: '^\\s*([^=,]+=\\s*(admin|staff|member)\\s*(,|$)\\s*)*$',
  }),
  /** Refuse a sign-in whose groups map to no role (instead of making the person a member). */
  requireMappedGroup: Type.Boolean(),
  /** `link`: only people who exist here may sign in; `jit`: a first sign-in creates the person. */
  provisioning: Type.Union([Type.Literal('link'), Type.Literal('jit')]),
  /** False: only the break-glass emails may sign in with a password. */
  passwordLogin: Type.Boolean(),
  /** Comma-separated emails that keep password sign-in when passwordLogin is false. */
  breakGlassEmails: Type.String({ maxLength: 4096 }),
  /** How the client authenticates at the token endpoint; unset: what the provider supports, basic first. */
  tokenAuthMethod: Type.Optional(
    Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post')]),
  ),
  /**
   * ID token algorithms accepted, comma-separated; unset: the provider's asymmetric ones.
   * `none` is never accepted; HS256/384/512 (keyed with the client secret) only when listed here.
   */
  idTokenAlgs: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]+(\\s*,\\s*[A-Za-z0-9]+)*$' })),
  clockToleranceS: Type.Integer({ minimum: 0, maximum: 300 }),
});
export type SsoConfigInput = Static<typeof SsoConfigSchema>;

export const SSO_DEFAULTS: SsoConfigInput = {
  scopes: 'openid email profile',
  providerName: 'SSO',
  userClaim: 'email',
  groupsClaim: 'groups',
  groupRoles: '',
  requireMappedGroup: false,
  provisioning: 'link',
  passwordLogin: true,
  breakGlassEmails: '',
  clockToleranceS: 30,
};

export const SSO_ENV: EnvBinding[] = [
  { key: 'issuer', env: 'RENTAL_SSO_ISSUER', kind: 'string' },
  { key: 'clientId', env: 'RENTAL_SSO_CLIENT_ID', kind: 'string' },
  { key: 'clientSecret', env: 'RENTAL_SSO_CLIENT_SECRET', kind: 'string', secret: true },
  { key: 'redirectBaseUrl', env: 'RENTAL_SSO_REDIRECT_BASE_URL', kind: 'string' },
  { key: 'scopes', env: 'RENTAL_SSO_SCOPES', kind: 'string' },
  { key: 'providerName', env: 'RENTAL_SSO_PROVIDER_NAME', kind: 'string' },
  { key: 'userClaim', env: 'RENTAL_SSO_USER_CLAIM', kind: 'string' },
  { key: 'groupsClaim', env: 'RENTAL_SSO_GROUPS_CLAIM', kind: 'string' },
  { key: 'groupRoles', env: 'RENTAL_SSO_GROUP_ROLES', kind: 'string' },
  { key: 'requireMappedGroup', env: 'RENTAL_SSO_REQUIRE_MAPPED_GROUP', kind: 'boolean' },
  { key: 'provisioning', env: 'RENTAL_SSO_PROVISIONING', kind: 'string' },
  { key: 'passwordLogin', env: 'RENTAL_SSO_PASSWORD_LOGIN', kind: 'boolean' },
  { key: 'breakGlassEmails', env: 'RENTAL_SSO_BREAK_GLASS_EMAILS', kind: 'string' },
  { key: 'tokenAuthMethod', env: 'RENTAL_SSO_TOKEN_AUTH_METHOD', kind: 'string' },
  { key: 'idTokenAlgs', env: 'RENTAL_SSO_ID_TOKEN_ALGS', kind: 'string' },
  { key: 'clockToleranceS', env: 'RENTAL_SSO_CLOCK_TOLERANCE_S', kind: 'integer' },
];
