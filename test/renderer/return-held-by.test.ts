/**
 * Issue 17: returning an item someone else borrowed says whose it was (first name only) before
 * the return is committed; an item out with someone the kiosk cannot name says "someone
 * else". The real renderer in Chromium on the real kiosk core and server (the holder is the
 * server's, from a loan this kiosk made) at the three panel sizes, Korean and English;
 * screenshots to test/artifacts/ui/*-16-return-held-by-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const [MINJUN, , , YUNA] = DEMO_PEOPLE;

/** A tap on the kiosk's reader, and the page showing that person's session. */
async function tap(kiosk: TestKiosk, page: Page, badge: string) {
  kiosk.core.badge(badge);
  await page.locator('[data-screen="session"]').waitFor();
}

/** The catalog id of the item with this tag. */
async function itemId(kiosk: TestKiosk, tag: string) {
  return (await kiosk.core.api.getView({})).items.find((i) => i.tag === tag)!.id;
}

describe.skipIf(skip !== null)("kiosk UI: returning someone else's item (Chromium)", () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    kiosk = await harness.startKiosk();
    // 김민준 borrows the MacBook Air here; once synced, the server's catalog names him (민준).
    kiosk.core.badge(MINJUN.badge);
    await kiosk.waitForView((v) => v.screen === 'session', 'his session');
    expect(await kiosk.core.api.borrow({ itemIds: [await itemId(kiosk, 'LT-002')] })).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    await kiosk.core.pullCatalog();
    await kiosk.waitForView(
      (v) => v.items.some((i) => i.tag === 'LT-002' && i.heldBy === '민준'),
      'the MacBook Air held by 민준',
    );
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`names the holder by first name before the return, at ${size} in Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await openIdle(page, base);

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        // 최유나 brings back the MacBook Air 김민준 borrowed (and a free iPad, which says nothing).
        await tap(kiosk, page, YUNA.badge);
        await page.tap('[data-testid="go-return"]');
        kiosk.core.scan('LT-002');
        kiosk.core.scan('TB-001');
        const heldBy = page.locator('[data-testid="held-by"]');
        await expect.poll(() => heldBy.count()).toBe(1);
        expect(await heldBy.textContent()).toBe(
          lang === 'ko' ? '민준 님이 빌린 물품입니다' : 'Borrowed by 민준',
        );
        // Nothing is committed yet: the person sees it first.
        expect(kiosk.outbox.stats().pending).toBe(0);
        expect(await overflows(page)).toEqual({ x: false, y: false });
        expect(await smallTargets(page)).toEqual([]);
        await shot(page, 'ui', `${size}-16-return-held-by-${lang}`);
        await kiosk.core.api.endSession({});
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }

  it('an item out with someone the kiosk cannot name says "someone else"', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await openIdle(page, base);
    // The server gone, 김민준 borrows the multimeter on the offline roster: the item is out by a
    // row of this kiosk's the server has not seen, so no holder's name came with the catalog.
    await harness.server.stop();
    try {
      await tap(kiosk, page, MINJUN.badge);
      expect(await kiosk.core.api.borrow({ itemIds: [await itemId(kiosk, 'LB-002')] })).toEqual({ ok: true });
      await kiosk.core.api.endSession({});
      await page.locator('[data-screen="idle"]').waitFor();
      await tap(kiosk, page, YUNA.badge);
      await page.tap('[data-testid="go-return"]');
      kiosk.core.scan('LB-002');
      await expect
        .poll(() => page.textContent('[data-testid="held-by"]'))
        .toBe('다른 사람이 빌린 물품입니다');
      // Their own loan (김민준 returning it) says nothing of the kind.
      await kiosk.core.api.endSession({});
      await page.locator('[data-screen="idle"]').waitFor();
      await tap(kiosk, page, MINJUN.badge);
      await page.tap('[data-testid="go-return"]');
      kiosk.core.scan('LB-002');
      await expect
        .poll(() => page.getAttribute('[aria-label="멀티미터 Multimeter 반납 선택"]', 'aria-pressed'))
        .toBe('true');
      expect(await page.locator('[data-testid="held-by"]').count()).toBe(0);
    } finally {
      await kiosk.core.api.endSession({});
      await harness.server.start();
    }
    await context.close();
  });
});
