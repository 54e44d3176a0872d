/**
 * Issue 17: returning an item someone else borrowed says whose it was (first name only) before
 * the return is committed; an item out with someone the kiosk cannot name says "someone
 * else". The real renderer in Chromium against the FakeKiosk at the three panel sizes, Korean
 * and English; screenshots to test/artifacts/ui/*-16-return-held-by-*.png.
 */
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();

describe.skipIf(skip !== null)("kiosk UI: returning someone else's item (Chromium)", () => {
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

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`names the holder by first name before the return, at ${size} in Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await page.goto(base);
      await page.locator('[data-screen="idle"]').waitFor();

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        // 최유나 brings back the MacBook Air 김민준 borrowed (and a free iPad, which says nothing).
        await fake(page, `f.tap('kbd:1000234')`);
        await page.tap('[data-testid="go-return"]');
        await fake(page, `f.scan('LT-002'); f.scan('TB-001')`);
        const heldBy = page.locator('[data-testid="held-by"]');
        await expect.poll(() => heldBy.count()).toBe(1);
        expect(await heldBy.textContent()).toBe(
          lang === 'ko' ? '민준 님이 빌린 물품입니다' : 'Borrowed by 민준',
        );
        // Nothing is committed yet: the person sees it first.
        const calls = (await page.evaluate('window.fake.calls')) as Array<{ method: string }>;
        expect(calls.some((c) => c.method === 'returnItems')).toBe(false);
        expect(await overflows(page)).toEqual({ x: false, y: false });
        expect(await smallTargets(page)).toEqual([]);
        await shot(page, 'ui', `${size}-16-return-held-by-${lang}`);
        await fake(page, `await f.api.endSession({})`);
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }

  it('an item out with someone the kiosk cannot name says "someone else"', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('[data-screen="idle"]').waitFor();
    await fake(
      page,
      `f.view.items = f.view.items.map((i) => i.id === 'lt2' ? { ...i, heldBy: undefined } : i); f.tap('kbd:1000234')`,
    );
    await page.tap('[data-testid="go-return"]');
    await fake(page, `f.scan('LT-002')`);
    await expect.poll(() => page.textContent('[data-testid="held-by"]')).toBe('다른 사람이 빌린 물품입니다');
    // Their own loan (김민준 returning it) says nothing of the kind.
    await fake(page, `await f.api.endSession({}); f.tap('nfc:04a1b2c3d4e5f6')`);
    await page.tap('[data-testid="go-return"]');
    await fake(page, `f.scan('LT-002')`);
    await expect
      .poll(() => page.getAttribute('[aria-label="MacBook Air 13 반납 선택"]', 'aria-pressed'))
      .toBe('true');
    expect(await page.locator('[data-testid="held-by"]').count()).toBe(0);
    await context.close();
  });
});
