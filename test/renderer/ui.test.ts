/**
 * The real renderer in real Chromium: every screen at the three panel sizes, touch rules, and
 * the UI's own logic (cart, scans, countdown, language, service mode, error boundary), all on
 * the real kiosk core and server (test/renderer/fixture/real-core-harness.ts): drift between
 * core, bridge and UI fails here.
 */
import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeReader } from '../../hardware/index.ts';
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
const DOCS = join(import.meta.dirname, '../../docs/screenshots');
const MINJUN = DEMO_PEOPLE[0];
const DOC_SCREENS: Record<string, string> = { '03-session': 'session', '04-borrow-cart': 'borrow-cart' };

describe.skipIf(skip !== null)('every kiosk screen on the real core (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** A kiosk of its own for each sweep (its database is damaged at the end), and a page on it. */
  async function open(size: ViewportName) {
    const kiosk = await harness.startKiosk();
    // The offline roster, so a badge is known while the server is away.
    await kiosk.roster.refresh(true);
    const context = await chrome.browser.newContext({
      viewport: VIEWPORTS[size],
      hasTouch: true,
      isMobile: false,
    });
    const page = await context.newPage();
    await openIdle(page, base);
    return { kiosk, page, context };
  }

  /** The server away while `run` runs (an outage), back afterwards whatever happens. */
  async function serverAway(run: () => Promise<void>) {
    await harness.server.stop();
    try {
      await run();
    } finally {
      await harness.server.start();
    }
  }

  /** The screen in the language under test: a session starts in Korean, so English is chosen again. */
  async function inLanguage(page: Page, lang: 'ko' | 'en') {
    if (lang === 'ko') return;
    // A screen that has just changed (a session ended) may still turn back to Korean: ask again.
    const toggle = page.locator('button.lang-switch');
    const current = () => page.evaluate(() => document.documentElement.lang);
    const settled = async () => {
      // English, and still English a moment later (not undone by the screen arriving).
      const deadline = Date.now() + 1500;
      while (Date.now() < deadline && (await current()) !== 'en') await page.waitForTimeout(100);
      await page.waitForTimeout(300);
      return (await current()) === 'en';
    };
    for (let n = 0; n < 4; n++) {
      if ((await current()) !== 'en' && (await toggle.count()) > 0) await toggle.first().tap();
      if (await settled()) break;
    }
    expect(await current()).toBe('en');
  }

  /** A tapped button is drawn pressed (scaled to 97%) for a moment: measure once all are released. */
  async function released(page: Page) {
    await expect
      .poll(() =>
        page.evaluate(() =>
          [...document.querySelectorAll('button')].some((b) => getComputedStyle(b).transform !== 'none'),
        ),
      )
      .toBe(false);
  }

  async function checkScreen(page: Page, size: ViewportName, name: string, lang: 'ko' | 'en' = 'ko') {
    await inLanguage(page, lang);
    name = lang === 'ko' ? name : `en-${name}`;
    await released(page);
    expect(await smallTargets(page), `${name} at ${size}`).toEqual([]);
    expect(await unlabelledButtons(page), `${name} at ${size}`).toEqual([]);
    expect(await overflows(page), `${name} at ${size}`).toEqual({ x: false, y: false });
    expect(await leakedInternals(page), `${name} at ${size}`).toBeNull();
    const path = await shot(page, 'ui', `${size}-${name}`);
    // The screens a person sees most, at each panel size in both languages, kept in the docs.
    const docName = DOC_SCREENS[name.replace(/^en-/, '')];
    if (docName) {
      const { width, height } = VIEWPORTS[size];
      copyFileSync(path, join(DOCS, `kiosk-${docName}-${lang}-${width}x${height}.png`));
    }
  }

  for (const lang of ['ko', 'en'] as const)
    for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
      it(`every screen fits, has 48px targets and labels at ${size} in ${lang}`, async () => {
        const { kiosk, page, context } = await open(size);
        const ids = new Map((await kiosk.core.api.getView({})).items.map((i) => [i.tag, i.id]));
        await expect.poll(() => page.locator('h1').textContent()).toBe('카드를 태그해 주세요');
        await inLanguage(page, lang);
        await checkScreen(page, size, '01-idle', lang);
        await page.tap('[data-testid="sim-open"]');
        await checkScreen(page, size, '02-idle-simulator', lang);

        await page.fill('[data-testid="sim-credential"]', MINJUN.badge);
        await page.tap('[data-testid="sim-tap"]');
        await page.locator('[data-testid="session-name"]').waitFor();
        expect(await page.textContent('[data-testid="session-name"]')).toContain('김민준');
        await inLanguage(page, lang);
        await checkScreen(page, size, '03-session', lang);

        await page.tap('[data-testid="go-borrow"]');
        await page.tap('[data-item-tag="CM-001"]');
        await page.tap('[data-item-tag="TB-001"]');
        await checkScreen(page, size, '04-borrow-cart', lang);

        await page.tap('[data-testid="confirm-borrow"]');
        await page.locator('[data-screen="receipt"]').waitFor();
        await checkScreen(page, size, '05-receipt', lang);

        // The server away: 김민준 known from the offline roster. Offline the kiosk knows only
        // the loans it has not synced yet (identify-badge.ts), so he borrows the multimeter
        // first, then comes back to return it.
        await kiosk.core.api.endSession({});
        await serverAway(async () => {
          kiosk.core.badge(MINJUN.badge);
          await kiosk.waitForView((v) => v.screen === 'session', 'his offline session');
          expect(await kiosk.core.api.borrow({ itemIds: [ids.get('LB-002')!] })).toEqual({ ok: true });
          await kiosk.core.api.endSession({});
          kiosk.core.badge(MINJUN.badge);
          await page.tap('[data-testid="go-return"]');
          await inLanguage(page, lang);
          // The multimeter chosen, reported with a part missing in its own sheet.
          await page.tap(`[data-testid="return-list"] button:has-text("멀티미터")`);
          await page.tap(`[data-testid="report-${ids.get('LB-002')}"]`);
          await page.tap(lang === 'ko' ? 'text=구성품 누락' : 'text=Part missing');
          await page.tap('[data-testid="report-done"]');
          await checkScreen(page, size, '06-return-offline', lang);
          await kiosk.core.api.endSession({});
        });

        kiosk.core.badge('nfc:0badbadbad0001');
        await page.locator('[data-screen="denied"]').waitFor();
        await checkScreen(page, size, '07-denied', lang);

        await kiosk.core.api.endSession({});
        kiosk.core.badge(DEMO_ADMIN_BADGE);
        await page.locator('[data-screen="service"]').waitFor();
        await checkScreen(page, size, '08-service', lang);
        await kiosk.core.api.endSession({});

        // The camera, the tablet and the multimeter back, for the next sweep to borrow.
        await kiosk.sync.flush();
        kiosk.core.badge(MINJUN.badge);
        await kiosk.waitForView((v) => v.screen === 'session', 'his session');
        const itemIds = ['CM-001', 'TB-001', 'LB-002'].map((t) => ids.get(t)!);
        expect(await kiosk.core.api.returnItems({ itemIds })).toEqual({ ok: true });
        await kiosk.core.api.endSession({});
        await kiosk.sync.flush();

        // 최유나 idle for 50 s of the 60 allowed: the countdown. The server is away meanwhile
        // (the kiosk's clock is moved on, the server's is not).
        kiosk.core.badge('kbd:1000234');
        await page.locator('[data-testid="session-name"]').waitFor();
        await serverAway(async () => {
          kiosk.advance(50_000);
          await page.locator('[data-testid="countdown"]').waitFor();
          await checkScreen(page, size, '09-countdown', lang);
          await kiosk.core.api.endSession({});
          kiosk.resetClock();
        });

        // The kiosk's database failed (its file moved away under it, found by the next
        // heartbeat): out of service for everyone, the fault named in service mode.
        await page.locator('[data-screen="idle"]').waitFor();
        renameSync(join(kiosk.dataDir, 'kiosk.db'), join(kiosk.dataDir, 'kiosk.db.moved'));
        await kiosk.heartbeat();
        await page.locator('[data-screen="outOfService"]').waitFor();
        if (lang === 'ko') expect(await page.textContent('h1')).toBe('지금은 이용할 수 없습니다');
        await checkScreen(page, size, '10-out-of-service', lang);
        kiosk.core.badge(DEMO_ADMIN_BADGE);
        await page.locator('[data-testid="storage-fault"]').waitFor();
        if (lang === 'ko')
          expect(await page.textContent('[data-testid="storage-fault"]')).toContain(
            '데이터베이스에 문제가 생겼습니다',
          );
        await checkScreen(page, size, '11-service-storage-fault', lang);
        await context.close();
        // Eleven screens on a real core and server, English chosen again on each: a loaded
        // machine takes more than the default half minute.
      }, 120_000);
    }
});

