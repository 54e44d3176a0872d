/**
 * Issue 16, renewals at the kiosk: after a tap the session lists the person's loans with
 * "Renew" on each that may be renewed and "Renew all"; one that may not says which rule, with
 * its numbers; the new due date is shown before the person confirms; the receipt says
 * "Renewed". The real renderer in Chromium on the real kiosk core and server: the loans are
 * real ones this kiosk lent, their due dates and renewal counts set on the server (as a
 * renewal there sets them), the rules the server's lending policies; at 800x480, 1280x800 and
 * 1080x1920, Korean and English; screenshots to test/artifacts/ui/*-18-renew-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicies, type PolicySet } from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SEOYEON = DEMO_PEOPLE[1];
const DAY = 86_400_000;

/** Two renewals a loan (the default), no closed days: a renewal adds the loan period exactly. */
const POLICIES: PolicySet = defaultPolicies(5);
/** The same, with three renewals for cameras. */
const CAMERAS_THREE: PolicySet = {
  ...POLICIES,
  rules: [{ category: '카메라 Cameras', role: 'member', maxRenewals: 3 }],
};
const BY = { kind: 'user', id: null, name: 'test', via: null } as const;

const ITEMS = {
  pj: { tag: 'PJ-001', name: 'Epson 프로젝터 EF-12', category: '프로젝터 Projectors', loanDays: 7 },
  tp: { tag: 'TP-001', name: 'Manfrotto 삼각대 Tripod', category: '카메라 Cameras', loanDays: 3 },
  mc: { tag: 'MC-001', name: 'Rode 무선 마이크 Wireless GO II', category: '오디오 Audio', loanDays: 7 },
  ds: { tag: 'DS-001', name: 'DJI Osmo Pocket 3', category: '카메라 Cameras', loanDays: 3 },
};
type Key = keyof typeof ITEMS;

