/**
 * Issue 16: when the lending rules stop items of a cart, the kiosk takes those out, names each
 * with its rule and numbers, and keeps the rest of the cart to borrow. The real renderer in
 * Chromium on the real kiosk core and server (the rules are the server's lending policies,
 * judged by the kiosk before anything is committed), at the 7-inch panel (800x480) and
 * 1280x800, Korean and English; screenshots to test/artifacts/ui/*-13-rule-refusal-*.png.
 * A category closed to the person's role is greyed in the list with its reason, so the cart
 * meets that rule only when it changes on the server after the cart was filled.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicies, type PolicySet } from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();

const [MINJUN, , , YUNA] = DEMO_PEOPLE;
const DAY = 86_400_000;

/**
 * The rules the list is drawn by: one camera at a time, 5 items in all; overdue loans block
 * borrowing. The list cannot pre-judge a cart against these (each camera alone may go).
 */
const POLICIES: PolicySet = {
  ...defaultPolicies(5),
  timeZone: 'Asia/Seoul',
  blockOverdue: true,
  rules: [{ category: '카메라 Cameras', role: 'member', maxPerCategory: 1 }],
};
/** The same, with lab tools closed to members: set on the server after the cart was filled. */
const NO_LAB_TOOLS: PolicySet = {
  ...POLICIES,
  rules: [...POLICIES.rules, { category: '실험 장비 Lab tools', role: 'member', mayBorrow: false }],
};
const BY = { kind: 'user', id: null, name: 'test', via: null } as const;

