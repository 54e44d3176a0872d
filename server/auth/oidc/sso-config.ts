/**
 * Reads the single sign-on settings (protocol/config/sso-config.ts) and turns them into what
 * the sign-in code uses: the redirect URI, the group -> role map, the break-glass emails.
 * Null when no issuer is configured (single sign-on off, passwords as before).
 */
import { ConfigError, resolveConfig } from '../../../protocol/config/resolve.ts';
import { SSO_DEFAULTS, SSO_ENV, SsoConfigSchema } from '../../../protocol/config/sso-config.ts';
import type { Role } from '../../../protocol/index.ts';

export const OIDC_CALLBACK_PATH = '/v1/auth/oidc/callback';
export const OIDC_START_PATH = '/v1/auth/oidc/start';

export type SsoSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
  providerName: string;
  userClaim: 'email' | 'sub' | 'preferred_username';
  groupsClaim: string;
  /** Empty: roles are not taken from the provider. */
  groupRoles: Map<string, Role>;
  requireMappedGroup: boolean;
  provisioning: 'link' | 'jit';
  passwordLogin: boolean;
  /** Lower-cased. */
  breakGlassEmails: Set<string>;
  tokenAuthMethod: 'client_secret_basic' | 'client_secret_post' | undefined;
  idTokenAlgs: string[] | undefined;
  clockToleranceS: number;
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function requireHttps(name: string, url: string) {
  const u = new URL(url);
  // Plain http only on loopback (development, tests): elsewhere codes and tokens would travel in clear.
  if (u.protocol !== 'https:' && !LOOPBACK.has(u.hostname))
    throw new ConfigError(`${name}: must be an https:// URL (got "${url}")`);
}

export function parseGroupRoles(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.lastIndexOf('=');
    map.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim() as Role);
  }
  return map;
}

export function loadSsoSettings(
  env: Record<string, string | undefined>,
  serverIssuer: string,
  file?: { path: string; section: unknown },
): SsoSettings | null {
  const c = resolveConfig({
    schema: SsoConfigSchema,
    defaults: SSO_DEFAULTS,
    ...(file ? { file } : {}),
    env,
    bindings: SSO_ENV,
  });
  if (!c.issuer) {
    if (!c.passwordLogin)
      throw new ConfigError(
        'RENTAL_SSO_PASSWORD_LOGIN=false needs single sign-on (RENTAL_SSO_ISSUER) configured',
      );
    return null;
  }
  if (!c.clientId) throw new ConfigError('RENTAL_SSO_CLIENT_ID: required when RENTAL_SSO_ISSUER is set');
  if (!c.clientSecret)
    throw new ConfigError('RENTAL_SSO_CLIENT_SECRET: required when RENTAL_SSO_ISSUER is set');
  requireHttps('RENTAL_SSO_ISSUER', c.issuer);
  const base = (c.redirectBaseUrl ?? serverIssuer).replace(/\/+$/, '');
  requireHttps('RENTAL_SSO_REDIRECT_BASE_URL', base);
  if (!c.passwordLogin && !c.breakGlassEmails.split(',').some((e) => e.trim()))
    // Without one, a provider that is down or misconfigured locks every admin out.
    throw new ConfigError(
      'RENTAL_SSO_PASSWORD_LOGIN=false needs at least one RENTAL_SSO_BREAK_GLASS_EMAILS admin who can still sign in with a password',
    );
  const algs = c.idTokenAlgs?.split(',').map((a) => a.trim());
  if (algs?.some((a) => a.toLowerCase() === 'none'))
    throw new ConfigError('RENTAL_SSO_ID_TOKEN_ALGS: "none" is never accepted');
  return {
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    redirectUri: `${base}${OIDC_CALLBACK_PATH}`,
    scopes: c.scopes.trim().split(/\s+/).join(' '),
    providerName: c.providerName,
    userClaim: c.userClaim,
    groupsClaim: c.groupsClaim,
    groupRoles: parseGroupRoles(c.groupRoles),
    requireMappedGroup: c.requireMappedGroup,
    provisioning: c.provisioning,
    passwordLogin: c.passwordLogin,
    breakGlassEmails: new Set(
      c.breakGlassEmails
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
    tokenAuthMethod: c.tokenAuthMethod,
    idTokenAlgs: algs,
    clockToleranceS: c.clockToleranceS,
  };
}

/** Whether this email may sign in with a password under these settings. */
export function passwordAllowed(sso: SsoSettings | null | undefined, email: string): boolean {
  return !sso || sso.passwordLogin || sso.breakGlassEmails.has(email.trim().toLowerCase());
}
