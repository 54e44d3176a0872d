/**
 * Issue 17: a refused badge (unknown, or its person no longer active: the core says
 * BADGE_DENIED for both) gets one screen in Korean and English together, saying what to do and
 * whom to ask (the kiosk's helpContact setting, or a plain sentence when it is not set), and
 * nothing that tells the two cases apart. The real renderer in Chromium on the real kiosk core
 * and server (the refusals are the server's) at the three panel sizes; screenshots to
 * test/artifacts/ui/*-15-denied-*.png.
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
const CONTACT = '장비실 (내선 1234) / Equipment room, ext. 1234';
const UNKNOWN = 'nfc:0badbadbad0001';

describe.skipIf(skip !== null)('kiosk UI: a refused badge, in both languages (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  /** A kiosk with no helpContact set, and one that names whom to ask. */
  let bare: TestKiosk;
  let withContact: TestKiosk;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    withContact = await harness.startKiosk({ helpContact: CONTACT });
    bare = await harness.startKiosk();
  }, 60_000);

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
      harness.use(bare);
      await openIdle(page, base);

      // No contact configured: a sentence that still says whom to ask.
      bare.core.badge(UNKNOWN);
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
      await bare.core.api.endSession({});
      harness.use(withContact);
      await openIdle(page, base);
      withContact.core.badge(UNKNOWN);
      const named = await deniedText(page);
      expect(await page.textContent('[data-testid="help-contact"]')).toBe(`문의처 · Ask ${CONTACT}`);
      expect(named).not.toContain('장비실 담당자에게 이 카드를 보여 주세요.');
      expect(await overflows(page)).toEqual({ x: false, y: false });
      expect(await smallTargets(page)).toEqual([]);
      await shot(page, 'ui', `${size}-15-denied-contact`);

      // Chosen English before tapping: still both languages, since the badge says nothing of its owner.
      await withContact.core.api.endSession({});
      await page.locator('[data-screen="idle"]').waitFor();
      await page.tap('button.lang-switch');
      withContact.core.badge(UNKNOWN);
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
    harness.use(bare);
    await openIdle(page, base);
    // The server answers BADGE_DENIED for both; the screen has nothing else to go on.
    bare.core.badge(UNKNOWN);
    await page.locator('[data-screen="denied"]').waitFor();
    const unknown = await page.innerHTML('[data-screen="denied"]');
    await bare.core.api.endSession({});
    await page.locator('[data-screen="idle"]').waitFor();
    const { store } = harness.server.deps();
    const seoyeon = await store.findUserByEmail(DEMO_PEOPLE[1].email);
    await store.setUserActive(seoyeon!.id, false);
    try {
      bare.core.badge(DEMO_PEOPLE[1].badge);
      await page.locator('[data-screen="denied"]').waitFor();
      expect(await page.innerHTML('[data-screen="denied"]')).toBe(unknown);
    } finally {
      await store.setUserActive(seoyeon!.id, true);
    }
    await bare.core.api.endSession({});
    await page.locator('[data-screen="idle"]').waitFor();
    // Another refusal (not about the badge) keeps its own words, in the chosen language: the
    // server gone, a badge the offline roster does not know either.
    await harness.server.stop();
    try {
      bare.core.badge(UNKNOWN);
      await page.locator('[data-screen="denied"]').waitFor();
      await expect
        .poll(async () => (await page.textContent('[data-testid="denied-reason"]')) ?? '')
        .not.toContain('이 카드로는');
    } finally {
      await harness.server.start();
    }
    await context.close();
  });
});
