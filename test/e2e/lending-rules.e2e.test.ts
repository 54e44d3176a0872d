/**
 * Issue 16 end to end in real Chromium: the built renderer on the real web host, the real
 * kiosk core and a real server holding lending rules. The rules reach the kiosk with the
 * catalog; a cart one of whose items a rule stops keeps the rest, the stopped item named with
 * the rule and its numbers; the receipt's due date skips the room's closed days. At 800x480
 * and 1280x800; screenshots to test/artifacts/e2e/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, defaultPolicies, localDate, type PolicySet } from '../../protocol/index.ts';
import { savePolicies } from '../../server/policies/policies.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { silentLogger } from '../../src-main/core/ports.ts';
import { createWebHost, type WebHost } from '../../src-main/web-host/web-host.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, VIEWPORTS, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const VITE_CONFIG = fileURLToPath(new URL('../../src-renderer/vite.config.ts', import.meta.url));
const TZ = 'Asia/Seoul';
/** The next three days in the room are closed: a three-day camera loan falls due after them. */
const CLOSED = [1, 2, 3, 4].map((n) => localDate(Date.now() + n * DAY_MS, TZ));

describe.skipIf(skip !== null)(
  'lending rules at the kiosk, end to end (Chromium, web host, real server)',
  () => {
    let rendererDir: string;
    let server: TestServer;
    let kiosk: TestKiosk;
    let host: WebHost;
    let url: string;
    let chrome: LaunchedBrowser;

    beforeAll(async () => {
      rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-rules-'));
      await build({
        configFile: VITE_CONFIG,
        mode: 'production',
        logLevel: 'silent',
        build: { outDir: rendererDir, emptyOutDir: true },
      });
      server = await startTestServer();
      const policies: PolicySet = {
        ...defaultPolicies(5),
        timeZone: TZ,
        hours: Array.from({ length: 7 }, () => ({ open: '09:00', close: '18:00' })),
        closedDays: CLOSED,
        rules: [{ category: '카메라 Cameras', role: 'member', maxPerCategory: 1 }],
      };
      await savePolicies(
        server.deps().store,
        policies,
        { kind: 'user', id: null, name: 'e2e', via: null },
        Date.now(),
      );
      kiosk = await startTestKiosk({
        serverUrl: server.url,
        enrollCode: await server.enrollmentCode('e2e rules'),
      });
      await kiosk.waitForView((v) => v.items.length > 0, 'catalog loaded');
      host = createWebHost({ api: kiosk.core.api, rendererDir, logger: silentLogger });
      ({ url } = await host.listen('127.0.0.1', 0));
      chrome = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await chrome?.close();
      await host?.close();
      await kiosk?.dispose();
      await server?.dispose();
      if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
    });

    for (const [size, person] of [
      ['pi7', DEMO_PEOPLE[0]],
      ['landscape', DEMO_PEOPLE[1]],
    ] as const) {
      it(`a camera past the limit leaves the cart with the rule; the rest is borrowed (${size})`, async () => {
        // The kiosk shows times in its own zone, as a Pi in the lending room is set (the room's).
        const context = await chrome.browser.newContext({
          viewport: VIEWPORTS[size],
          hasTouch: true,
          timezoneId: TZ,
        });
        context.setDefaultTimeout(8_000);
        const page = await context.newPage();
        await page.goto(url);
        await page.locator('[data-screen="idle"]').waitFor();
        expect(await kiosk.core.api.simulateTap({ credential: person.badge })).toEqual({ ok: true });
        await page.locator('[data-testid="go-borrow"]').waitFor();
        await page.tap('[data-testid="go-borrow"]');
        const cameras = page.locator('button[data-item-tag^="CM-"]:not([disabled])');
        await cameras.nth(1).waitFor();
        await cameras.nth(0).tap();
        await cameras.nth(1).tap();
        await page.locator('button[data-item-tag^="TB-"]:not([disabled])').first().tap();
        await page.tap('[data-testid="confirm-borrow"]');
        const refusals = page.locator('[data-testid="cart-refusals"] li');
        await expect.poll(() => refusals.count()).toBe(1);
        expect(await refusals.first().getAttribute('data-code')).toBe('CATEGORY_LIMIT_REACHED');
        expect(await refusals.first().textContent()).toContain(
          '카메라 Cameras: 한 번에 1개까지입니다. 지금 0개를 빌리고 있어 1개 더 빌릴 수 있습니다',
        );
        expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('2개 빌리기');
        expect(await overflows(page)).toMatchObject({ x: false });
        expect(await leakedInternals(page)).toBeNull();
        await shot(page, 'e2e', `${size}-rule-refusal`);
        // The banner follows a switch of language: it once kept the words it came in with.
        const banner = () => page.textContent('[data-testid="session-message"]');
        expect(await banner()).toContain('대여 규칙에 맞지 않는 물품은');
        await page.tap('.lang-switch');
        await expect
          .poll(banner)
          .toBe('Items the rules stop were taken out of the cart; you can borrow the rest');
        expect(await refusals.first().textContent()).toContain('Cameras');
        await page.tap('.lang-switch');
        await expect.poll(banner).toContain('대여 규칙에 맞지 않는 물품은');

        await page.tap('[data-testid="confirm-borrow"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        // Due at the room's closing time, shown with it.
        await expect.poll(() => page.textContent('[data-testid="receipt-lines"]')).toContain('오후 06:00');
        await shot(page, 'e2e', `${size}-rule-receipt`);
        const state = kiosk.core.state();
        if (state.screen !== 'receipt') throw new Error(state.screen);
        for (const line of state.receipt.lines) {
          // Due at a closing time, never on a closed day.
          expect(CLOSED).not.toContain(localDate(line.dueAt!, TZ));
          expect(new Date(line.dueAt!).toLocaleTimeString('en-GB', { timeZone: TZ })).toBe('18:00:00');
        }
        await drainOutbox(kiosk);
        // The server lent both and dates them the same.
        const user = await server.deps().store.findUserByEmail(person.email);
        const loans = await server.deps().store.openLoansOf(user!.id);
        expect(loans.map((l) => [l.itemId, l.dueAt]).sort()).toEqual(
          state.receipt.lines.map((l) => [l.itemId, l.dueAt]).sort(),
        );
        await context.close();
      });
    }
  },
);
