/**
 * Connecting a directory in real Chromium (issue 20): an admin opens the Directory page,
 * makes a provisioning token (shown once), a SCIM client (test/fixtures/scim-client.ts, over
 * HTTP) provisions people with employee numbers and a group with it, the admin gives the
 * group a role, the People page tells people apart by employee number and department, and a
 * revoked token is refused. Screenshots at 1366x768 in Korean and English go to
 * test/artifacts/dashboard/ (directory-*.png).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createServerDeps } from '../../server/create-server.ts';
import type { ServerDeps } from '../../server/deps.ts';
import { fetchTransport, scimClient } from '../fixtures/scim-client.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const ADMIN = { email: 'it@example.com', password: 'correct horse battery' };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(skip)('directory (SCIM) page in Chromium', () => {
  let deps: ServerDeps;
  let app: App;
  let dir: string;
  let url: string;
  let chromium: LaunchedBrowser;
  let context: BrowserContext;
  let page: Page;
  let secret = '';

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'rental-scim-e2e-'));
    deps = await createServerDeps({ dataDir: dir, issuer: url });
    await deps.store.createUser({
      email: ADMIN.email,
      displayName: 'IT 관리자',
      role: 'admin',
      active: true,
      passwordHash: await hashPassword(ADMIN.password, { N: 2 ** 10, r: 8, p: 1 }),
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes a provisioning token, shown once', async () => {
    await page.goto(`${url}/dashboard/`);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
    await expect(page.getByTestId('scim-base-url').textContent()).resolves.toContain(`${url}/scim/v2`);
    await page.getByRole('button', { name: 'New token' }).click();
    await page.fill('input[name=tokenName]', 'Microsoft Entra ID');
    await page.getByRole('button', { name: 'Create' }).click();
    const once = page.getByTestId('scim-token-once');
    await once.waitFor();
    secret = ((await once.locator('.code').textContent()) ?? '').trim();
    expect(secret).toMatch(/^rscim_/);
    await shot(page, SUITE, 'directory-01-token-en');
  });

  it('shows what the directory sent; a group given a role makes its members staff', async () => {
    const scim = scimClient(fetchTransport(url), secret);
    const jimin = await scim.entraProvision({
      userName: 'jimin.kim@example.com',
      email: 'jimin.kim@example.com',
      displayName: '김지민',
      employeeNumber: 'E-20417',
      department: '재료공학과',
      badges: [{ value: 'nfc:04a2197c' }],
    });
    const other = await scim.entraProvision({
      userName: 'jimin.kim2@example.com',
      email: 'jimin.kim2@example.com',
      displayName: '김지민',
      employeeNumber: 'E-31108',
      department: '전자공학과',
    });
    const group = (await scim.createGroup('Equipment Room Staff', [jimin.id, other.id])).body as {
      id: string;
    };
    await scim.createGroup('All Students');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
    const row = page.locator(`[data-group="${group.id}"]`);
    await row.waitFor();
    await expect(page.locator('[data-testid=scim-tokens] tbody tr').count()).resolves.toBe(1);
    await row.getByRole('combobox').selectOption('staff');
    await expect.poll(async () => (await deps.store.findUserById(jimin.id))?.role).toBe('staff');
    await shot(page, SUITE, 'directory-02-groups-en');
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { level: 1, name: '디렉터리 연동' }).waitFor();
    await shot(page, SUITE, 'directory-02-groups-ko');

    // Two people of one name, told apart by employee number and department.
    await page.getByRole('link', { name: '사용자' }).click();
    const people = page.getByTestId('people');
    await people.getByText('E-20417 · 재료공학과').waitFor();
    await people.getByText('E-31108 · 전자공학과').waitFor();
    await shot(page, SUITE, 'directory-03-people-ko');
    await page.getByRole('button', { name: 'English' }).click();
    await people.getByText('E-20417 · 재료공학과').click();
    await page.getByTestId('person-org').waitFor();
    await shot(page, SUITE, 'directory-03-person-en');
  });

  it('revokes the token: the directory is refused at once', async () => {
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.getByTestId('scim-tokens').getByRole('button', { name: 'Revoke' }).click();
    // The dashboard asks in its own dialog, saying what revoking does.
    const ask = page.getByTestId('ask');
    expect(await ask.textContent()).toContain('A directory using it is cut off at once.');
    await ask.getByRole('button', { name: 'Revoke' }).click();
    await page.locator('[data-testid=scim-tokens] .chip.muted').waitFor();
    const scim = scimClient(fetchTransport(url), secret);
    expect((await scim.request('GET', '/Users')).status).toBe(401);
    await shot(page, SUITE, 'directory-04-revoked-en');
  });
});
