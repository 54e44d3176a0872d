/**
 * Issue 17: the borrow list's search on a touch-only kiosk. Tapping the field opens the
 * kiosk's own keyboard (no system keyboard: inputMode none), which composes Hangul
 * (ㅁ ㅓ ㄹ ㅌ ㅣ -> 멀티) and types Latin letters, says how many items the text finds, and
 * leaves the cart and the list usable. The real renderer in Chromium on the real kiosk core
 * and server (demo catalog) at the three panel sizes in both languages; screenshots to test/artifacts/ui/*-19-borrow-keyboard-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets, unlabelledButtons } from '../support/ui-page.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';

const skip = chromiumSkipReason();
const MEMBER = DEMO_PEOPLE[0].badge;

describe.skipIf(skip !== null)('kiosk UI: the borrow search and its on-screen keyboard (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    kiosk = await harness.startKiosk();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const typed = (page: Page) => page.textContent('[data-testid="keyboard-text"]');
  const listed = (page: Page) => page.locator('[data-testid="item-list"] .item-name').allTextContents();
  const keys = async (page: Page, ...ks: string[]) => {
    for (const k of ks) await page.tap(`[data-testid="keyboard"] [data-key="${k}"]`);
  };

  async function check(page: Page, size: ViewportName, name: string) {
    expect(await smallTargets(page), `${name} at ${size}`).toEqual([]);
    expect(await unlabelledButtons(page), `${name} at ${size}`).toEqual([]);
    expect(await overflows(page), `${name} at ${size}`).toEqual({ x: false, y: false });
    expect(await leakedInternals(page), `${name} at ${size}`).toBeNull();
    await shot(page, 'ui', `${size}-19-borrow-keyboard-${name}`);
  }

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`finds an item by touch in Hangul and Latin at ${size}, Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await openIdle(page, base);

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        kiosk.core.badge(MEMBER);
        await page.locator('[data-screen="session"]').waitFor();
        await page.tap('[data-testid="go-borrow"]');
        const all = await listed(page);
        expect(all.length).toBeGreaterThan(5);
        // No system keyboard: the field asks for none; the kiosk's own opens on a tap.
        expect(await page.getAttribute('[data-testid="search"]', 'inputmode')).toBe('none');
        await page.tap('[data-testid="search"]');
        await page.locator('[data-testid="keyboard"]').waitFor();
        expect(await page.getAttribute('[data-testid="keyboard"]', 'data-layout')).toBe(lang);
        if (lang === 'en') await page.tap('[data-testid="keyboard-layout"]');

        await keys(page, 'ㅁ', 'ㅓ', 'ㄹ', 'ㅌ', 'ㅣ');
        expect(await typed(page)).toBe('멀티');
        expect(await page.inputValue('[data-testid="search"]')).toBe('멀티');
        await expect.poll(() => listed(page)).toEqual(['멀티미터 Multimeter']);
        expect(await page.textContent('[data-testid="keyboard-found"]')).toBe(
          lang === 'ko' ? '1개' : '1 item',
        );
        await check(page, size, `hangul-${lang}`);

        // Latin letters find by name or tag; the count follows the text.
        for (let i = 0; i < 6; i++) await page.tap('[data-testid="keyboard-backspace"]');
        expect(await page.inputValue('[data-testid="search"]')).toBe('');
        await page.tap('[data-testid="keyboard-layout"]');
        await keys(page, 's', 'o', 'n', 'y');
        await expect.poll(() => listed(page)).toEqual(['Sony A7 IV']);
        await check(page, size, `latin-${lang}`);

        // Done closes the keyboard; the found item is chosen with a tap as before.
        await page.tap('[data-testid="keyboard-done"]');
        expect(await page.locator('[data-testid="keyboard"]').count()).toBe(0);
        await page.tap('[data-item-tag="CM-001"]');
        expect(await page.locator('[data-testid="cart"] .item-name').allTextContents()).toEqual([
          'Sony A7 IV',
        ]);
        await kiosk.core.api.endSession({});
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }
});
