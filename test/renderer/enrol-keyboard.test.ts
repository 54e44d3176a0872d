/**
 * Issue 17, service mode's enrol list: two people of one name are told apart (department,
 * employee number, email), and the search field has an on-screen keyboard that composes
 * Hangul as it is typed (ㄱ ㅣ ㅁ -> 김, backspace takes one jamo) and types Latin letters,
 * switchable, by touch only. The real renderer in Chromium on the real kiosk core and server
 * (the people list is the server's, the second 김민준 and the directory fields written as SCIM
 * writes them) at the three panel sizes in both languages; screenshots to
 * test/artifacts/ui/*-17-enrol-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_BADGE, DEMO_PEOPLE } from '../../server/seed/demo.ts';
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
const ADMIN = DEMO_ADMIN_BADGE;

describe.skipIf(skip !== null)('kiosk UI: the enrol list and its on-screen keyboard (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    // Two people of one name, told apart by what the directory says of them.
    const { store } = harness.server.deps();
    const now = Date.now();
    const minjun = (await store.findUserByEmail(DEMO_PEOPLE[0].email))!;
    await store.adoptUser(
      minjun.id,
      {
        displayName: '김민준',
        email: DEMO_PEOPLE[0].email,
        active: true,
        userName: 'minjun',
        externalId: null,
        employeeNumber: '20190102',
        department: '개발팀',
      },
      now,
    );
    await store.createDirectoryUser(
      randomUUID(),
      {
        displayName: '김민준',
        email: 'minjun.kim2@example.com',
        active: true,
        userName: 'minjun.kim2',
        externalId: null,
        employeeNumber: '20230417',
        department: '디자인팀',
      },
      'member',
      now,
    );
    kiosk = await harness.startKiosk();
  }, 60_000);

  // A test that stops halfway leaves no service mode behind for the next.
  afterEach(async () => {
    await kiosk.core.api.endSession({});
  });

  /** The admin's badge on the kiosk's reader, and service mode with the server's people list. */
  async function tapAdmin(page: Page) {
    kiosk.core.badge(ADMIN);
    await page.locator('[data-screen="service"]').waitFor();
    await expect.poll(async () => (await names(page)).length).toBeGreaterThan(0);
  }

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
      await openIdle(page, base);

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        await tapAdmin(page);
        const list = await names(page);
        // In the server's order; each told apart by the directory's fields.
        expect(list.filter((n) => n.startsWith('김민준')).sort()).toEqual([
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
        await kiosk.core.api.endSession({});
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }

  it('shift types a double consonant once, then goes back', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await openIdle(page, base);
    await tapAdmin(page);
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