describe.skipIf(skip !== null)('kiosk UI: renewals (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;
  const id = {} as Record<Key, string>;
  /** The projector's due date as set on the server for the test. */
  let pjDue: number;

  /** Her loan of an item, as the server lists it. */
  async function loanOf(key: Key) {
    return (await harness.server.loans('open')).find((l) => l.itemId === id[key])!;
  }

  /** A renewal made on the server (as from the dashboard): the due date moves, one more renewal. */
  async function renewedOnServer(key: Key, dueAt: number) {
    const { store } = harness.server.deps();
    expect(await store.renewLoan((await loanOf(key)).id, dueAt)).toBe(true);
  }

  async function tap(page: Page) {
    kiosk.core.badge(SEOYEON.badge);
    await page.locator('[data-screen="session"]').waitFor();
  }

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    const { store } = harness.server.deps();
    for (const [key, item] of Object.entries(ITEMS))
      id[key as Key] = (await store.createItem({ ...item, restrictedTo: null, lockerSlot: null })).id;
    kiosk = await harness.startKiosk();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  /**
   * 이서연 holds the four afresh, lent by this kiosk and synced: the projector due in two days
   * (renewed once), the tripod due tomorrow (renewed once), the microphone renewed twice (as
   * often as allowed), the pocket camera a day overdue.
   */
  beforeEach(async () => {
    await savePolicies(harness.server.deps().store, POLICIES, BY, Date.now());
    await kiosk.core.pullCatalog();
    await kiosk.core.api.endSession({});
    kiosk.core.badge(SEOYEON.badge);
    const view = await kiosk.waitForView((v) => v.screen === 'session', 'her session');
    const held = view.session!.loans.map((l) => l.itemId);
    if (held.length) expect(await kiosk.core.api.returnItems({ itemIds: held })).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    kiosk.core.badge(SEOYEON.badge);
    await kiosk.waitForView((v) => v.screen === 'session' && v.session!.loans.length === 0, 'nothing held');
    expect(await kiosk.core.api.borrow({ itemIds: Object.values(id) })).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    const now = Date.now();
    pjDue = now + 2 * DAY;
    await renewedOnServer('pj', pjDue);
    await renewedOnServer('tp', now + DAY);
    await renewedOnServer('mc', now + 4 * DAY);
    await renewedOnServer('mc', now + 5 * DAY);
    await renewedOnServer('ds', now - DAY);
    await kiosk.core.pullCatalog();
  }, 60_000);

  for (const size of ['pi7', 'landscape', 'portrait'] as const) {
    for (const lang of ['ko', 'en'] as const) {
      it(`lists loans with Renew and the rule that stops one, shows the new due date, renews all (${size}, ${lang})`, async () => {
        const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
        const page = await context.newPage();
        await openIdle(page, base);
        if (lang === 'en') {
          await page.tap('button.lang-switch');
          await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
        }
        await tap(page);
        await page.locator('[data-testid="loan-list"]').waitFor();
        // A touch elsewhere ends the language button's pressed look (a scale while :active).
        await page.tap('[data-testid="session-name"]');
        // Renewable: the projector and the tripod; the microphone has used its two renewals;
        // the pocket camera is overdue.
        expect(await page.locator(`[data-testid^="renew-"][data-testid$="${id.pj}"]`).count()).toBe(1);
        expect(await page.locator(`[data-testid="renew-${id.tp}"]`).count()).toBe(1);
        expect(await page.locator(`[data-testid="renew-${id.mc}"]`).count()).toBe(0);
        expect(await page.locator(`[data-testid="renew-${id.ds}"]`).count()).toBe(0);
        const limit = await page.textContent(`[data-testid="renew-why-${id.mc}"]`);
        const overdue = await page.textContent(`[data-testid="renew-why-${id.ds}"]`);
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
        const view = await kiosk.core.api.getView({});
        const pj = view.session!.renewals!.find((r) => r.itemId === id.pj)!;
        // From the old due date (in 2 days) by the loan period (7 days).
        expect(Date.parse(pj.newDueAt!)).toBe(pjDue + 7 * DAY);
        // The projector's line (the loans are listed by due date: the tripod's comes first).
        const pjLine = summary.filter({ hasText: 'Epson' });
        const newDue = ((await pjLine.locator('.renew-new-due').textContent()) ?? '').replace(
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
        await page.tap(`[data-testid="renew-pick-${id.tp}"]`);
        await expect.poll(() => summary.count()).toBe(1);
        await page.tap('[data-testid="confirm-renew"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        expect(await page.textContent('h1')).toBe(lang === 'ko' ? '연장 완료' : 'Renewed');
        // The receipt's due date is the one shown before confirming.
        expect(await page.textContent('[data-testid="receipt-lines"]')).toContain(newDue);
        if (size === 'pi7') await shot(page, 'ui', `${size}-18-renew-receipt-${lang}`);
        // Only the projector was renewed: on the server, once synced, it is due a period later.
        const receipt = (await kiosk.core.api.getView({})).receipt;
        expect(receipt?.lines.map((l) => l.itemId)).toEqual([id.pj]);
        await kiosk.sync.flush();
        expect(Date.parse((await loanOf('pj')).dueAt)).toBe(pjDue + 7 * DAY);
        expect(Date.parse((await loanOf('tp')).dueAt)).toBeLessThan(pjDue);
        await context.close();
      });
    }
  }

  it('one loan from its own button; a refusal the core answers is named with its rule and the rest stays', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    // The tripod renewed twice on the server, while cameras may be renewed three times.
    await renewedOnServer('tp', Date.now() + 2 * DAY);
    await savePolicies(harness.server.deps().store, CAMERAS_THREE, BY, Date.now());
    await kiosk.core.pullCatalog();
    await openIdle(page, base);
    await tap(page);
    await page.tap(`[data-testid="renew-${id.tp}"]`);
    await expect.poll(() => page.locator('[data-testid="renew-summary"] li').count()).toBe(1);
    expect(await page.textContent('[data-testid="renew-summary"]')).toContain('Manfrotto');
    // Meanwhile the room goes back to two renewals for cameras (on the dashboard) and the rules
    // reach the kiosk: the tripod has used its last one, and the core refuses it.
    await savePolicies(harness.server.deps().store, POLICIES, BY, Date.now());
    await kiosk.core.pullCatalog();
    await page.tap('[data-testid="confirm-renew"]');
    await expect
      .poll(() => page.textContent('[data-testid="cart-refusals"]'))
      .toContain('이 물품은 2번까지 연장할 수 있고, 이미 2번 연장했습니다');
    expect(await page.textContent('[data-testid="cart-refusals"]')).toContain('Manfrotto');
    expect(await page.locator('[data-testid="renew-summary"] li').count()).toBe(0);
    await context.close();
  });
});
