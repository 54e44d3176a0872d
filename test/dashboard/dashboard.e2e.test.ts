/**
 * The admin dashboard end to end in real Chromium against a real server (demo data, SQLite
 * file, listening on loopback) and a real kiosk core: sign in, create a person with a badge,
 * the kiosk borrows and the loan appears live, a conflict is resolved with a note, silent
 * refresh after the access cookie is gone, and sign-out, after which the old access token
 * is refused by the API; the System page's server processes in both languages at 1366x768.
 * Screenshots of each page go to test/artifacts/dashboard/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskView } from '../../protocol/index.ts';
import { DEMO_ADMIN, DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { createServerClock } from '../../src-main/core/clock/server-clock.ts';
import { openDeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { createServerClient, type ServerClient } from '../../src-main/core/server-client.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const NEW_BADGE = 'kbd:7000123';

/** A second, bare kiosk that talks HTTP with its own enrolled device key (for heartbeats and a clash). */
async function bareKiosk(server: TestServer, dir: string): Promise<{ client: ServerClient; id: string }> {
  const identity = await openDeviceIdentity(dir);
  const local = { now: () => Date.now() };
  const serverClock = createServerClock(local);
  const client = createServerClient({
    baseUrl: server.url,
    local,
    serverClock,
    assertion: () => identity.assertion(serverClock),
  });
  if (!identity.enrollment()) {
    const res = await client.enroll({
      code: await server.enrollmentCode('2층 실험실'),
      publicJwk: identity.publicJwk as never,
    });
    identity.saveEnrollment({ ...res, serverUrl: server.url });
  }
  return { client, id: identity.enrollment()!.kioskId };
}

