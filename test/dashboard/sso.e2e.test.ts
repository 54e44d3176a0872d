/**
 * Single sign-on in real Chromium (issue 20): the dashboard's sign-in page with the
 * provider's button (passwords off but for the break-glass administrator), a click through
 * to a real OpenID provider (oidc-provider on 127.0.0.1, test/server/auth/oidc-fixture.ts),
 * its sign-in page, and back to the dashboard signed in; then a cancelled sign-in and a
 * person the server does not know, each shown on the sign-in page in words. Screenshots at
 * 1366x768 in Korean and English go to test/artifacts/dashboard/ (sso-*.png).
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../server/app.ts';
import { loadSsoSettings } from '../../server/auth/oidc/sso-config.ts';
import { createServerDeps } from '../../server/create-server.ts';
import type { ServerDeps } from '../../server/deps.ts';
import { startProvider, type TestProvider } from '../server/auth/oidc-fixture.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(skip)('single sign-on in Chromium', () => {
  let idp: TestProvider;
  let deps: ServerDeps;
  let app: App;
  let dir: string;
  let url: string;
  let chromium: LaunchedBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The provider at another site (localhost vs 127.0.0.1), as in real life: the way back
    // is a cross-site navigation, on which only the Lax binding cookie travels.
    idp = await startProvider({
      hostname: 'localhost',
      redirectUris: [`${url}/v1/auth/oidc/callback`],
      accounts: {
        'kim.jimin': {
          email: 'jimin.kim@example.com',
          email_verified: true,
          name: '김지민',
          groups: ['rental-staff'],
        },
        stranger: {
          email: 'stranger@example.com',
          email_verified: true,
          name: 'Stranger',
          groups: ['rental-staff'],
        },
      },
    });
    const sso = loadSsoSettings(
      {
        RENTAL_SSO_ISSUER: idp.issuer,
        RENTAL_SSO_CLIENT_ID: idp.clientId,
        RENTAL_SSO_CLIENT_SECRET: idp.clientSecret,
        RENTAL_SSO_SCOPES: 'openid email profile groups',
        RENTAL_SSO_PROVIDER_NAME: 'Example Corp',
        RENTAL_SSO_GROUP_ROLES: 'rental-admins=admin,rental-staff=staff',
        RENTAL_SSO_PASSWORD_LOGIN: 'false',
        RENTAL_SSO_BREAK_GLASS_EMAILS: 'root@example.com',
      },
      url,
    );
    dir = mkdtempSync(join(tmpdir(), 'rental-sso-e2e-'));
    deps = await createServerDeps({ dataDir: dir, issuer: url, sso });
    await deps.store.createUser({
      email: 'jimin.kim@example.com',
      displayName: '김지민',
      role: 'member',
      active: true,
      passwordHash: null,
    });
    app = build(deps);
    await app.listen({ host: '127.0.0.1', port });
    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
    await deps?.close();
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the provider button, and the password form only behind the administrator link', async () => {
    await page.goto(`${url}/dashboard/`);
    const button = page.getByRole('link', { name: 'Sign in with Example Corp' });
    await button.waitFor();
    await expect(page.locator('input[name=password]').count()).resolves.toBe(0);
    await shot(page, SUITE, 'sso-01-login-en');
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('link', { name: 'Example Corp 계정으로 로그인' }).waitFor();
    await shot(page, SUITE, 'sso-01-login-ko');
    await page.getByRole('button', { name: '관리자 비밀번호 로그인' }).click();
    await page.locator('input[name=password]').waitFor();
    await shot(page, SUITE, 'sso-02-admin-password-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('signs in at the provider and lands on the dashboard signed in, with the role from the groups', async () => {
    await page.goto(`${url}/dashboard/`);
    await page.getByRole('link', { name: 'Sign in with Example Corp' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.fill('input[name=login]', 'kim.jimin');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${url}/dashboard/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await expect(page.getByTestId('me').textContent()).resolves.toBe('김지민 · Staff');
    const cookies = await context.cookies(url);
    expect(cookies.find((c) => c.name === 'rental_at')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'rental_oidc')).toBeUndefined();
    await page.getByTestId('sign-out').click();
    await page.getByRole('link', { name: 'Sign in with Example Corp' }).waitFor();
  });

  it('shows a cancelled sign-in and an unknown person in words on the sign-in page', async () => {
    // A fresh browser: the provider would otherwise sign the last person in again at once.
    await context.close();
    context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    await page.goto(`${url}/dashboard/`);
    await page.getByRole('link', { name: 'Sign in with Example Corp' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${url}/dashboard/`);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Sign-in was cancelled');
    // The code is taken off the address bar once shown.
    expect(page.url()).toBe(`${url}/dashboard/`);

    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('link', { name: 'Example Corp 계정으로 로그인' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.fill('input[name=login]', 'stranger');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${url}/dashboard/`);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      '이 계정으로 등록된 사용자가 없습니다. 관리자에게 등록을 요청해 주세요',
    );
    await shot(page, SUITE, 'sso-03-refused-ko');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'No one is registered here for this account. Ask your administrator to add you',
    );
    await shot(page, SUITE, 'sso-03-refused-en');
  });
});
