/**
 * Issue 16 at the kiosk: a return reports each item on its own. A kit (the demo's Sony A7 IV,
 * five named parts) asks which parts came back as soon as it is chosen, all ticked ("all
 * here" is one tap); another item gets its own sheet (damaged, a note typed in Hangul on the
 * kiosk's keyboard); a third goes back with nothing said. The real renderer in Chromium on
 * the real kiosk core and server: the server holds the kit for a check with the missing part,
 * the damaged item with its note, and the third as lendable. At 800x480, 1280x800 and
 * 1080x1920 in Korean and English; screenshots to test/artifacts/ui/*-17-return-*.png.
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
import { leakedInternals, overflows, shot, smallTargets, unlabelledButtons } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const [MINJUN] = DEMO_PEOPLE;
const KIT = 'CM-001';
const DAMAGED = 'TB-001';
const PLAIN = 'LB-002';
const PARTS = ['본체 Body', '배터리 1 Battery 1', '배터리 2 Battery 2', '충전기 Charger', '렌즈 Lens 24-70'];
const GONE = '배터리 2 Battery 2';

describe.skipIf(skip !== null)(
  'kiosk UI: a report per returned item, a kit asks for its parts (Chromium)',
  () => {
    let harness: RealCoreHarness;
    let chrome: LaunchedBrowser;
    let base: string;
    let kiosk: TestKiosk;
    const ids = new Map<string, string>();

    beforeAll(async () => {
      harness = await startRealCoreHarness();
      ({ base, chrome } = harness);
      kiosk = await harness.startKiosk();
      const view = await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
      for (const item of view.items) ids.set(item.tag, item.id);
      expect(view.items.find((i) => i.tag === KIT)?.parts).toEqual(PARTS);

      // 김민준 borrows the kit and two more through the core, as a person at the kiosk would.
      kiosk.core.badge(MINJUN.badge);
      await kiosk.waitForView((v) => v.screen === 'session', 'his session');
      expect(await kiosk.core.api.borrow({ itemIds: [KIT, DAMAGED, PLAIN].map((t) => ids.get(t)!) })).toEqual(
        {
          ok: true,
        },
      );
      await kiosk.core.api.endSession({});
      await kiosk.sync.flush();
    }, 60_000);

    afterAll(async () => {
      await harness?.close();
    });

    const id = (tag: string) => ids.get(tag)!;
    const name = { [KIT]: 'Sony A7 IV', [DAMAGED]: 'iPad Pro 12.9', [PLAIN]: '멀티미터 Multimeter' };
    const sheet = (page: Page) => page.locator('[data-testid="report-sheet"]');
    const summary = (page: Page, tag: string) =>
      page.locator(`[data-testid="return-line-${id(tag)}"] [data-testid="report-summary"]`);

    async function check(page: Page, size: ViewportName, what: string) {
      expect(await smallTargets(page), `${what} at ${size}`).toEqual([]);
      expect(await unlabelledButtons(page), `${what} at ${size}`).toEqual([]);
      expect(await overflows(page), `${what} at ${size}`).toEqual({ x: false, y: false });
      expect(await leakedInternals(page), `${what} at ${size}`).toBeNull();
      await shot(page, 'ui', `${size}-17-${what}`);
    }

    async function returnPage(page: Page) {
      kiosk.core.badge(MINJUN.badge);
      await page.locator('[data-screen="session"]').waitFor();
      await expect.poll(() => page.locator('[data-testid="loan-list"] li').count()).toBe(3);
      await page.tap('[data-testid="go-return"]');
    }

    /** Taps keys on the kiosk's keyboard; a doubled consonant is Shift then its key. */
    async function keys(page: Page, ...ks: string[]) {
      for (const k of ks) {
        if (k === ' ') await page.tap('[data-testid="keyboard-space"]');
        else if ('ㄲㄸㅃㅆㅉ'.includes(k)) {
          await page.tap('[data-testid="keyboard-shift"]');
          await page.tap(`[data-testid="keyboard"] [data-key="${k}"]`);
        } else await page.tap(`[data-testid="keyboard"] [data-key="${k}"]`);
      }
    }

    /**
     * Chooses the kit (its parts sheet opens, all ticked), unticks one part, then reports the
     * tablet damaged with a note typed in Hangul, and chooses the multimeter with nothing said.
     * `look`: check and photograph each step under this name's size and language.
     */
    async function fillIn(page: Page, lang: 'ko' | 'en', look?: ViewportName) {
      await page.tap(
        `[aria-label="${lang === 'ko' ? `${name[KIT]} 반납 선택` : `Select ${name[KIT]} to return`}"]`,
      );
      await sheet(page).waitFor();
      const parts = sheet(page).locator('[data-testid="kit-parts"] button');
      expect(await parts.locator('.kit-part-name').allTextContents()).toEqual(PARTS);
      for (let i = 0; i < PARTS.length; i++)
        expect(await parts.nth(i).getAttribute('aria-pressed')).toBe('true');
      if (look) await check(page, look, `return-kit-${lang}`);
      await sheet(page).locator(`[data-part="${GONE}"]`).tap();
      expect(await sheet(page).locator(`[data-part="${GONE}"]`).getAttribute('aria-pressed')).toBe('false');
      expect(await sheet(page).locator(`[data-part="${GONE}"] .tag`).textContent()).toBe(
        lang === 'ko' ? '빠짐' : 'Missing',
      );
      if (look) await check(page, look, `return-kit-missing-${lang}`);
      await page.tap('[data-testid="report-done"]');
      await sheet(page).waitFor({ state: 'detached' });
      expect(await summary(page, KIT).textContent()).toBe(lang === 'ko' ? `${GONE} 빠짐` : `${GONE} missing`);

      // The tablet: chosen (no sheet: not a kit), then its own report.
      await page.tap(
        `[aria-label="${lang === 'ko' ? `${name[DAMAGED]} 반납 선택` : `Select ${name[DAMAGED]} to return`}"]`,
      );
      expect(await sheet(page).count()).toBe(0);
      await page.tap(`[data-testid="report-${id(DAMAGED)}"]`);
      await sheet(page).waitFor();
      expect(await sheet(page).locator('[data-testid="kit-parts"]').count()).toBe(0);
      await sheet(page).locator('[data-condition="damaged"]').tap();
      await page.tap('[data-testid="report-note"]');
      await page.locator('[data-testid="keyboard"]').waitFor();
      if (lang === 'en') await page.tap('[data-testid="keyboard-layout"]');
      await keys(page, 'ㅇ', 'ㅐ', 'ㄱ', 'ㅈ', 'ㅓ', 'ㅇ', ' ', 'ㄲ', 'ㅐ', 'ㅈ', 'ㅣ', 'ㅁ');
      expect(await page.textContent('[data-testid="keyboard-text"]')).toBe('액정 깨짐');
      if (look) await check(page, look, `return-report-typing-${lang}`);
      await page.tap('[data-testid="keyboard-done"]');
      expect(await sheet(page).locator('[data-testid="report-note"]').textContent()).toBe('액정 깨짐');
      expect(await sheet(page).textContent()).toContain(
        lang === 'ko' ? '담당자가 점검할 때까지' : 'until staff have checked it',
      );
      if (look) await check(page, look, `return-report-sheet-${lang}`);
      await page.tap('[data-testid="report-done"]');
      await sheet(page).waitFor({ state: 'detached' });
      expect(await summary(page, DAMAGED).textContent()).toBe(lang === 'ko' ? '파손' : 'Damaged');

      await page.tap(
        `[aria-label="${lang === 'ko' ? `${name[PLAIN]} 반납 선택` : `Select ${name[PLAIN]} to return`}"]`,
      );
      expect(await summary(page, PLAIN).count()).toBe(0);
      expect(await page.textContent('[data-testid="confirm-return"]')).toBe(
        lang === 'ko' ? '3개 반납하기' : 'Return 3',
      );
      if (look) await check(page, look, `return-report-${lang}`);
    }

    for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
      it(`each chosen item carries its own report, a kit its parts, at ${size} in Korean and English`, async () => {
        const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
        const page = await context.newPage();
        await openIdle(page, base);
        for (const lang of ['ko', 'en'] as const) {
          if (lang === 'en') await page.tap('button.lang-switch');
          await returnPage(page);
          await fillIn(page, lang, size);
          // "No problem" takes a report back: the tablet's row says nothing again.
          await page.tap(`[data-testid="report-${id(DAMAGED)}"]`);
          await page.tap('[data-testid="report-clear"]');
          expect(await summary(page, DAMAGED).count()).toBe(0);
          // Letting an item go drops what was said of it.
          await page.tap(
            `[aria-label="${lang === 'ko' ? `${name[KIT]} 반납 선택` : `Select ${name[KIT]} to return`}"]`,
          );
          expect(await page.locator(`[data-testid="return-line-${id(KIT)}"]`).count()).toBe(0);
          // Nothing returned here: the loans stay for the next language and the return below.
          await kiosk.core.api.endSession({});
          await page.locator('[data-screen="idle"]').waitFor();
          if (lang === 'en') await page.tap('button.lang-switch');
        }
        await context.close();
      });
    }

    it('the server holds the kit with its missing part and the tablet with its note; the third item stays lendable', async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
      const page = await context.newPage();
      await openIdle(page, base);
      await returnPage(page);
      await fillIn(page, 'ko');
      await page.tap('[data-testid="confirm-return"]');
      await page.locator('[data-screen="receipt"]').waitFor();
      expect((await kiosk.core.api.getView({})).receipt?.lines.map((l) => l.itemId)).toEqual(
        [KIT, DAMAGED, PLAIN].map(id),
      );
      await shot(page, 'ui', 'pi7-17-return-report-receipt-ko');
      // The kiosk holds the two reported items for a check at once.
      const items = (await kiosk.core.api.getView({})).items;
      expect(items.find((i) => i.id === id(KIT))).toMatchObject({ blockedFor: 'ITEM_NEEDS_CHECK' });
      expect(items.find((i) => i.id === id(DAMAGED))).toMatchObject({ blockedFor: 'ITEM_NEEDS_CHECK' });
      expect(items.find((i) => i.id === id(PLAIN))).toMatchObject({ blockedFor: null });
      await kiosk.core.api.endSession({});

      await kiosk.sync.flush();
      const { store } = harness.server.deps();
      expect(await store.findItemByTag(KIT)).toMatchObject({
        condition: 'needs_check',
        conditionReport: 'incomplete',
        missingParts: [GONE],
      });
      expect(await store.findItemByTag(DAMAGED)).toMatchObject({
        condition: 'needs_check',
        conditionReport: 'damaged',
        conditionNote: '액정 깨짐',
      });
      expect(await store.findItemByTag(PLAIN)).toMatchObject({ condition: 'ok', conditionReport: null });
      for (const tag of [KIT, DAMAGED, PLAIN]) expect(await store.openLoanOfItem(id(tag))).toBeNull();
      await context.close();
    });
  },
);