/**
 * The same renderer on the real kiosk core and server (test/renderer/fixture/real-core-harness.ts):
 * 김민준 holds the MacBook Air and the iPad Pro, lent by this kiosk and synced.
 */
describe.skipIf(skip !== null)('kiosk UI on the real core (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;
  let ids: Map<string, string>;

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    kiosk = await harness.startKiosk();
    ids = new Map((await kiosk.core.api.getView({})).items.map((i) => [i.tag, i.id]));
    kiosk.core.badge(MINJUN.badge);
    await kiosk.waitForView((v) => v.screen === 'session', 'his session');
    const lent = await kiosk.core.api.borrow({ itemIds: [ids.get('LT-002')!, ids.get('TB-001')!] });
    expect(lent).toEqual({ ok: true });
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    await kiosk.core.pullCatalog();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function open(size: ViewportName): Promise<{ page: Page; context: BrowserContext }> {
    const context = await chrome.browser.newContext({
      viewport: VIEWPORTS[size],
      hasTouch: true,
      isMobile: false,
    });
    const page = await context.newPage();
    await openIdle(page, base);
    return { page, context };
  }

  it('borrows several items in one go; blocked items are shown, not hidden', async () => {
    const { page, context } = await open('landscape');
    kiosk.core.badge(MINJUN.badge);
    await page.tap('[data-testid="go-borrow"]');
    // On loan and role-restricted items are listed, disabled, with the reason in words.
    const onLoan = page.locator('[data-item-tag="LT-002"]');
    await expect.poll(() => onLoan.isDisabled()).toBe(true);
    expect(await onLoan.textContent()).toContain('대여 중');
    const restricted = page.locator('[data-item-tag="LT-004"]');
    expect(await restricted.isDisabled()).toBe(true);
    expect(await restricted.textContent()).toContain('빌릴 권한이 없는 물품입니다');
    // An empty cart's button says what it does, not "0개".
    expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('빌리기');

    await page.fill('[data-testid="search"]', 'sony');
    expect(await page.locator('[data-item-tag]').count()).toBe(1);
    await shot(page, 'ui', 'landscape-12-search');
    await page.tap('[data-item-tag="CM-001"]');
    await page.fill('[data-testid="search"]', '');
    await page.tap('[data-item-tag="LB-002"]');
    await page.tap('[data-item-tag="TB-002"]');
    await page.tap('[data-item-tag="TB-002"]'); // tapping again takes it out
    expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('2개 빌리기');
    await page.tap('[data-testid="confirm-borrow"]');
    await page.locator('[data-screen="receipt"]').waitFor();
    expect(await page.locator('[data-testid="receipt-lines"] li').count()).toBe(2);
    // One borrow of the two, in the order chosen; the tablet taken out again is not in it.
    const receipt = (await kiosk.core.api.getView({})).receipt;
    expect(receipt?.lines.map((l) => l.itemId)).toEqual([ids.get('CM-001'), ids.get('LB-002')]);
    await kiosk.core.api.endSession({});
    await context.close();
  });

  it('scans add to the cart, select returns, and unknown tags are named', async () => {
    const { page, context } = await open('landscape');
    kiosk.core.badge(MINJUN.badge);
    await page.locator('[data-testid="session-name"]').waitFor();
    kiosk.core.scan('CM-003');
    await expect.poll(() => page.getAttribute('[data-screen="session"]', 'data-page')).toBe('borrow');
    expect(await page.textContent('[data-testid="cart"]')).toContain('GoPro HERO12');
    // The simulator is in the top bar during a session: a developer scans from it.
    await page.tap('[data-testid="sim-open"]');
    await page.fill('[data-testid="sim-tag"]', 'TB-002');
    await page.tap('[data-testid="sim-scan"]');
    await expect.poll(() => page.textContent('[data-testid="cart"]')).toContain('Galaxy Tab S9');
    await page.tap('[aria-label="시뮬레이터 닫기"]');
    // A keyboard-wedge scanner typing fast into the window counts as a scan too.
    // Dispatched in one burst inside the page: a scanner's pace, whatever the machine's load.
    await page.evaluate(() => {
      for (const key of [...'LB-003', 'Enter'])
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.textContent('[data-testid="cart"]')).toContain('납땜 스테이션');
    kiosk.core.scan('ZZ-999');
    await expect
      .poll(() => page.textContent('[data-testid="session-message"]'))
      .toBe('등록되지 않은 물품 태그입니다: ZZ-999');

    // On the return page a scan of any item selects it; each reported condition goes with the return.
    await page.tap('text=‹ 뒤로');
    await page.tap('[data-testid="go-return"]');
    kiosk.core.scan('TB-001');
    await page.tap('[aria-label="MacBook Air 13 반납 선택"]');
    // Each item's own report: both damaged.
    for (const tag of ['TB-001', 'LT-002']) {
      await page.tap(`[data-testid="report-${ids.get(tag)}"]`);
      await page.tap('text=파손됨');
      await page.getByText('담당자가 점검할 때까지').waitFor();
      await page.tap('[data-testid="report-done"]');
    }
    expect(await page.textContent('[data-testid="confirm-return"]')).toBe('2개 반납하기');
    await page.tap('[data-testid="confirm-return"]');
    await page.locator('[data-screen="receipt"]').waitFor();
    // One return of the two, in the order chosen, with the condition reported: once synced
    // the server holds both for a check, as damaged.
    const receipt = (await kiosk.core.api.getView({})).receipt;
    expect(receipt?.lines.map((l) => l.itemId)).toEqual([ids.get('TB-001'), ids.get('LT-002')]);
    await kiosk.core.api.endSession({});
    await kiosk.sync.flush();
    const { store } = harness.server.deps();
    for (const tag of ['TB-001', 'LT-002'])
      expect(await store.findItemByTag(tag)).toMatchObject({
        condition: 'needs_check',
        conditionReport: 'damaged',
      });
    await context.close();
  });

  it('a failed borrow keeps the cart and says why in words', async () => {
    const { page, context } = await open('pi7');
    kiosk.core.badge(DEMO_PEOPLE[3].badge);
    await page.tap('[data-testid="go-borrow"]');
    await page.tap('[data-item-tag="CM-002"]');
    // Meanwhile 이서연 borrows the camera at another kiosk, and the catalog brings it here: the
    // core refuses the whole cart (its one item is not lendable), a code with no list.
    const other = await harness.startKiosk();
    harness.use(kiosk);
    other.core.badge(DEMO_PEOPLE[1].badge);
    await other.waitForView((v) => v.screen === 'session', 'her session');
    expect(await other.core.api.borrow({ itemIds: [ids.get('CM-002')!] })).toEqual({ ok: true });
    await other.core.api.endSession({});
    await other.sync.flush();
    await kiosk.core.pullCatalog();
    await page.tap('[data-testid="confirm-borrow"]');
    await expect
      .poll(() => page.textContent('[data-testid="session-message"]'))
      .toBe('다른 사람이 빌린 물품입니다');
    expect(await page.textContent('[data-testid="confirm-borrow"]')).toBe('1개 빌리기');
    await kiosk.core.api.endSession({});
    await context.close();
  });

  it('service mode: status, force sync, enrol a badge by tapping it', async () => {
    // A kiosk with an NFC reader that was unplugged (fake hardware) and three rows not yet
    // synced: three items borrowed while the server was away.
    const unplugged: BadgeReader = {
      id: 'nfc-0',
      kind: 'nfc',
      start: (sink) => sink.status({ readerId: 'nfc-0', kind: 'nfc', state: 'gone', detail: 'unplugged' }),
      stop: async () => {},
    };
    const other = await harness.startKiosk({}, [unplugged]);
    await other.roster.refresh(true);
    const { page, context } = await open('landscape');
    await harness.server.stop();
    try {
      // Two borrows at most offline each (the roster's allowance): 김민준 two, 최유나 one.
      for (const [badge, tags] of [
        [MINJUN.badge, ['CM-003', 'LB-003']],
        [DEMO_PEOPLE[3].badge, ['TB-002']],
      ] as const) {
        other.core.badge(badge);
        await other.waitForView((v) => v.screen === 'session', 'an offline session');
        expect(await other.core.api.borrow({ itemIds: tags.map((t) => ids.get(t)!) })).toEqual({ ok: true });
        await other.core.api.endSession({});
      }
      expect(other.outbox.stats().pending).toBe(3);
      // The admin still away from the server (a reachable one takes the rows at once).
      other.core.badge(DEMO_ADMIN_BADGE);
      await page.locator('[data-screen="service"]').waitFor();
      expect(await page.textContent('[data-testid="readers"]')).toContain('분리됨');
      expect(await page.textContent('[data-testid="queue-depth"]')).toBe('3건 대기');
    } finally {
      await harness.server.start();
    }
    await page.tap('[data-testid="force-sync"]');
    await expect.poll(() => page.textContent('[data-testid="queue-depth"]')).toBe('0건 대기');
    // Service mode again, now online: the server's people list to enrol from.
    await other.core.api.endSession({});
    await page.locator('[data-screen="idle"]').waitFor();
    other.core.badge(DEMO_ADMIN_BADGE);
    await page.locator('[data-screen="service"]').waitFor();
    await page.tap('[data-testid="people"] >> text=최유나');
    await expect.poll(() => page.getAttribute('[data-testid="enrol-state"]', 'data-state')).toBe('waiting');
    expect(await page.textContent('[data-testid="enrol-state"]')).toContain('새 카드를 지금 태그하세요');
    // 김민준's badge is someone's already: the server refuses it.
    other.core.badge(MINJUN.badge);
    await expect
      .poll(() => page.textContent('[data-testid="enrol-state"]'))
      .toContain('이미 등록된 카드입니다');
    await other.core.api.endSession({});
    harness.use(kiosk);
    await context.close();
  });

  it('shows the inactivity countdown near the end and a touch keeps the session', async () => {
    // A kiosk of its own: its clock is moved on, with the server away meanwhile (harness).
    const own = await harness.startKiosk();
    const { page, context } = await open('pi7');
    own.core.badge('kbd:1000234');
    await page.locator('[data-testid="session-name"]').waitFor();
    expect(await page.locator('[data-testid="countdown"]').count()).toBe(0);
    await harness.server.stop();
    try {
      own.advance(50_000);
      await expect
        .poll(() => page.textContent('[data-testid="countdown"] .countdown-text'))
        .toMatch(/^(10|9)초 후 자동 종료$/);
      await page.tap('[data-testid="countdown"] button');
      await expect.poll(() => page.locator('[data-testid="countdown"]').count()).toBe(0);
      own.advance(61_000);
      await page.locator('[data-screen="idle"]').waitFor();
    } finally {
      await harness.server.start();
      harness.use(kiosk);
    }
    await context.close();
  });

  it('a render crash shows plain words in both languages, never a stack', async () => {
    const context = await chrome.browser.newContext({
      viewport: VIEWPORTS.pi7,
      hasTouch: true,
      isMobile: false,
    });
    const page = await context.newPage();
    // The real core never sends a malformed view: one is put on the real bridge's socket.
    let toPage: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/api(\?|$)/, (ws) => {
      ws.connectToServer();
      toPage = ws;
    });
    await openIdle(page, base);
    await page.evaluate(() => console.error); // keep console noise out of the assertion
    const view = await kiosk.core.api.getView({});
    const broken = { ...view, screen: 'session', session: { user: null } };
    toPage!.send(JSON.stringify({ type: 'event', name: 'view', payload: broken }));
    await expect.poll(() => page.textContent('main')).toContain('문제가 생겼습니다');
    expect(await page.textContent('main')).toContain('Something went wrong');
    expect(await leakedInternals(page)).toBeNull();
    await context.close();
  });

  it('switches language, and the next person starts in Korean again', async () => {
    const { page, context } = await open('landscape');
    await page.tap('button.lang-switch');
    await expect.poll(() => page.textContent('h1')).toBe('Tap your badge');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    kiosk.core.badge('nfc:0badbadbad0001');
    await expect
      .poll(() => page.textContent('[data-testid="denied-reason"]'))
      .toContain('This card cannot be used here');
    await kiosk.core.api.endSession({});
    await expect.poll(() => page.textContent('h1')).toBe('카드를 태그해 주세요');
    await context.close();
  });

  it('blocks the context menu and text selection', async () => {
    const { page, context } = await open('landscape');
    const prevented = await page.evaluate(() => {
      const ev = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
      document.querySelector('h1')!.dispatchEvent(ev);
      return ev.defaultPrevented;
    });
    expect(prevented).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.body).userSelect)).toBe('none');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).cursor)).toBe('auto');
    // A kiosk without the simulator (as installed): the pointer is hidden.
    harness.use(await harness.startKiosk({ simulator: false }));
    await page.reload();
    await page.locator('[data-screen="idle"]').waitFor();
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.querySelector('h1')!).cursor))
      .toBe('none');
    harness.use(kiosk);
    await context.close();
  });
});
