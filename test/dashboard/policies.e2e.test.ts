/**
 * The dashboard's Lending rules page (issue 16) in real Chromium against a real server with
 * the demo's rules: an admin sees the default rule, hours, closed days, rules by category
 * and role and the suspensions; a reversed opening time is refused in the person's language
 * and nothing is saved; a closed day and a rule are added and saved whole. Screenshots at
 * 1366x768 in English and Korean go to test/artifacts/dashboard/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoliciesResponse } from '../../protocol/index.ts';
import { DEMO_ADMIN, DEMO_PEOPLE, demoPolicies } from '../../server/seed/demo.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

describe.skipIf(skip)('lending rules page in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    await store.putPolicies(demoPolicies(Date.parse('2026-12-03T01:00:00.000Z')));
    const seoyeon = await store.findUserByEmail(DEMO_PEOPLE[1].email);
    await store.setSuspension(seoyeon!.id, { until: '2026-12-14', note: '카메라 파손 후 점검 중' });
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-US',
    });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.dispose();
  });

  const policiesNow = async () => {
    const res = await fetch(`${server.url}/v1/admin/policies`, {
      headers: { authorization: `Bearer ${await server.adminToken()}` },
    });
    return (await res.json()) as PoliciesResponse;
  };

  it('shows the rules, hours, closed days and suspensions (English)', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.fill('input[name=email]', DEMO_ADMIN.email);
    await page.fill('input[name=password]', DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Lending rules', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Lending rules' }).waitFor();
    await page.getByTestId('rules').waitFor();
    await expect(page.getByTestId('closed-days').textContent()).resolves.toContain('2026-12-25');
    await expect(page.getByTestId('rules').locator('tr[data-rule]').count()).resolves.toBe(3);
    await page.getByTestId('suspensions').getByText(DEMO_PEOPLE[1].displayName).waitFor();
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '20-policies-en');
    await page.getByTestId('rules').scrollIntoViewIfNeeded();
    await shot(page, SUITE, '20-policies-rules-en');
  });

  it('refuses reversed hours in words, saving nothing; saves a new closed day and rule whole', async () => {
    const monday = page.getByTestId('hours').locator('tr[data-day="1"]');
    await monday.getByLabel('Closes').fill('08:00');
    await page.getByTestId('save-policies').click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toBe(
      'Closing time must be later than opening time',
    );
    expect((await policiesNow()).policies.hours![1]).toEqual({ open: '09:00', close: '18:00' });

    await monday.getByLabel('Closes').fill('18:30');
    await page.getByTestId('new-closed-day').fill('2027-05-05');
    await page.getByRole('button', { name: 'Add closed day' }).click();
    await page.getByTestId('add-rule').click();
    const added = page.getByTestId('rules').locator('tr[data-rule="3"]');
    await added.getByLabel('Category', { exact: true }).fill('태블릿 Tablets');
    await added.getByLabel('Loan period (days)', { exact: true }).fill('3');
    await page.getByTestId('save-policies').click();
    await page.getByTestId('policies-saved').waitFor();
    const saved = (await policiesNow()).policies;
    expect(saved.closedDays).toContain('2027-05-05');
    expect(saved.hours![1]).toEqual({ open: '09:00', close: '18:30' });
    expect(saved.rules).toContainEqual({ category: '태블릿 Tablets', role: null, loanDays: 3 });
  });

  it('reads in Korean', async () => {
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { level: 1, name: '대여 규칙' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '20-policies-ko');
    await page.getByTestId('rules').scrollIntoViewIfNeeded();
    await shot(page, SUITE, '20-policies-rules-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('keeps an edit of its own when another admin saves meanwhile, and refuses to save over theirs', async () => {
    // Found by an attack on the API: two saves from one snapshot both succeeded and the first
    // change was gone. And every live change (a borrow anywhere) reloaded the page's draft.
    const mine = page.getByTestId('block-overdue');
    const before = (await policiesNow()).policies;
    await mine.click();
    const other = await page.context().newPage();
    await other.goto(`${server.url}/dashboard/`);
    await other.getByRole('link', { name: 'Lending rules', exact: true }).click();
    await other.getByTestId('new-closed-day').fill('2027-06-06');
    await other.getByRole('button', { name: 'Add closed day' }).click();
    await other.getByTestId('save-policies').click();
    await other.getByTestId('policies-saved').waitFor();
    await other.close();
    // The live change reached this page: its own edit stays, and it is told before saving.
    const told =
      'Someone else saved the lending rules meanwhile. Reload to see their change, then make yours again';
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 8_000 }).toBe(told);
    expect(await mine.isChecked()).toBe(!before.blockOverdue);
    await shot(page, SUITE, '21-policies-overtaken-en');
    await page.getByTestId('save-policies').click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe(told);
    const now = (await policiesNow()).policies;
    expect(now.closedDays).toContain('2027-06-06');
    expect(now.blockOverdue).toBe(before.blockOverdue);
  });
});
