/**
 * Issue 16, renewals at the kiosk: after a tap the session lists the person's loans with
 * "Renew" on each that may be renewed and "Renew all"; one that may not says which rule, with
 * its numbers; the new due date is shown before the person confirms; the receipt says
 * "Renewed". The real renderer in Chromium against the FakeKiosk (whose options come from
 * protocol/renewals.ts, as the core's do) at 800x480, 1280x800 and 1080x1920, Korean and
 * English; screenshots to test/artifacts/ui/*-18-renew-*.png.
 */
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SEOYEON = 'nfc:04c0ffee0002';

describe.skipIf(skip !== null)('kiosk UI: renewals (Chromium)', () => {
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

  for (const size of ['pi7', 'landscape', 'portrait'] as const) {
    for (const lang of ['ko', 'en'] as const) {
      it(`lists loans with Renew and the rule that stops one, shows the new due date, renews all (${size}, ${lang})`, async () => {
        const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
        const page = await context.newPage();
        await page.goto(base);
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') {
          await page.tap('button.lang-switch');
          await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
        }
        await fake(page, `f.tap('${SEOYEON}');`);
        await page.locator('[data-testid="loan-list"]').waitFor();
        // A touch elsewhere ends the language button's pressed look (a scale while :active).
        await page.tap('[data-testid="session-name"]');
        // Renewable: the projector and the tripod; the microphone has used its two renewals;
        // the pocket camera is overdue.
        expect(await page.locator('[data-testid^="renew-"][data-testid$="pj1"]').count()).toBe(1);
        expect(await page.locator('[data-testid="renew-tp1"]').count()).toBe(1);
        expect(await page.locator('[data-testid="renew-mc1"]').count()).toBe(0);
        expect(await page.locator('[data-testid="renew-ds1"]').count()).toBe(0);
        const limit = await page.textContent('[data-testid="renew-why-mc1"]');
        const overdue = await page.textContent('[data-testid="renew-why-ds1"]');
        if (lang === 'ko') {
          expect(limit).toBe('이 물품은 2번까지 연장할 수 있고, 이미 2번 연장했습니다');
          expect(overdue).toMatch(/^반납일이 지나서 연장할 수 없습니다 \(.+\)\. 반납해 주세요$/);
          expect(await page.textContent('[data-testid="renew-all"]')).toBe('모두 연장');
        } else {
          expect(limit).toBe(
            'This item can be renewed 2 times at most, and it has been renewed 2 times already',
          );
          expect(overdue).toMatch(/^It was due .+: an overdue loan cannot be renewed\. Please return it$/);
          expect(await page.textContent('[data-testid="renew-all"]')).toBe('Renew all');
        }
        expect(await overflows(page)).toMatchObject({ x: false });
        expect(await smallTargets(page)).toEqual([]);
        expect(await leakedInternals(page)).toBeNull();
        await shot(page, 'ui', `${size}-18-renew-home-${lang}`);

        // Renew all: both renewable loans chosen, each with its due date now and after.
        await page.tap('[data-testid="renew-all"]');
        const summary = page.locator('[data-testid="renew-summary"] li');
        await expect.poll(() => summary.count()).toBe(2);
        const fakeNow = (await page.evaluate('window.fake.now')) as number;
        const view = (await page.evaluate('window.fake.view')) as {
          session: { renewals: { itemId: string; newDueAt: string | null }[] };
        };
        const pj1 = view.session.renewals.find((r) => r.itemId === 'pj1')!;
        // From the old due date (+2 days) by the loan period (7 days).
        expect(Date.parse(pj1.newDueAt!)).toBe(fakeNow + 9 * 86_400_000);
        const newDue = ((await page.locator('.renew-new-due').first().textContent()) ?? '').replace(
          lang === 'ko' ? '새 반납일 ' : 'New due date ',
          '',
        );
        expect(newDue.length).toBeGreaterThan(4);
        // Each date in "from -> to" reads on one line, never "12월 12일" over "오전 07:55".
        const dates = page.locator('[data-testid="renew-list"] .renew-dates .date');
        expect(await dates.count()).toBe(4);
        const split = await dates.evaluateAll((els) =>
          els
            .filter((el) => new Set([...el.getClientRects()].map((r) => Math.round(r.top))).size > 1)
            .map((el) => el.textContent),
        );
        expect(split).toEqual([]);
        expect(await page.textContent('[data-testid="confirm-renew"]')).toBe(
          lang === 'ko' ? '2개 연장하기' : 'Renew 2',
        );
        expect(await overflows(page)).toMatchObject({ x: false });
        expect(await smallTargets(page)).toEqual([]);
        expect(await leakedInternals(page)).toBeNull();
        await shot(page, 'ui', `${size}-18-renew-confirm-${lang}`);

        // One can be taken out before confirming; the rest is renewed.
        await page.tap('[data-testid="renew-pick-tp1"]');
        await expect.poll(() => summary.count()).toBe(1);
        await page.tap('[data-testid="confirm-renew"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        expect(await page.textContent('h1')).toBe(lang === 'ko' ? '연장 완료' : 'Renewed');
        // The receipt's due date is the one shown before confirming.
        expect(await page.textContent('[data-testid="receipt-lines"]')).toContain(newDue);
        if (size === 'pi7') await shot(page, 'ui', `${size}-18-renew-receipt-${lang}`);
        const calls = (await page.evaluate('window.fake.calls')) as Array<{
          method: string;
          params: unknown;
        }>;
        expect(calls.filter((c) => c.method === 'renew').map((c) => c.params)).toEqual([
          { itemIds: ['pj1'] },
        ]);
        await context.close();
      });
    }
  }

  it('one loan from its own button; a refusal the core answers is named with its rule and the rest stays', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('[data-screen="idle"]').waitFor();
    await fake(page, `f.tap('${SEOYEON}');`);
    await page.tap('[data-testid="renew-tp1"]');
    await expect.poll(() => page.locator('[data-testid="renew-summary"] li').count()).toBe(1);
    expect(await page.textContent('[data-testid="renew-summary"]')).toContain('Manfrotto');
    // Meanwhile the tripod's last renewal was used (e.g. from the dashboard): the core refuses it.
    await fake(page, `f.view.session && (f.current.loans.find((l) => l.itemId === 'tp1').renewals = 2);`);
    await page.tap('[data-testid="confirm-renew"]');
    await expect
      .poll(() => page.textContent('[data-testid="cart-refusals"]'))
      .toContain('이 물품은 2번까지 연장할 수 있고, 이미 2번 연장했습니다');
    expect(await page.textContent('[data-testid="cart-refusals"]')).toContain('Manfrotto');
    expect(await page.locator('[data-testid="renew-summary"] li').count()).toBe(0);
    await context.close();
  });
});