describe.skipIf(skip)('admin dashboard in Chromium', () => {
  let server: TestServer;
  let kiosk: TestKiosk;
  let chromium: LaunchedBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer({ tapsPerMinute: 600 });
    kiosk = await startTestKiosk({
      serverUrl: server.url,
      enrollCode: await server.enrollmentCode('1층 로비 Lobby'),
    });
    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await kiosk?.dispose();
    await server?.dispose();
  });

  const nav = async (name: string) => {
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  };

  /** A person at the real kiosk core: tap, borrow one item, see the receipt. */
  async function kioskBorrows(credential: string, itemTag: string) {
    const { api } = kiosk.core;
    const before = await api.getView({});
    if (before.screen !== 'idle') await api.endSession({});
    await kiosk.waitForView((v) => v.screen === 'idle', 'idle');
    expect((await api.simulateTap({ credential })).ok).toBe(true);
    const view: KioskView = await kiosk.waitForView(
      (v) => v.screen === 'session',
      `session for ${credential}`,
    );
    const item = view.items.find((i) => i.tag === itemTag)!;
    expect((await api.borrow({ itemIds: [item.id] })).ok).toBe(true);
    await kiosk.waitForView((v) => v.screen === 'receipt', 'receipt');
    return item.id;
  }

  it('refuses the API without a session and shows the sign-in page', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot(page, SUITE, '01-login-en');
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('button', { name: '로그인' }).waitFor();
    await shot(page, SUITE, '01-login-ko');
    await page.getByRole('button', { name: 'English' }).click();

    await page.fill('input[name=email]', DEMO_ADMIN.email);
    await page.fill('input[name=password]', 'wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Email or password is wrong');
  });

  it('signs in with HttpOnly cookies and shows the overview', async () => {
    await page.fill('input[name=password]', DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const cookies = await context.cookies();
    const access = cookies.find((c) => c.name === 'rental_at')!;
    expect(access).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('rental_at');
    await page.locator('[data-testid=live][data-status=open]').waitFor();
    await shot(page, SUITE, '02-overview-empty');
  });

  it('creates a person with a badge', async () => {
    await nav('People');
    await page.getByRole('button', { name: 'New person' }).click();
    const form = page.getByTestId('person-form');
    await form.locator('input[name=displayName]').fill('한지민');
    await form.locator('input[name=email]').fill('jimin@example.com');
    await form.locator('input[name=badge]').fill(NEW_BADGE);
    await shot(page, SUITE, '03-people-new');
    await form.getByRole('button', { name: 'Create' }).click();
    const detail = page.getByTestId('person-detail');
    await detail.getByText('Numbered card ending in 23').waitFor();
    await page.getByTestId('people').getByText('한지민').waitFor();
    await shot(page, SUITE, '04-person-detail');
  });

  it('shows a borrow at the kiosk core live, without a reload', async () => {
    await nav('Loans');
    await page.getByTestId('loans').or(page.getByText('No loans match')).first().waitFor();
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    await kioskBorrows(NEW_BADGE, 'CM-001');
    const row = page.getByTestId('loans').locator('tr', { hasText: '한지민' });
    await row.getByText('Sony A7 IV').waitFor({ timeout: 15_000 });
    await expect(row.textContent()).resolves.toContain('1층 로비 Lobby');
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    await shot(page, SUITE, '05-loans-live');

    // The overview and the item list agree.
    await nav('Overview');
    await expect(page.getByTestId('stat-out').locator('.stat-value').textContent()).resolves.toBe('1');
    await page.getByTestId('recent').getByText('한지민').waitFor();
    await nav('Items');
    await page.getByTestId('items').getByText('With 한지민').waitFor();

    // Staff send an item to repair: the chip shows on its row, the overview counts it.
    const multimeter = page.getByTestId('items').locator('tr', { hasText: 'LB-002' });
    await multimeter.getByRole('button', { name: 'Set condition' }).click();
    const conditionForm = page.getByTestId('condition-form');
    await conditionForm.getByRole('combobox').selectOption('in_repair');
    await conditionForm.getByRole('textbox').fill('Probe lead cracked; sent to repair');
    await conditionForm.getByRole('button', { name: 'Save' }).click();
    await multimeter.getByTestId('condition').getByText('In repair').waitFor();
    await expect(multimeter.textContent()).resolves.toContain('Probe lead cracked');
    await shot(page, SUITE, '06-items');
  });

  it('shows kiosk health live from heartbeats', async () => {
    await nav('Kiosks');
    const lab = await bareKiosk(server, join(kiosk.dataDir, '..', `lab-${randomUUID()}`));
    await lab.client.heartbeat({
      appVersion: '0.1.0',
      queueDepth: 3,
      oldestUnsyncedAgeS: 240,
      readers: [
        { id: 'nfc-0', kind: 'nfc', status: 'ok' },
        { id: 'wiegand-0', kind: 'wiegand', status: 'absent' },
      ],
      clockOffsetMs: -1800,
    });
    const row = page.locator(`tr[data-kiosk=${lab.id}]`);
    await row.getByText('Online').waitFor({ timeout: 15_000 });
    await expect(row.textContent()).resolves.toContain('4 min');
    // Readers in words, not their codes ("nfc ok")
    await expect(row.textContent()).resolves.toContain('NFC reader · working');
    await expect(row.textContent()).resolves.toContain('Wiegand reader · not connected');
    await shot(page, SUITE, '07-kiosks');

    await page.getByRole('button', { name: 'New kiosk' }).click();
    await page.fill('input[name=kioskName]', '3층 회의실');
    await page.getByRole('button', { name: 'Create' }).click();
    const code = await page.getByTestId('enrollment-code').locator('.code').textContent();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await shot(page, SUITE, '08-kiosk-code');
    await page.getByTestId('enrollment-code').getByRole('button', { name: 'Close' }).click();
  });

  it('shows a conflict with its evidence and resolves it with a note that reaches the audit log', async () => {
    await nav('Conflicts');
    await page.getByText('No conflicts to settle').waitFor();
    // A second kiosk, offline for a while, recorded 이서연 borrowing the camera 한지민 already has.
    const lab = await bareKiosk(server, join(kiosk.dataDir, '..', `lab2-${randomUUID()}`));
    const seoyeon = DEMO_PEOPLE[1];
    const tap = await lab.client.tap(seoyeon.badge);
    const item = (await lab.client.catalog(null)).items.find((i) => i.tag === 'CM-001')!;
    const [result] = (
      await lab.client.sync([
        {
          id: randomUUID(),
          seq: 1,
          kind: 'borrow',
          itemId: item.id,
          userId: tap.user.id,
          occurredAt: new Date().toISOString(),
          clockTrusted: true,
          auth: { kind: 'rental', token: tap.token },
        },
      ])
    ).results;
    expect(result).toMatchObject({ status: 'conflict', code: 'ITEM_UNAVAILABLE' });

    const card = page.getByTestId('conflict');
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain('한지민');
    await expect(card.textContent()).resolves.toContain(seoyeon.displayName);
    await shot(page, SUITE, '09-conflict');
    // The later borrow moved the camera to 이서연 in the records; staff find it still with 한지민.
    await expect(card.getByTestId('holder-now').textContent()).resolves.toContain(
      `on loan to ${seoyeon.displayName}`,
    );
    await card.getByRole('textbox').fill('Checked in person: the camera is still with 한지민');
    await card.getByLabel('한지민 has it', { exact: false }).check();
    await shot(page, SUITE, '09b-conflict-correction');
    await card.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('No conflicts to settle').waitFor();
    // The loans follow the correction, not only the note.
    const camera = (await server.loans('open')).filter((l) => l.itemId === item.id);
    expect(camera.map((l) => l.userName)).toEqual(['한지민']);
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await page.getByTestId('conflict').getByText('Checked in person', { exact: false }).waitFor();

    await nav('Audit log');
    const entry = page
      .getByTestId('audit')
      .locator('tr', { hasText: 'settled the conflict over Sony A7 IV' });
    await expect(entry.textContent()).resolves.toContain('Checked in person');
    await page.getByTestId('audit').locator('tr', { hasText: 'added 한지민' }).waitFor();
    await page.getByTestId('audit').locator('tr', { hasText: 'borrowed Sony A7 IV at' }).first().waitFor();
    await shot(page, SUITE, '10-audit');
  });

  it('shows the server processes on the System page, in English and Korean', async () => {
    // The test server is built in this process without main.ts's heartbeat, so the rows are
    // written here as main.ts would write them: this process (alive, its real SQLite sizes),
    // the run before it (stopped cleanly at an upgrade) and one that went silent (killed).
    // The figures are made up; test/server/admin/system.test.ts checks real ones.
    const store = server.deps().store;
    const now = Date.now();
    const port = new URL(server.url).port;
    const dbFile = join(server.dataDir, 'server.db');
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    const g = (rps: number, p50Ms: number, p95Ms: number, errorRate = 0) => ({
      rps,
      p50Ms,
      p95Ms,
      errorRate,
    });
    const figures = {
      windowS: 15,
      groups: {
        tap: g(0.2, 18.4, 41),
        sync: g(0.133, 9.6, 23.5),
        catalog: g(0.067, 6.2, 9.8),
        heartbeat: g(0.067, 3.1, 4.9),
        dashboard: g(1.4, 4.2, 12.6, 0.024),
        ops: g(0.133, 0.8, 1.9),
      },
      streams: 1,
      sqlite: { dbBytes: size(dbFile), walBytes: size(`${dbFile}-wal`) },
      rssBytes: 148 * 1024 * 1024,
      backup: { lastOkAt: now - 23 * 60_000, lastErrorAt: null },
      reminders: {
        channels: ['webhook'],
        lastRun: { at: now - 5 * 3_600_000, overdueLoans: 3, sent: 2, failed: 0 },
      },
    };
    const host = `${hostname()}:${port}`;
    // The last hour of this process, one beat every 90 s, for the charts.
    for (let k = 40; k >= 1; k--)
      await store.beatReplica({
        id: 'rep_3f9a1c2e7b04',
        host,
        pid: process.pid,
        version: '0.1.0',
        startedAt: now - 3 * 3_600_000,
        beatAt: now - 4_000 - k * 90_000,
        state: 'alive',
        figures: JSON.stringify({
          ...figures,
          groups: {
            ...figures.groups,
            tap: g(0.2 + 0.6 * Math.abs(Math.sin(k / 6)), 18, 30 + 25 * Math.abs(Math.cos(k / 9))),
          },
        }),
      });
    await store.beatReplica({
      id: 'rep_3f9a1c2e7b04',
      host,
      pid: process.pid,
      version: '0.1.0',
      startedAt: now - 3 * 3_600_000,
      beatAt: now - 4_000,
      state: 'alive',
      figures: JSON.stringify(figures),
    });
    await store.beatReplica({
      id: 'rep_a81d44c09e31',
      host,
      pid: 48_113,
      version: '0.0.9',
      startedAt: now - 9 * 3_600_000,
      beatAt: now - 3 * 3_600_000 - 20_000,
      state: 'stopped',
      figures: JSON.stringify({ ...figures, streams: 0 }),
    });
    await store.beatReplica({
      id: 'rep_07c2b5e1d6f8',
      host: 'rental-b:8421',
      pid: 1,
      version: '0.1.0',
      startedAt: now - 5 * 3_600_000,
      beatAt: now - 2 * 3_600_000,
      state: 'alive',
      figures: null,
    });
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await nav('System');
      const rows = page.getByTestId('replicas');
      await rows.locator('tr[data-replica=rep_3f9a1c2e7b04]').getByText('Alive', { exact: true }).waitFor();
      await expect(rows.locator('tr[data-replica=rep_3f9a1c2e7b04]').textContent()).resolves.toContain(
        'this server',
      );
      await rows.locator('tr[data-replica=rep_a81d44c09e31]').getByText('Stopped', { exact: true }).waitFor();
      await rows.locator('tr[data-replica=rep_07c2b5e1d6f8]').getByText('Gone', { exact: true }).waitFor();
      const tap = page.getByTestId('requests').locator('tr[data-group=tap]');
      await expect(tap.textContent()).resolves.toMatch(/Badge tap.*0\.20.*18 ms.*41 ms.*0%/);
      await expect(page.getByTestId('stat-servers').textContent()).resolves.toContain('0 draining · 1 gone');
      await expect(page.getByTestId('stat-backup').textContent()).resolves.toContain('23 min ago');
      await expect(page.getByTestId('stat-reminders').textContent()).resolves.toMatch(
        /5 h ago.*3 overdue · 2 sent · 0 failed/,
      );
      expect(await overflows(page)).toMatchObject({ x: false });
      await shot(page, SUITE, '10b-system-en');
      // The last hour, drawn: this process's 40 beats as three small charts.
      const lastHour = page.getByTestId('last-hour');
      await lastHour.scrollIntoViewIfNeeded();
      expect(await lastHour.locator('svg polyline').count()).toBe(3);
      await expect(lastHour.textContent()).resolves.toContain(host);
      await shot(page, SUITE, '10d-system-last-hour');

      await page.getByRole('button', { name: '한국어' }).click();
      await page.getByRole('heading', { level: 1, name: '서버 상태' }).waitFor();
      await rows.locator('tr[data-replica=rep_3f9a1c2e7b04]').getByText('실행 중', { exact: true }).waitFor();
      await rows.locator('tr[data-replica=rep_a81d44c09e31]').getByText('멈춤', { exact: true }).waitFor();
      await rows
        .locator('tr[data-replica=rep_07c2b5e1d6f8]')
        .getByText('응답 없음', { exact: true })
        .waitFor();
      await expect(tap.textContent()).resolves.toContain('카드 태그');
      expect(await overflows(page)).toMatchObject({ x: false });
      expect(await leakedInternals(page)).toBeNull();
      await shot(page, SUITE, '10c-system-ko');
      await page.getByRole('button', { name: 'English' }).click();
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
      await store.forgetReplicas(now + 1);
    }
  });

  it('speaks Korean', async () => {
    await page.getByRole('button', { name: '한국어' }).click();
    await nav('개요');
    await expect(page.getByTestId('stat-needs-check').locator('.stat-value').textContent()).resolves.toBe(
      '1',
    );
    await shot(page, SUITE, '11-overview-ko');
    await nav('물품');
    await page.getByTestId('items').locator('tr', { hasText: 'LB-002' }).getByText('수리 중').waitFor();
    await shot(page, SUITE, '11b-items-ko');
    await nav('기록 충돌');
    await page.getByRole('tab', { name: '처리됨' }).click();
    await page.getByTestId('conflict').waitFor();
    await shot(page, SUITE, '12-conflicts-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('refreshes silently when the access cookie is gone', async () => {
    // A new page on the same address, the old one closed first: the old page, left open
    // without its access cookie, could start a refresh of its own (a live event reloads its
    // data) that the reload cuts off after the server spent the token, and the new page's
    // refresh would then present a spent token, which revokes the session (reuse detection).
    const at = page.url();
    await page.close();
    await context.clearCookies({ name: 'rental_at' });
    page = await context.newPage();
    await page.goto(at);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect((await context.cookies()).some((c) => c.name === 'rental_at')).toBe(true);
  });

  it('keeps the session when two tabs refresh it at the same moment', async () => {
    // Two tabs share one refresh cookie; the access token runs out for both at once (their
    // live streams end together). Presented twice at once, the refresh token would be spent
    // once and then count as reused, which revokes the session: the tabs take turns.
    const other = await context.newPage();
    try {
      await other.goto(page.url());
      await other.getByRole('heading', { level: 1 }).waitFor();
      for (let round = 0; round < 3; round++) {
        await context.clearCookies({ name: 'rental_at' });
        // Each tab's calls are held until both tabs have made one, so both hear 401 and
        // refresh at the same moment, as when two live streams end together.
        const waiting = new Set<Page>();
        let release!: () => void;
        const together = new Promise<void>((r) => (release = r));
        const barrier = (tab: Page) => async (route: Route) => {
          waiting.add(tab);
          if (waiting.size === 2) release();
          await together;
          await route.continue();
        };
        for (const tab of [page, other]) await tab.route('**/v1/me', barrier(tab));
        await Promise.all([page.reload(), other.reload()]);
        // Both calls were held (the page's load event can come before its first call).
        await together;
        // Only once the held calls have gone on: unrouting under a handler still running would
        // hand its request on first, and the handler's own continue would then fail.
        for (const tab of [page, other]) await tab.unrouteAll({ behavior: 'wait' });
        for (const tab of [page, other]) {
          await tab.getByRole('heading', { level: 1 }).waitFor();
          expect(await tab.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
          expect(await tab.evaluate(async () => (await fetch('/v1/me')).status)).toBe(200);
        }
      }
    } finally {
      await other.close();
    }
  });

  it('signs out for real: the old access token is refused by the API', async () => {
    const access = (await context.cookies()).find((c) => c.name === 'rental_at')!.value;
    const before = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${access}` } });
    expect(before.status).toBe(200);

    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await context.cookies()).some((c) => c.name === 'rental_at')).toBe(false);

    const after = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${access}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { code: string }).code).toBe('TOKEN_REVOKED');
    const loans = await fetch(`${server.url}/v1/admin/loans`, {
      headers: { authorization: `Bearer ${access}` },
    });
    expect(loans.status).toBe(401);
  });

  it('shows a member only their own loans', async () => {
    // A member with a password (members sign in to see what they have).
    await page.fill('input[name=email]', DEMO_ADMIN.email);
    await page.fill('input[name=password]', DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('People');
    await page.getByRole('button', { name: 'New person' }).click();
    const form = page.getByTestId('person-form');
    await form.locator('input[name=displayName]').fill('정하늘');
    await form.locator('input[name=email]').fill('haneul@example.com');
    await form.locator('input[name=password]').fill('haneul-pass-1234');
    await form.locator('input[name=badge]').fill('kbd:7000999');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('person-detail').getByText('Numbered card ending in 99').waitFor();
    await kioskBorrows('kbd:7000999', 'LT-002');
    await page.getByTestId('sign-out').click();

    await page.fill('input[name=email]', 'haneul@example.com');
    await page.fill('input[name=password]', 'haneul-pass-1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My loans' }).waitFor();
    const text = await page.getByTestId('my-loans').textContent();
    expect(text).toContain('MacBook Air 13');
    expect(text).not.toContain('Sony A7 IV');
    expect(await page.getByRole('link', { name: 'Loans', exact: true }).count()).toBe(0);
    await shot(page, SUITE, '13-member');
    const forbidden = await page.evaluate(async () => (await fetch('/v1/admin/loans')).status);
    expect(forbidden).toBe(403);
  });
});
