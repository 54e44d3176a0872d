/**
 * Issue 17, service mode's enrol list: two people of one name are told apart (department,
 * employee number, email), and the search field has an on-screen keyboard that composes
 * Hangul as it is typed (ㄱ ㅣ ㅁ -> 김, backspace takes one jamo) and types Latin letters,
 * switchable, by touch only. The real renderer in Chromium against the FakeKiosk at the three
 * panel sizes in both languages; screenshots to test/artifacts/ui/*-17-enrol-*.png.
 */
import type { Page } from 'playwright-core';
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets, unlabelledButtons } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const ADMIN = 'nfc:04deadbeef0001';

describe.skipIf(skip !== null)('kiosk UI: the enrol list and its on-screen keyboard (Chromium)', () => {
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

  const typed = (page: Page) => page.textContent('[data-testid="keyboard-text"]');
  const names = (page: Page) => page.locator('[data-testid="people"] li').allTextContents();
  const keys = async (page: Page, ...ks: string[]) => {
    for (const k of ks) await page.tap(`[data-testid="keyboard"] [data-key="${k}"]`);
  };

  async function check(page: Page, size: ViewportName, name: string) {
    expect(await smallTargets(page), `${name} at ${size}`).toEqual([]);
    expect(await unlabelledButtons(page), `${name} at ${size}`).toEqual([]);
    expect(await overflows(page), `${name} at ${size}`).toEqual({ x: false, y: false });
    expect(await leakedInternals(page), `${name} at ${size}`).toBeNull();
    await shot(page, 'ui', `${size}-17-enrol-${name}`);
  }

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`tells two 김민준 apart and searches by touch at ${size}, Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await page.goto(base);
      await page.locator('[data-screen="idle"]').waitFor();

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        await fake(page, `f.tap('${ADMIN}')`);
        await page.locator('[data-screen="service"]').waitFor();
        const list = await names(page);
        expect(list.filter((n) => n.startsWith('김민준'))).toEqual([
          '김민준개발팀 · 20190102 · minjun@example.com',
          '김민준디자인팀 · 20230417 · minjun.kim2@example.com',
        ]);
        await check(page, size, `list-${lang}`);

        // Tapping the field opens the keyboard, in the letters of the chosen language.
        await page.tap('[data-testid="people-search"]');
        await page.locator('[data-testid="keyboard"]').waitFor();
        expect(await page.getAttribute('[data-testid="keyboard"]', 'data-layout')).toBe(lang);
        if (lang === 'en') await page.tap('[data-testid="keyboard-layout"]');
        await keys(page, 'ㄱ', 'ㅣ', 'ㅁ');
        expect(await typed(page)).toBe('김');
        expect(await page.inputValue('[data-testid="people-search"]')).toBe('김');
        expect((await names(page)).every((n) => n.startsWith('김민준'))).toBe(true);
        await keys(page, 'ㅁ', 'ㅣ', 'ㄴ');
        expect(await typed(page)).toBe('김민');
        expect(await page.textContent('[data-testid="keyboard-found"]')).toBe(
          lang === 'ko' ? '2명' : '2 people',
        );
        await check(page, size, `keyboard-hangul-${lang}`);

        // Backspace takes away one jamo at a time.
        await page.tap('[data-testid="keyboard-backspace"]');
        expect(await typed(page)).toBe('김미');
        await page.tap('[data-testid="keyboard-backspace"]');
        await page.tap('[data-testid="keyboard-backspace"]');
        expect(await typed(page)).toBe('김');
        await page.tap('[data-testid="keyboard-backspace"]');
        await page.tap('[data-testid="keyboard-backspace"]');
        await page.tap('[data-testid="keyboard-backspace"]');
        expect(await page.inputValue('[data-testid="people-search"]')).toBe('');

        // Latin letters and digits: an employee number or an email finds the one person.
        await page.tap('[data-testid="keyboard-layout"]');
        expect(await page.getAttribute('[data-testid="keyboard"]', 'data-layout')).toBe('en');
        await keys(page, 'k', 'i', 'm', '2');
        expect(await typed(page)).toBe('kim2');
        await check(page, size, `keyboard-latin-${lang}`);
        await page.tap('[data-testid="keyboard-done"]');
        expect(await page.locator('[data-testid="keyboard"]').count()).toBe(0);
        expect(await names(page)).toEqual(['김민준디자인팀 · 20230417 · minjun.kim2@example.com']);
        await fake(page, `await f.api.endSession({})`);
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }

  it('shift types a double consonant once, then goes back', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await fake(page, `f.tap('${ADMIN}')`);
    await page.tap('[data-testid="keyboard-open"]');
    await page.tap('[data-testid="keyboard-shift"]');
    await keys(page, 'ㄲ', 'ㅏ', 'ㅊ', 'ㅣ');
    expect(await typed(page)).toBe('까치');
    await page.tap('[data-testid="keyboard-space"]');
    await keys(page, 'ㅇ', 'ㅗ', 'ㅏ');
    expect(await typed(page)).toBe('까치 와');
    await context.close();
  });
});
