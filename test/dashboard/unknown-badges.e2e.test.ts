/**
 * The unknown-badge panel on a person's detail in real Chromium (issue 17, "Lists that
 * scale"): 23 badges tapped at two kiosks show 10 at a time, newest first; Next and Previous
 * walk the keyset pages; the open person and the page are in the URL, so a reload (or a shared
 * link) shows the same page; the kiosk filter starts again from its first page; giving a badge
 * from the last page takes it off the list and the count.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInPage } from './signed-in.ts';
import { kiosk as enrolKiosk } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const TAPS = 23;
const MIN = 60_000;

describe.skipIf(skip)('unknown badges in pages', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  const dialogs: string[] = [];
  let labId = '';

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    const now = Date.now();
    const lobby = await enrolKiosk(store, '1층 로비', now - 10 * MIN * 60);
    const lab = await enrolKiosk(store, '3층 실습실', now - 10 * MIN * 60);
    labId = lab.id;
    // Tap i is i minutes older than the newest; every third at the lab.
    for (let i = 0; i < TAPS; i++) {
      const tail = String(i).padStart(2, '0');
      await store.recordUnknownTap(
        `hash-unknown-${tail}`,
        `kbd:…${tail}`,
        i % 3 ? lobby.id : lab.id,
        now - i * MIN,
      );
    }
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const tails = async (panel: Locator) =>
    (await panel.getByTestId('unknown-badges').locator('li > span:first-child').allInnerTexts()).map(
      (s) => /끝자리 (\d+)/.exec(s)?.[1] ?? s,
    );
  const range = (panel: Locator) => panel.getByTestId('page-range').innerText();
  const expectPage = async (panel: Locator, words: string, first: string[]) => {
    await expect.poll(() => range(panel)).toBe(words);
    expect((await tails(panel)).slice(0, first.length)).toEqual(first);
  };

  async function openPerson(page: Page): Promise<Locator> {
    await page.goto(`${server.url}/dashboard/#/people?q=${encodeURIComponent('김민준')}`);
    await page.getByTestId('people').locator('tbody tr').first().click();
    return page.getByTestId('unknown-badges-panel');
  }

  it('pages on, keeps the page in the URL, filters by kiosk, and forgets a badge once given', async () => {
    const { page } = await signedInPage(chromium, server.url, { dialogs });
    const panel = await openPerson(page);
    await expectPage(panel, '전체 23건 중 1–10', ['00', '01', '02']);
    expect(await panel.getByTestId('unknown-badges').locator('li').count()).toBe(10);

    await panel.getByTestId('next-page').click();
    await expectPage(panel, '전체 23건 중 11–20', ['10', '11']);
    const hash = new URL(page.url()).hash;
    expect(hash).toMatch(/[?&]person=usr_/);
    expect(hash).toMatch(/[?&]taps=[A-Za-z0-9_-]+/);

    // The same link, opened again, shows the same person and page; Next goes on to the last.
    await page.goto(`${server.url}/dashboard/${hash}`);
    await page.reload();
    await expectPage(panel, '전체 23건 중 11–20', ['10', '11']);
    await panel.getByTestId('next-page').click();
    await expectPage(panel, '전체 23건 중 21–23', ['20', '21', '22']);
    expect(await panel.getByTestId('next-page').isDisabled()).toBe(true);
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, 'unknown-badges-last-page-ko');

    // Giving the oldest one to 김민준: gone from the list and the count, the page stays.
    await panel
      .getByTestId('unknown-badges')
      .locator('li', { hasText: '끝자리 22' })
      .getByRole('button')
      .click();
    await expectPage(panel, '전체 22건 중 21–22', ['20', '21']);
    await expect.poll(() => page.getByTestId('badges').innerText()).toContain('끝자리 22');

    // Previous goes back a page; the kiosk filter starts again from the first page.
    await panel.getByRole('button', { name: '이전' }).click();
    await expectPage(panel, '전체 22건 중 11–20', ['10']);
    await panel.getByRole('combobox', { name: '키오스크' }).selectOption(labId);
    await expectPage(panel, '전체 8건 중 1–8', ['00', '03', '06', '09']);
    expect(new URL(page.url()).hash).not.toMatch(/[?&]taps=/);
    copyFileSync(
      await shot(page, SUITE, 'unknown-badges-by-kiosk-ko'),
      join(import.meta.dirname, '../../docs/screenshots/dashboard-unknown-badges-ko.png'),
    );

    // Closing the person forgets the panel's page and filter.
    await page.getByTestId('person-detail').getByRole('button', { name: '닫기' }).click();
    expect(new URL(page.url()).hash).toBe(`#/people?q=${encodeURIComponent('김민준')}`);
    await page.context().close();
  }, 120_000);
});
