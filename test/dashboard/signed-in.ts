/**
 * The dashboard in Chromium, signed in as the demo admin at 1366x768: the start of most
 * dashboard suites. The browser's own dialogs (alert, confirm, prompt) must never open — the
 * dashboard asks in its own — so any that does is dismissed and recorded in `dialogs` for the
 * suite to assert empty.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../server/seed/demo.ts';
import type { LaunchedBrowser } from '../support/chromium.ts';

export type DashboardLocale = 'ko-KR' | 'en-US';

const WORDS = {
  'ko-KR': { signIn: '로그인', overview: '개요' },
  'en-US': { signIn: 'Sign in', overview: 'Overview' },
};

/** Signs a page in with the demo admin's password and waits for the overview. */
export async function signIn(page: Page, baseUrl: string, locale: DashboardLocale = 'ko-KR') {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.fill('input[name=email]', DEMO_ADMIN.email);
  await page.fill('input[name=password]', DEMO_ADMIN.password);
  await page.getByRole('button', { name: WORDS[locale].signIn }).click();
  await page.getByRole('heading', { level: 1, name: WORDS[locale].overview }).waitFor();
}

export async function signedInPage(
  chromium: LaunchedBrowser,
  baseUrl: string,
  opts: { locale?: DashboardLocale; dialogs?: string[]; acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const locale = opts.locale ?? 'ko-KR';
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale,
    ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    opts.dialogs?.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await signIn(page, baseUrl, locale);
  return { context, page };
}
