/**
 * Issue 17: after a session in English, the next person starts in Korean, whether the last
 * one's session ended at the idle screen or the next person tapped in straight from the
 * receipt or during the session (the core goes there without passing idle); a language chosen
 * before tapping in stays for that person. The real renderer in Chromium against the FakeKiosk.
 */
import type { Page } from 'playwright-core';
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';

const skip = chromiumSkipReason();
const MINJUN = 'nfc:04a1b2c3d4e5f6';
const YUNA = 'kbd:1000234';

describe.skipIf(skip !== null)(
  'kiosk UI: the language goes back to Korean for the next person (Chromium)',
  () => {
    let harness: RendererHarness;
    let chrome: LaunchedBrowser;
    let base: string;

    beforeAll(async () => {
      harness = await startRendererHarness();
      ({ base, chrome } = harness);
    });

    afterAll(async () => {
      await harness?.close();
    });

    const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

    async function open() {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
      const page = await context.newPage();
      await page.goto(base);
      await page.locator('[data-screen="idle"]').waitFor();
      return { page, context };
    }

    /** 김민준 switches to English in his session and borrows; the receipt is in English. */
    async function englishBorrow(page: Page) {
      await fake(page, `f.tap('${MINJUN}')`);
      await page.locator('[data-testid="session-name"]').waitFor();
      await page.tap('button.lang-switch');
      await expect.poll(() => lang(page)).toBe('en');
      await page.tap('[data-testid="go-borrow"]');
      await page.tap('[data-item-tag="CM-001"]');
      await page.tap('[data-testid="confirm-borrow"]');
      await page.locator('[data-screen="receipt"]').waitFor();
      expect(await lang(page)).toBe('en');
    }

    it('after the receipt times out to the idle screen', async () => {
      const { page, context } = await open();
      await englishBorrow(page);
      await fake(page, `await f.api.endSession({})`);
      await expect.poll(() => page.textContent('h1')).toBe('카드를 태그해 주세요');
      await fake(page, `f.tap('${YUNA}')`);
      await expect.poll(() => page.textContent('[data-testid="session-name"]')).toContain('최유나님');
      expect(await lang(page)).toBe('ko');
      await context.close();
    });

    it('when the next person taps in straight from the receipt', async () => {
      const { page, context } = await open();
      await englishBorrow(page);
      await fake(page, `f.tap('${YUNA}')`); // no idle screen in between
      await expect.poll(() => page.textContent('[data-testid="session-name"]')).toContain('최유나');
      await expect.poll(() => lang(page)).toBe('ko');
      expect(await page.textContent('[data-testid="go-borrow"]')).toContain('빌리기');
      await context.close();
    });

    it('when another badge taps in during the English session', async () => {
      const { page, context } = await open();
      await fake(page, `f.tap('${MINJUN}')`);
      await page.locator('[data-testid="session-name"]').waitFor();
      await page.tap('button.lang-switch');
      await expect.poll(() => lang(page)).toBe('en');
      await fake(page, `f.tap('${YUNA}')`);
      await expect.poll(() => lang(page)).toBe('ko');
      await context.close();
    });

    it('the same person tapping again from their receipt keeps English', async () => {
      const { page, context } = await open();
      await englishBorrow(page);
      await fake(page, `f.tap('${MINJUN}')`);
      await page.locator('[data-testid="session-name"]').waitFor();
      expect(await lang(page)).toBe('en');
      await context.close();
    });

    it('English chosen at the idle screen stays for the person who then taps in', async () => {
      const { page, context } = await open();
      await page.tap('button.lang-switch');
      await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
      await fake(page, `f.tap('${YUNA}')`);
      await page.locator('[data-testid="session-name"]').waitFor();
      expect(await lang(page)).toBe('en');
      // ...and the one after them starts in Korean, even straight from their session.
      await fake(page, `f.tap('${MINJUN}')`);
      await expect.poll(() => lang(page)).toBe('ko');
      await context.close();
    });
  },
);
