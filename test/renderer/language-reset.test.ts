/**
 * Issue 17: after a session in English, the next person starts in Korean, whether the last
 * one's session ended at the idle screen or the next person tapped in straight from the
 * receipt or during the session (the core goes there without passing idle); a language chosen
 * before tapping in stays for that person. The real renderer in Chromium on the real kiosk
 * core and server.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';

const skip = chromiumSkipReason();
const MINJUN = DEMO_PEOPLE[0].badge;
const YUNA = DEMO_PEOPLE[3].badge;

describe.skipIf(skip !== null)(
  'kiosk UI: the language goes back to Korean for the next person (Chromium)',
  () => {
    let harness: RealCoreHarness;
    let chrome: LaunchedBrowser;
    let base: string;
    let kiosk: TestKiosk;
    const tap = (badge: string) => kiosk.core.badge(badge);

    beforeAll(async () => {
      harness = await startRealCoreHarness();
      ({ base, chrome } = harness);
      kiosk = await harness.startKiosk();
    }, 60_000);

    // 김민준 brings the camera back, so the next test can borrow it again.
    afterEach(async () => {
      await kiosk.core.api.endSession({});
      tap(MINJUN);
      const view = await kiosk.waitForView((v) => v.screen === 'session', 'his session');
      const camera = view.session!.loans.find((l) => l.itemName === 'Sony A7 IV');
      if (camera)
        expect(await kiosk.core.api.returnItems({ itemIds: [camera.itemId] })).toEqual({ ok: true });
      await kiosk.core.api.endSession({});
    });

    afterAll(async () => {
      await harness?.close();
    });

    const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

    async function open() {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
      const page = await context.newPage();
      await openIdle(page, base);
      return { page, context };
    }

    /** 김민준 switches to English in his session and borrows; the receipt is in English. */
    async function englishBorrow(page: Page) {
      tap(MINJUN);
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
      await kiosk.core.api.endSession({});
      await expect.poll(() => page.textContent('h1')).toBe('카드를 태그해 주세요');
      tap(YUNA);
      await expect.poll(() => page.textContent('[data-testid="session-name"]')).toContain('최유나님');
      expect(await lang(page)).toBe('ko');
      await context.close();
    });

    it('when the next person taps in straight from the receipt', async () => {
      const { page, context } = await open();
      await englishBorrow(page);
      tap(YUNA); // no idle screen in between
      await expect.poll(() => page.textContent('[data-testid="session-name"]')).toContain('최유나');
      await expect.poll(() => lang(page)).toBe('ko');
      expect(await page.textContent('[data-testid="go-borrow"]')).toContain('빌리기');
      await context.close();
    });

    it('when another badge taps in during the English session', async () => {
      const { page, context } = await open();
      tap(MINJUN);
      await page.locator('[data-testid="session-name"]').waitFor();
      await page.tap('button.lang-switch');
      await expect.poll(() => lang(page)).toBe('en');
      tap(YUNA);
      await expect.poll(() => lang(page)).toBe('ko');
      await context.close();
    });

    it('the same person tapping again from their receipt keeps English', async () => {
      const { page, context } = await open();
      await englishBorrow(page);
      tap(MINJUN);
      await page.locator('[data-testid="session-name"]').waitFor();
      expect(await lang(page)).toBe('en');
      await context.close();
    });

    it('English chosen at the idle screen stays for the person who then taps in', async () => {
      const { page, context } = await open();
      await page.tap('button.lang-switch');
      await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
      tap(YUNA);
      await page.locator('[data-testid="session-name"]').waitFor();
      expect(await lang(page)).toBe('en');
      // ...and the one after them starts in Korean, even straight from their session.
      tap(MINJUN);
      await expect.poll(() => lang(page)).toBe('ko');
      await context.close();
    });
  },
);
