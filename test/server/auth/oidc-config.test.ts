/** Single sign-on settings (server/auth/oidc/sso-config.ts) and the role rule (sign-in.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocol/config/resolve.ts';
import { loadSsoSettings, passwordAllowed } from '../../../server/auth/oidc/sso-config.ts';
import { groupsOf, identifyingValue, roleFromGroups } from '../../../server/auth/oidc/sign-in.ts';

const SERVER = 'https://rental.example.com';
const BASE = {
  RENTAL_SSO_ISSUER: 'https://login.example.com/tenant/v2.0',
  RENTAL_SSO_CLIENT_ID: 'client-1',
  RENTAL_SSO_CLIENT_SECRET: 'very-secret-value',
};
const load = (env: Record<string, string>) => loadSsoSettings(env, SERVER);
const refusal = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('single sign-on settings', () => {
  it('is off without an issuer, and passwords cannot be turned off then', () => {
    expect(load({})).toBeNull();
    expect(refusal({ RENTAL_SSO_PASSWORD_LOGIN: 'false' })).toMatch(/RENTAL_SSO_ISSUER/);
  });

  it('has safe defaults and the redirect URI from the server URL or the configured base', () => {
    const s = load(BASE)!;
    expect(s).toMatchObject({
      redirectUri: 'https://rental.example.com/v1/auth/oidc/callback',
      scopes: 'openid email profile',
      userClaim: 'email',
      provisioning: 'link',
      passwordLogin: true,
      requireMappedGroup: false,
      clockToleranceS: 30,
    });
    expect(s.groupRoles.size).toBe(0);
    expect(
      load({ ...BASE, RENTAL_SSO_REDIRECT_BASE_URL: 'https://intra.example.com/rental/' })!.redirectUri,
    ).toBe('https://intra.example.com/rental/v1/auth/oidc/callback');
  });

  it('needs the client id and secret, https away from loopback, openid in the scopes, never alg none', () => {
    expect(refusal({ ...BASE, RENTAL_SSO_CLIENT_SECRET: '' })).toMatch(/RENTAL_SSO_CLIENT_SECRET: required/);
    expect(refusal({ RENTAL_SSO_ISSUER: BASE.RENTAL_SSO_ISSUER, RENTAL_SSO_CLIENT_SECRET: 'x' })).toMatch(
      /RENTAL_SSO_CLIENT_ID/,
    );
    expect(refusal({ ...BASE, RENTAL_SSO_ISSUER: 'http://login.example.com' })).toMatch(/https/);
    expect(load({ ...BASE, RENTAL_SSO_ISSUER: 'http://127.0.0.1:4000' })!.issuer).toBe(
      'http://127.0.0.1:4000',
    );
    expect(refusal({ ...BASE, RENTAL_SSO_SCOPES: 'email profile' })).toMatch(/RENTAL_SSO_SCOPES/);
    expect(refusal({ ...BASE, RENTAL_SSO_ID_TOKEN_ALGS: 'RS256,none' })).toMatch(/none/);
    expect(refusal({ ...BASE, RENTAL_SSO_USER_CLAIM: 'upn' })).toMatch(/RENTAL_SSO_USER_CLAIM/);
  });

  it('never repeats the client secret in an error', () => {
    const secret = 'x'.repeat(5000);
    const message = refusal({ ...BASE, RENTAL_SSO_CLIENT_SECRET: secret });
    expect(message).toMatch(/RENTAL_SSO_CLIENT_SECRET/);
    expect(message).not.toContain('xxxxxxxx');
  });

  it('reads group=role pairs (names with spaces, GUIDs) and refuses an unknown role', () => {
    const s = load({
      ...BASE,
      RENTAL_SSO_GROUP_ROLES: ' Rental Admins = admin, 0f3c9b1e-2d4a-4c8e-9b7a-1e2f3a4b5c6d=staff ,',
    })!;
    expect([...s.groupRoles]).toEqual([
      ['Rental Admins', 'admin'],
      ['0f3c9b1e-2d4a-4c8e-9b7a-1e2f3a4b5c6d', 'staff'],
    ]);
    expect(refusal({ ...BASE, RENTAL_SSO_GROUP_ROLES: 'ops=root' })).toMatch(/RENTAL_SSO_GROUP_ROLES/);
    // The highest mapped role wins; unmapped groups count for nothing.
    expect(roleFromGroups(s, ['everyone', '0f3c9b1e-2d4a-4c8e-9b7a-1e2f3a4b5c6d', 'Rental Admins'])).toBe(
      'admin',
    );
    expect(roleFromGroups(s, ['everyone'])).toBeNull();
    expect(groupsOf({ groups: 'one' }, 'groups')).toEqual(['one']);
    expect(groupsOf({ groups: ['a', 3, 'b'] }, 'groups')).toEqual(['a', 'b']);
  });

  it('takes an email only when the provider does not say it is unverified', () => {
    const s = load(BASE)!;
    expect(identifyingValue(s, { sub: 's', email: 'a@example.com' })).toBe('a@example.com');
    expect(identifyingValue(s, { sub: 's', email: 'a@example.com', email_verified: true })).toBe(
      'a@example.com',
    );
    expect(identifyingValue(s, { sub: 's', email: 'a@example.com', email_verified: false })).toBeUndefined();
  });

  it('reads the sso section of the config file, with the environment over it', () => {
    const file = (section: unknown) => ({ path: 'rental.config.json (sso)', section });
    const section = {
      issuer: BASE.RENTAL_SSO_ISSUER,
      clientId: 'from-file',
      clientSecret: 'file-secret',
      provisioning: 'jit',
      passwordLogin: false,
      breakGlassEmails: 'root@example.com',
    };
    const s = loadSsoSettings({ RENTAL_SSO_CLIENT_ID: 'from-env' }, SERVER, file(section))!;
    expect(s).toMatchObject({ clientId: 'from-env', clientSecret: 'file-secret', provisioning: 'jit' });
    expect(s.passwordLogin).toBe(false);
    expect(() => loadSsoSettings({}, SERVER, file({ ...section, provisioning: 'auto' }))).toThrow(
      /rental\.config\.json \(sso\)/,
    );
  });

  it('refuses passwords off without a break-glass admin, who could sign in when the provider cannot', () => {
    expect(() => load({ ...BASE, RENTAL_SSO_PASSWORD_LOGIN: 'false' })).toThrow(
      /RENTAL_SSO_BREAK_GLASS_EMAILS/,
    );
    expect(() =>
      load({ ...BASE, RENTAL_SSO_PASSWORD_LOGIN: 'false', RENTAL_SSO_BREAK_GLASS_EMAILS: ' , ' }),
    ).toThrow(/at least one/);
  });

  it('lets only break-glass emails use a password when passwords are off', () => {
    const s = load({
      ...BASE,
      RENTAL_SSO_PASSWORD_LOGIN: 'false',
      RENTAL_SSO_BREAK_GLASS_EMAILS: 'Root@Example.com , ops@example.com',
    })!;
    expect(passwordAllowed(s, ' root@example.COM')).toBe(true);
    expect(passwordAllowed(s, 'staff@example.com')).toBe(false);
    expect(passwordAllowed(load(BASE), 'staff@example.com')).toBe(true);
    expect(passwordAllowed(null, 'anyone@example.com')).toBe(true);
  });
});
