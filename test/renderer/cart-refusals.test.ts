/**
 * Issue 16: when the lending rules stop items of a cart, the kiosk takes those out, names each
 * with its rule and numbers, and keeps the rest of the cart to borrow. The real renderer in
 * Chromium against the FakeKiosk, at the 7-inch panel (800x480) and 1280x800, Korean and
 * English; screenshots to test/artifacts/ui/*-13-rule-refusal-*.png.
 */
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();

/** What the core answers for the cart CM-001, CM-002, LB-002, TB-001 of a member holding 4 items. */
const REFUSED = [
  {
    itemId: 'cm2',
    code: 'CATEGORY_LIMIT_REACHED',
    category: '카메라 Cameras',
    limit: 1,
    have: 0,
    canTake: 1,
  },
  { itemId: 'lb2', code: 'CATEGORY_NOT_ALLOWED', category: '실험 장비 Lab tools' },
  { itemId: 'tb1', code: 'LOAN_LIMIT_REACHED', limit: 5, have: 4, canTake: 1 },
];

describe.skipIf(skip !== null)('kiosk UI: a rule stops part of a cart (Chromium)', () => {
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

  it('says at once when a suspension stops all borrowing (pi7, ko and en)', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('[data-screen="idle"]').waitFor();
    await fake(
      page,
      `f.tap('kbd:1000234'); f.push({ session: { ...f.view.session, block: { code: 'PERSON_SUSPENDED', until: '2026-12-14', note: '카메라 파손 후 점검 중' } } });`,
    );
    const banner = page.locator('[data-testid="session-block"]');
    await expect
      .poll(() => banner.textContent())
      .toBe(
        '대여가 정지되어 있습니다. 2026년 12월 14일부터 다시 빌릴 수 있습니다. 사유: 카메라 파손 후 점검 중',
      );
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, 'ui', 'pi7-14-suspended-ko');
    await fake(page, `await f.api.endSession({});`);
    await page.tap('button.lang-switch');
    await fake(
      page,
      `f.tap('kbd:1000234'); f.push({ session: { ...f.view.session, block: { code: 'OVERDUE_BLOCK', overdue: 2 } } });`,
    );
    await expect.poll(() => banner.textContent()).toBe('Please return your 2 overdue items first');
    await shot(page, 'ui', 'pi7-14-overdue-en');
    await context.close();
  });

  for (const size of ['pi7', 'landscape'] as const) {
    for (const lang of ['ko', 'en'] as const) {
      it(`keeps the rest of the cart and names each stopped item with its rule (${size}, ${lang})`, async () => {
        const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
        const page = await context.newPage();
        await page.goto(base);
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') {
          await page.tap('button.lang-switch');
          await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
        }
        await fake(page, `f.tap('kbd:1000234'); f.refuseNext = ${JSON.stringify(REFUSED)};`);
        await page.tap('[data-testid="go-borrow"]');
        for (const tag of ['CM-001', 'CM-002', 'LB-002', 'TB-001'])
          await page.tap(`[data-item-tag="${tag}"]`);
        await page.tap('[data-testid="confirm-borrow"]');
        const list = page.locator('[data-testid="cart-refusals"] li');
        await expect.poll(() => list.count()).toBe(3);
        const text = (await page.textContent('[data-testid="cart-refusals"]')) ?? '';
        if (lang === 'en') {
          expect(text).toContain('You may have 5 items at once; you have 4, so you can take 1 more');
          expect(text).toContain(
            '카메라 Cameras: you may have 1 at once; you have 0, so you can take 1 more',
          );
          expect(text).toContain('실험 장비 Lab tools: your role may not borrow this category');
          expect(await page.textContent('[data-testid="session-message"]')).toBe(
            'Items the rules stop were taken out of the cart; you can borrow the rest',
          );
          expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('Borrow 1');
        } else {
          expect(text).toContain(
            '한 번에 5개까지 빌릴 수 있습니다. 지금 4개를 빌리고 있어 1개 더 빌릴 수 있습니다',
          );
          expect(text).toContain('실험 장비 Lab tools: 이 분류는 빌릴 수 없습니다');
          expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('1개 빌리기');
        }
        expect(await overflows(page)).toMatchObject({ x: false });
        expect(await smallTargets(page)).toEqual([]);
        expect(await leakedInternals(page)).toBeNull();
        await shot(page, 'ui', `${size}-13-rule-refusal-${lang}`);
        // The rest of the cart goes as it is.
        await page.tap('[data-testid="confirm-borrow"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        const calls = (await page.evaluate('window.fake.calls')) as Array<{
          method: string;
          params: unknown;
        }>;
        expect(calls.filter((c) => c.method === 'borrow').map((c) => c.params)).toEqual([
          { itemIds: ['cm1', 'cm2', 'lb2', 'tb1'] },
          { itemIds: ['cm1'] },
        ]);
        await context.close();
      });
    }
  }
});
