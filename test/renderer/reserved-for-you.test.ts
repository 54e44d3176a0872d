/**
 * Issue 16: after a tap, the person's reservations waiting to be picked up come first on their
 * session home, each borrowed with one touch ("reserved for you"); someone else is refused the
 * reserved item with the reason and when it is free again. The real renderer in Chromium on the
 * real kiosk core and server (reservations made on the server, brought by the catalog), at
 * 800x480 and 1080x1920, Korean and English; screenshots to
 * test/artifacts/ui/*-16-reserved-for-you-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentPolicies } from '../../server/policies/policies.ts';
import { RESERVATION_DEFAULTS, createReservation } from '../../server/reservations/reserve.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';
import { chromiumSkipReason, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { overflows, shot, smallTargets } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const [MINJUN, SEOYEON] = DEMO_PEOPLE;
const HOUR = 3_600_000;

async function tap(kiosk: TestKiosk, page: Page, badge: string) {
  kiosk.core.badge(badge);
  await page.locator('[data-screen="session"]').waitFor();
}

describe.skipIf(skip !== null)('kiosk UI: reserved for you (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;
  const reservationIds: string[] = [];

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    kiosk = await harness.startKiosk();
    const store = harness.server.deps().store;
    const minjun = (await store.findUserByEmail(MINJUN.email))!;
    const now = Date.now();
    // 김민준 reserved the Canon by name and any one tablet, both from now.
    for (const what of [
      { itemId: (await store.findItemByTag('CM-002'))!.id },
      { category: '태블릿 Tablets' },
    ]) {
      const r = await createReservation(store, {
        ...what,
        userId: minjun.id,
        startsAt: now,
        endsAt: now + 4 * HOUR,
        actor: { kind: 'user', id: null, name: 'test', via: null },
        now,
        policies: (await currentPolicies(store, 5)).policies,
        settings: RESERVATION_DEFAULTS,
      });
      reservationIds.push(r.id);
    }
    await kiosk.core.pullCatalog();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  for (const size of ['pi7', 'portrait'] as const) {
    it(`shows the person's reservations first, each with one touch, at ${size} in Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      await openIdle(page, base);
      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        await tap(kiosk, page, MINJUN.badge);
        const section = page.locator('[data-testid="reserved-for-you"]');
        await section.waitFor();
        expect(await section.locator('h2').textContent()).toBe(
          lang === 'ko' ? '예약한 물품' : 'Reserved for you',
        );
        const rows = section.locator('li');
        expect(await rows.count()).toBe(2);
        expect(await rows.nth(0).locator('.reserved-name').textContent()).toBe('Canon EOS R6');
        expect(await rows.nth(1).locator('.reserved-name').textContent()).toBe(
          lang === 'ko' ? '태블릿 Tablets 중 하나' : 'Any one of 태블릿 Tablets',
        );
        for (const id of reservationIds)
          expect(await page.locator(`[data-testid="reserved-borrow-${id}"]`).isVisible()).toBe(true);
        // First on the home: above the person's loans.
        const reservedBox = (await section.boundingBox())!;
        const loansBox = (await page.locator('.loans-panel').boundingBox())!;
        expect(reservedBox.y).toBeLessThan(loansBox.y);
        expect(await overflows(page)).toEqual({ x: false, y: false });
        expect(await smallTargets(page)).toEqual([]);
        await shot(page, 'ui', `${size}-16-reserved-for-you-${lang}`);
        await kiosk.core.api.endSession({});
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      await context.close();
    });
  }

  it('someone else is refused the reserved camera; one touch borrows it for its holder and the server marks it picked up', async () => {
    const context = await chrome.browser.newContext({ viewport: VIEWPORTS.pi7, hasTouch: true });
    const page = await context.newPage();
    await openIdle(page, base);

    // 이서연: no reservations of hers; the camera is refused at the kiosk with the reason.
    await tap(kiosk, page, SEOYEON.badge);
    const camera = (await kiosk.core.api.getView({})).items.find((i) => i.tag === 'CM-002')!;
    expect(camera).toMatchObject({ blockedFor: 'ITEM_RESERVED' });
    expect(await page.locator('[data-testid="reserved-for-you"]').count()).toBe(0);
    // On the borrow page the camera stays listed, not choosable, saying until when it is held.
    await page.tap('[data-testid="go-borrow"]');
    const tile = page.locator('[data-item-tag="CM-002"]');
    expect(await tile.isDisabled()).toBe(true);
    // Chromium's own ICU words the time (오전/오후 and the hour): the minute is the reservation's end.
    const minute = String(new Date(camera.freeAt!).getMinutes()).padStart(2, '0');
    expect(await tile.locator('.tag').textContent()).toMatch(
      new RegExp(`^예약됨 · \\d+월 \\d+일 오[전후] \\d{2}:${minute}부터 대여 가능$`),
    );
    expect(await overflows(page)).toEqual({ x: false, y: false });
    await tile.scrollIntoViewIfNeeded();
    await shot(page, 'ui', 'pi7-16-reserved-for-someone-else-ko');
    const refused = await kiosk.core.api.borrow({ itemIds: [camera.id] });
    expect(refused).toMatchObject({ ok: false, code: 'ITEM_RESERVED' });
    await kiosk.core.api.endSession({});
    await page.locator('[data-screen="idle"]').waitFor();

    // 김민준: one touch on the camera's row borrows it, through the outbox.
    await tap(kiosk, page, MINJUN.badge);
    await page.tap(`[data-testid="reserved-borrow-${reservationIds[0]}"]`);
    await page.locator('[data-screen="receipt"]').waitFor();
    expect(await page.locator('[data-screen="receipt"]').textContent()).toContain('Canon EOS R6');
    // Committed to the outbox and synced (the sync loop wakes after a commit): picked up.
    await kiosk.sync.flush();
    const store = harness.server.deps().store;
    expect(await store.findReservation(reservationIds[0]!)).toMatchObject({ status: 'picked_up' });
    expect((await store.openLoanOfItem(camera.id))?.userId).toBe(
      (await store.findUserByEmail(MINJUN.email))!.id,
    );
    await shot(page, 'ui', 'pi7-16-reserved-borrowed-ko');
    await context.close();
  });
});