describe.skipIf(skip !== null)('kiosk UI: a rule stops part of a cart (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;
  let ids: Map<string, string>;

  /** A badge on the kiosk's reader, and the page showing that person's session. */
  async function tap(page: Page, badge: string) {
    kiosk.core.badge(badge);
    await page.locator('[data-screen="session"]').waitFor();
  }

  /** Borrowed at the kiosk (outside any page) and synced to the server. */
  async function borrowed(badge: string, tags: string[]) {
    kiosk.core.badge(badge);
    await kiosk.waitForView((v) => v.screen === 'session', 'a session');
    expect(await kiosk.core.api.borrow({ itemIds: tags.map((t) => ids.get(t)!) })).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
  }

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    const { store } = harness.server.deps();
    await savePolicies(store, POLICIES, BY, Date.now());
    kiosk = await harness.startKiosk();
    ids = new Map((await kiosk.core.api.getView({})).items.map((i) => [i.tag, i.id]));
    // 최유나 holds three of her five: a cart of five meets every rule at once.
    await borrowed(YUNA.badge, ['LT-001', 'LT-002', 'TB-002']);
    await kiosk.core.pullCatalog();
  }, 60_000);

  // 최유나 brings back what a test borrowed and the lab tools open again, so each test
  // meets the same numbers.
  afterEach(async () => {
    await savePolicies(harness.server.deps().store, POLICIES, BY, Date.now());
    await kiosk.core.api.endSession({});
    kiosk.core.badge(YUNA.badge);
    const view = await kiosk.waitForView((v) => v.screen === 'session', 'her session');
    const taken = [ids.get('CM-001'), ids.get('TB-001')];
    const back = view.session!.loans.map((l) => l.itemId).filter((id) => taken.includes(id));
    if (back.length) expect(await kiosk.core.api.returnItems({ itemIds: back })).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    await kiosk.core.pullCatalog();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('says at once when a suspension stops all borrowing (pi7, ko and en)', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await openIdle(page, base);
    const { store } = harness.server.deps();
    const yuna = (await store.findUserByEmail(YUNA.email))!;
    await store.setSuspension(yuna.id, { until: '2099-12-14', note: '카메라 파손 후 점검 중' });
    try {
      await tap(page, YUNA.badge);
      const banner = page.locator('[data-testid="session-block"]');
      await expect
        .poll(() => banner.textContent())
        .toBe(
          '대여가 정지되어 있습니다. 2099년 12월 14일부터 다시 빌릴 수 있습니다. 사유: 카메라 파손 후 점검 중',
        );
      expect(await overflows(page)).toMatchObject({ x: false });
      await shot(page, 'ui', 'pi7-14-suspended-ko');
    } finally {
      await store.setSuspension(yuna.id, null);
    }
    await kiosk.core.api.endSession({});
    // 김민준's two loans, past due on the server.
    await borrowed(MINJUN.badge, ['CM-002', 'TB-001']);
    const minjun = (await store.findUserByEmail(MINJUN.email))!;
    for (const loan of (await harness.server.loans('open')).filter((l) => l.userId === minjun.id))
      expect(await store.renewLoan(loan.id, Date.now() - 2 * DAY)).toBe(true);
    await page.locator('[data-screen="idle"]').waitFor();
    await page.tap('button.lang-switch');
    await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
    await tap(page, MINJUN.badge);
    const banner = page.locator('[data-testid="session-block"]');
    await expect.poll(() => banner.textContent()).toBe('Please return your 2 overdue items first');
    await shot(page, 'ui', 'pi7-14-overdue-en');
    // He brings them back: the cart tests borrow from a full shelf.
    await kiosk.core.api.returnItems({ itemIds: [ids.get('CM-002')!, ids.get('TB-001')!] });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    await kiosk.core.pullCatalog();
    await context.close();
  });

  for (const size of ['pi7', 'landscape'] as const) {
    for (const lang of ['ko', 'en'] as const) {
      it(`keeps the rest of the cart and names each stopped item with its rule (${size}, ${lang})`, async () => {
        const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
        const page = await context.newPage();
        await openIdle(page, base);
        if (lang === 'en') {
          await page.tap('button.lang-switch');
          await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
        }
        await tap(page, YUNA.badge);
        await page.tap('[data-testid="go-borrow"]');
        for (const tag of ['CM-001', 'CM-002', 'LB-002', 'TB-001', 'LT-003'])
          await page.tap(`[data-item-tag="${tag}"]`);
        // The lab tools close to members while the cart is filled: the list greys the
        // multimeter with its reason, and the cart still holds it until the rules judge it.
        await savePolicies(harness.server.deps().store, NO_LAB_TOOLS, BY, Date.now());
        await kiosk.core.pullCatalog();
        const multimeter = page.locator('[data-item-tag="LB-002"]');
        await expect.poll(() => multimeter.isDisabled()).toBe(true);
        expect(await multimeter.textContent()).toContain(
          lang === 'en' ? 'You may not borrow this category' : '이 분류의 물품은 빌릴 수 없습니다',
        );
        await expect.poll(() => page.locator('[data-testid="cart"] li').count()).toBe(5);
        await page.tap('[data-testid="confirm-borrow"]');
        const list = page.locator('[data-testid="cart-refusals"] li');
        await expect.poll(() => list.count()).toBe(3);
        const text = (await page.textContent('[data-testid="cart-refusals"]')) ?? '';
        if (lang === 'en') {
          expect(text).toContain('You may have 5 items at once; you have 3, so you can take 2 more');
          expect(text).toContain(
            '카메라 Cameras: you may have 1 at once; you have 0, so you can take 1 more',
          );
          expect(text).toContain('실험 장비 Lab tools: your role may not borrow this category');
          expect(await page.textContent('[data-testid="session-message"]')).toBe(
            'Items the rules stop were taken out of the cart; you can borrow the rest',
          );
          expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('Borrow 2');
        } else {
          expect(text).toContain(
            '한 번에 5개까지 빌릴 수 있습니다. 지금 3개를 빌리고 있어 2개 더 빌릴 수 있습니다',
          );
          expect(text).toContain('실험 장비 Lab tools: 이 분류는 빌릴 수 없습니다');
          expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('2개 빌리기');
        }
        expect(await overflows(page)).toMatchObject({ x: false });
        expect(await smallTargets(page)).toEqual([]);
        expect(await leakedInternals(page)).toBeNull();
        await shot(page, 'ui', `${size}-13-rule-refusal-${lang}`);
        // The rest of the cart goes as it is.
        await page.tap('[data-testid="confirm-borrow"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        // Only what the rules let go was borrowed.
        const receipt = (await kiosk.core.api.getView({})).receipt;
        expect(receipt?.lines.map((l) => l.itemId)).toEqual([ids.get('CM-001'), ids.get('TB-001')]);
        await context.close();
      });
    }
  }
});
