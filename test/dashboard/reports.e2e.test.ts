/**
 * Reports and Reminders in real Chromium (issue 17): the overdue report (by category and by
 * person) and the usage report, each as a table and SVG bars, CSV downloads with a BOM and
 * headers in the page's language; a period of chosen dates and a wrong one; the reminders
 * page with no channel (says so, Send off) and with one (preview, in-app confirmation, sent).
 * Screenshots at 1366x768 in Korean and English.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInPage } from './signed-in.ts';
import type { Notifier, OverdueReminder } from '../../server/notify/notifier.ts';
import { kiosk as enrolKiosk, row, sync } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const DAY = 24 * 60 * 60 * 1000;

describe.skipIf(skip)('dashboard reports and reminders in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    const now = Date.now();
    const k = await enrolKiosk(store, 'lobby', now - 30 * DAY);
    const who = async (email: string) => (await store.findUserByEmail(email))!.id;
    const item = async (tag: string) => (await store.findItemByTag(tag))!.id;
    // 김민준 has had the Sony A7 IV 10 days (3-day loan), 박지훈 a MacBook 9 days (7-day loan),
    // 이서연 an iPad 2 days; 최유나 had the Canon for 5 days two weeks ago.
    const results = await sync(
      store,
      k.id,
      [
        row({
          id: 'r1',
          seq: 1,
          kind: 'borrow',
          itemId: await item('CM-002'),
          userId: await who('yuna@example.com'),
          occurredAt: now - 20 * DAY,
        }),
        row({
          id: 'r2',
          seq: 2,
          kind: 'return',
          itemId: await item('CM-002'),
          userId: await who('yuna@example.com'),
          occurredAt: now - 15 * DAY,
        }),
        row({
          id: 'r3',
          seq: 3,
          kind: 'borrow',
          itemId: await item('CM-001'),
          userId: await who('minjun@example.com'),
          occurredAt: now - 10 * DAY,
        }),
        row({
          id: 'r4',
          seq: 4,
          kind: 'borrow',
          itemId: await item('LT-001'),
          userId: await who('jihoon@example.com'),
          occurredAt: now - 9 * DAY,
        }),
        row({
          id: 'r5',
          seq: 5,
          kind: 'borrow',
          itemId: await item('TB-001'),
          userId: await who('seoyeon@example.com'),
          occurredAt: now - 2 * DAY,
        }),
      ],
      now,
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);

    chromium = await launchChromium();
    ({ page } = await signedInPage(chromium, server.url, { dialogs, acceptDownloads: true }));
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  async function setLang(lang: 'ko' | 'en') {
    await page.evaluate((l) => localStorage.setItem('rental-dashboard-lang', l), lang);
    await page.reload();
  }

  /** Click a CSV button and read what the browser saved. */
  async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
  }

  const rowsOf = (testId: string) => page.getByTestId(testId).locator('tbody tr');

  it('shows the overdue report as tables and bars, and downloads its CSV in Korean', async () => {
    await page.goto(`${server.url}/dashboard/#/reports`);
    await page.getByRole('heading', { level: 1, name: '보고서' }).waitFor();
    await page.getByTestId('table-overdue-people').waitFor();
    expect(await page.getByTestId('overdue-summary').textContent()).toBe('지금 연체된 대여 2건 · 2명');
    expect(await rowsOf('table-overdue-people').allInnerTexts()).toEqual([
      // Due a week and a few seconds ago: the eighth day is under way (the reminders' rule).
      expect.stringMatching(/^김민준\t1\t.+\t8$/),
      expect.stringMatching(/^박지훈\t1\t.+\t3$/),
    ]);
    expect(await rowsOf('table-overdue-categories').locator('td:first-child').allInnerTexts()).toEqual([
      '노트북 Laptops',
      '카메라 Cameras',
    ]);
    // One bar per row, the longest for the longest overdue.
    const bars = page.getByTestId('chart-overdue-people').locator('rect');
    expect(await bars.count()).toBe(2);
    const widths = await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    expect(widths[0]).toBeGreaterThan(widths[1]! * 2);
    expect(await page.getByTestId('chart-overdue-categories').locator('rect').count()).toBe(2);

    // Usage over the last 30 days: the Sony out 10 days tops it.
    await page.getByTestId('table-usage').waitFor();
    const usage = await rowsOf('table-usage').allInnerTexts();
    expect(usage[0]).toMatch(/^CM-001 Sony A7 IV\t카메라 Cameras\t1\t10\.0\t33%$/);
    expect(usage).toHaveLength(4);
    expect(await page.getByTestId('chart-usage').locator('rect').count()).toBe(4);
    expect(await page.getByTestId('usage-summary').textContent()).toContain(
      '물품 12개 중 4개가 이 기간에 대여되었습니다',
    );
    await shot(page, SUITE, '40-reports-ko');

    const people = await download('csv-overdue-people');
    expect(people.name).toBe('overdue-by-person.csv');
    expect([...people.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = people.bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('이름,이메일,연체 건수,가장 오래된 반납 기한,연체 일수');
    expect(lines[1]).toMatch(/^김민준,minjun@example\.com,1,\d{4}-\d\d-\d\d \d\d:\d\d,8$/);
    const csv = await download('csv-usage');
    expect(csv.bytes.toString('utf8').split('\r\n')[0]).toBe(
      '\uFEFF자산 태그,물품,분류,대여 건수,대여 일수,대여 비율(%),기간 시작,기간 끝',
    );
    expect(await leakedInternals(page)).toBeNull();
  });

  it('narrows usage to a category and to chosen dates; a backwards period is said in words', async () => {
    await page.goto(`${server.url}/dashboard/#/reports`);
    await page.getByTestId('table-usage').waitFor();
    await page.getByTestId('usage-category').selectOption('카메라 Cameras');
    await expect.poll(async () => (await rowsOf('table-usage').allInnerTexts()).length).toBe(2);
    expect(page.url()).toContain('category=');

    // 최유나's Canon two weeks ago: not in the last 7 days, alone in the week before the others.
    await page.getByTestId('usage-period').selectOption('7');
    await expect.poll(async () => (await rowsOf('table-usage').allInnerTexts()).length).toBe(1);

    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    await page.getByTestId('usage-period').selectOption('custom');
    await page.getByTestId('usage-from').fill(day(Date.now() - 21 * DAY));
    await page.getByTestId('usage-to').fill(day(Date.now() - 12 * DAY));
    await expect
      .poll(async () => (await rowsOf('table-usage').locator('td:first-child').allInnerTexts()).join('|'))
      .toBe('CM-002 Canon EOS R6');
    await page.getByTestId('usage-to').fill(day(Date.now() - 25 * DAY));
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('기간을 확인해 주세요');
    // The table of the earlier period is gone: nothing is shown as if it were this period's.
    expect(await page.getByTestId('table-usage').count()).toBe(0);
    await shot(page, SUITE, '40-reports-bad-period-ko');
    expect(await leakedInternals(page)).toBeNull();
  });

  it('speaks English with English CSV headers', async () => {
    await setLang('en');
    await page.goto(`${server.url}/dashboard/#/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByTestId('table-usage').waitFor();
    expect(await page.getByTestId('overdue-summary').textContent()).toBe('Overdue now: loans 2 · people 2');
    await shot(page, SUITE, '40-reports-en');
    const cats = await download('csv-overdue-categories');
    expect(cats.bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe(
      'Category,Overdue loans,People,Oldest due,Days overdue',
    );
    await setLang('ko');
  });

  it('reminders with no channel: says so, shows what to set, and Send stays off', async () => {
    server.deps().notifiers = [];
    await page.goto(`${server.url}/dashboard/#/reminders`);
    await page.getByRole('heading', { level: 1, name: '연체 알림' }).waitFor();
    await page.getByTestId('reminders-no-channel').waitFor();
    expect(await page.getByTestId('reminders-no-channel').textContent()).toContain(
      '알림 채널이 설정되지 않아 보낼 수 없습니다',
    );
    expect(await page.getByTestId('reminders-send').isDisabled()).toBe(true);
    expect(await page.getByTestId('channel-email').textContent()).toContain('RENTAL_SMTP_URL');
    expect(await page.getByTestId('channel-webhook').textContent()).toContain('RENTAL_REMINDER_WEBHOOK');
    expect(await page.getByTestId('reminders-would-send').textContent()).toBe(
      '연체된 대여 2건에 대해 2명에게 알림을 보냅니다',
    );
    expect(await rowsOf('reminder-sample').locator('td:first-child').allInnerTexts()).toEqual([
      '김민준',
      '박지훈',
    ]);
    await shot(page, SUITE, '41-reminders-none-ko');
    await setLang('en');
    await page.getByTestId('reminders-no-channel').waitFor();
    await shot(page, SUITE, '41-reminders-none-en');
    await setLang('ko');
  });

  it('reminders with a channel: preview, an in-app confirmation, then sent', async () => {
    const sent: OverdueReminder[] = [];
    const webhook: Notifier = { name: 'webhook', send: async (r) => void sent.push(r) };
    server.deps().notifiers = [webhook];
    await page.goto(`${server.url}/dashboard/#/reminders`);
    await page.getByTestId('reminder-sample').waitFor();
    expect(await page.getByTestId('channel-webhook').getAttribute('data-configured')).toBe('true');
    expect(await page.getByTestId('channel-webhook').textContent()).toContain('받는 사람 2명');
    expect(await page.getByTestId('reminders-no-channel').count()).toBe(0);
    await shot(page, SUITE, '42-reminders-preview-ko');

    await page.getByTestId('reminders-send').click();
    const ask = page.getByTestId('ask');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('웹훅 채널로 2명에게 보냅니다');
    await ask.getByRole('button', { name: '취소' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(sent).toEqual([]);

    await page.getByTestId('reminders-send').click();
    await ask.getByRole('button', { name: '알림 보내기' }).click();
    await page.getByTestId('reminders-result').waitFor();
    expect(await page.getByTestId('reminders-result').textContent()).toBe(
      '연체 2건: 알림 2건 보냄, 0건 실패',
    );
    expect(sent.map((r) => r.person.displayName).sort()).toEqual(['김민준', '박지훈']);

    await setLang('en');
    await page.getByTestId('reminder-sample').waitFor();
    await shot(page, SUITE, '42-reminders-preview-en');
    await setLang('ko');
  });
});
