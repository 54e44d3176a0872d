/**
 * Issue 17: a refused badge (unknown, or its person no longer active: the core says
 * BADGE_DENIED for both) gets one screen in Korean and English together, saying what to do and
 * whom to ask (the kiosk's helpContact setting, or a plain sentence when it is not set), and
 * nothing that tells the two cases apart. The real renderer in Chromium against the FakeKiosk
 * at the three panel sizes; screenshots to test/artifacts/ui/*-15-denied-*.png.
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
const CONTACT = '장비실 (내선 1234) / Equipment room, ext. 1234';

describe.skipIf(skip !== null)('kiosk UI: a refused badge, in both languages (Chromium)', () => {
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

  async function deniedText(page: Page) {
    await page.locator('[data-screen="denied"]').waitFor();
    return (await page.textContent('[data-screen="denied"]'))!;
  }

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`says what to do and whom to ask, in Korean and English, at ${size}`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await page.goto(base);
      await page.locator('[data-screen="idle"]').waitFor();

      // No contact configured: a sentence that still says whom to ask.
      await fake(page, `f.tap('nfc:0badbadbad0001')`);
      const plain = await deniedText(page);
      expect(plain).toContain('이 카드로는 이용할 수 없습니다');
      expect(plain).toContain('This card cannot be used here');
      expect(plain).toContain('장비실 담당자에게 이 카드를 보여 주세요.');
      expect(plain).toContain('Please show this card to the equipment room staff.');
      expect(await page.locator('[data-testid="help-contact"]').count()).toBe(0);
      expect(await page.getAttribute('section[data-lang="en"]', 'lang')).toBe('en');
      expect(await smallTargets(page)).toEqual([]);
      expect(await unlabelledButtons(page)).toEqual([]);
      expect(await overflows(page)).toEqual({ x: false, y: false });
      expect(await leakedInternals(page)).toBeNull();
      await shot(page, 'ui', `${size}-15-denied-no-contact`);

      // The kiosk names whom to ask: shown as written, once.
      await fake(
        page,
        `await f.api.endSession({}); f.view.status.helpContact = '${CONTACT}'; f.tap('nfc:0badbadbad0001')`,
      );
      const named = await deniedText(page);
      expect(await page.textContent('[data-testid="help-contact"]')).toBe(`문의처 · Ask ${CONTACT}`);
      expect(named).not.toContain('장비실 담당자에게 이 카드를 보여 주세요.');
      expect(await overflows(page)).toEqual({ x: false, y: false });
      expect(await smallTargets(page)).toEqual([]);
      await shot(page, 'ui', `${size}-15-denied-contact`);

      // Chosen English before tapping: still both languages, since the badge says nothing of its owner.
      await fake(page, `await f.api.endSession({})`);
      await page.tap('button.lang-switch');
      await fake(page, `f.tap('nfc:0badbadbad0001')`);
      const afterEnglish = await deniedText(page);
      expect(afterEnglish).toContain('이 카드로는 이용할 수 없습니다');
      expect(afterEnglish).toContain('This card cannot be used here');

      // The button ends it, and says so in both languages.
      await page.tap('[data-screen="denied"] button:has-text("확인 · Done")');
      await page.locator('[data-screen="idle"]').waitFor();
      await context.close();
    });
  }

  it('an inactive person and an unknown badge see the very same screen', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('[data-screen="idle"]').waitFor();
    // The core answers BADGE_DENIED for both; the screen has nothing else to go on.
    await fake(page, `f.tap('nfc:0badbadbad0001')`);
    const unknown = await page.innerHTML('[data-screen="denied"]');
    await fake(page, `await f.api.endSession({}); f.push({ screen: 'denied', error: 'BADGE_DENIED' })`);
    expect(await page.innerHTML('[data-screen="denied"]')).toBe(unknown);
    // Another refusal (not about the badge) keeps its own words, in the chosen language.
    await fake(page, `await f.api.endSession({}); f.push({ screen: 'denied', error: 'SERVER_UNREACHABLE' })`);
    await expect.poll(() => page.textContent('[data-testid="denied-reason"]')).not.toContain('이 카드로는');
    await context.close();
  });
});
