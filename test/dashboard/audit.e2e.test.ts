/**
 * The audit log and conflicts in real Chromium (issue 17): each entry a sentence in the
 * reader's language naming who, what and which thing by name (never ids or codes), an edit
 * saying only what changed, before -> after; kiosk borrows as "… 님이 1층 키오스크에서 …를
 * 빌렸습니다"; a conflict code as what happened. Paged on the server; a filter and the page
 * stay in the URL through a reload. Screenshots at 1366x768 in Korean and English.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../../server/seed/demo.ts';
import { signIn } from './signed-in.ts';
import { kiosk as enrolKiosk, row, sync } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

describe.skipIf(skip)('audit log and conflicts in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    const k = await enrolKiosk(store, '1층 키오스크', Date.now());
    const minjun = (await store.findUserByEmail('minjun@example.com'))!;
    const seoyeon = (await store.findUserByEmail('seoyeon@example.com'))!;
    const jihoon = (await store.findUserByEmail('jihoon@example.com'))!;
    const admin = (await store.findUserByEmail(DEMO_ADMIN.email))!;
    const camera = (await store.findItemByTag('CM-001'))!;
    const t0 = Date.now() - 3 * 3_600_000;
    // 60 older changes, so the log has more than one page.
    for (let i = 0; i < 60; i++)
      await store.audit(
        {
          actor: { kind: 'user', id: admin.id, name: admin.displayName, via: null },
          action: 'kiosk.rekey',
          targetKind: 'kiosk',
          targetId: k.id,
        },
        t0 - (60 - i) * 60_000,
      );
    // 김민준 borrows the camera at the kiosk; 이서연 returns it there.
    await sync(
      store,
      k.id,
      [
        row({
          id: 'tx-borrow',
          seq: 1,
          kind: 'borrow',
          itemId: camera.id,
          userId: minjun.id,
          occurredAt: t0,
        }),
      ],
      t0 + 1000,
    );
    await sync(
      store,
      k.id,
      [
        row({
          id: 'tx-return',
          seq: 2,
          kind: 'return',
          itemId: camera.id,
          userId: seoyeon.id,
          occurredAt: t0 + 60_000,
        }),
      ],
      t0 + 61_000,
    );
    // An admin makes 박지훈 an admin: the record path writes what changed.
    await store.audit(
      {
        actor: { kind: 'user', id: admin.id, name: '이수진', via: null },
        action: 'person.update',
        targetKind: 'person',
        targetId: jihoon.id,
        detail: '박지훈: role',
        changes: [{ field: 'role', before: 'staff', after: 'admin' }],
      },
      t0 + 120_000,
    );

    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ko-KR' });
    page = await context.newPage();
    await signIn(page, server.url);
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.dispose();
  });

  const sentences = (p: Page) => p.getByTestId('audit-sentence').allTextContents();
  const range = (p: Page) => p.getByTestId('page-range').textContent();

  it('says each entry as a Korean sentence, an edit by its changed field, and pages', async () => {
    await page.goto(`${server.url}/dashboard/#/audit`);
    await page.getByTestId('audit').waitFor();
    const said = await sentences(page);
    expect(said.slice(0, 3)).toEqual([
      '이수진 님이 박지훈 님의 역할을 담당자에서 관리자로 바꿨습니다',
      '이서연 님이 1층 키오스크에서 다른 사람이 빌린 Sony A7 IV를 반납했습니다',
      '김민준 님이 1층 키오스크에서 Sony A7 IV를 빌렸습니다',
    ]);
    expect(said).toContain('관리자 Admin 님이 키오스크 1층 키오스크의 새 등록 코드를 발급했습니다');
    expect(await leakedInternals(page)).toBeNull();
    expect(await page.locator('body').textContent()).not.toMatch(/usr_|ksk_|session:|tx\./);
    await shot(page, SUITE, '30-audit-ko');

    const total = (await server.deps().store.auditPage({ limit: 1 })).total;
    await expect.poll(() => range(page)).toBe(`전체 ${total}건 중 1–50`);
    const first = said;
    await page.getByTestId('next-page').click();
    await expect.poll(() => range(page)).toBe(`전체 ${total}건 중 51–${total}`);
    const second = await sentences(page);
    expect(second).toHaveLength(total - 50);
    // The page is in the URL: a reload shows the same page.
    expect(new URL(page.url()).hash).toMatch(/^#\/audit\?at=/);
    await page.reload();
    await expect.poll(() => range(page)).toBe(`전체 ${total}건 중 51–${total}`);
    expect(await sentences(page)).toEqual(second);
    await page.getByRole('button', { name: '이전' }).click();
    await expect.poll(() => range(page)).toBe(`전체 ${total}건 중 1–50`);
    expect(await sentences(page)).toEqual(first);
  });

  it('keeps a filter in the URL through a reload, and the same link reads in English', async () => {
    await page.goto(`${server.url}/dashboard/#/audit`);
    await page.getByTestId('audit').waitFor();
    await page.getByTestId('audit-kind').selectOption('tx');
    await expect.poll(() => range(page)).toBe('전체 2건 중 1–2');
    const url = page.url();
    expect(Object.fromEntries(new URLSearchParams(new URL(url).hash.split('?')[1]))).toEqual({ kind: 'tx' });
    await page.reload();
    await expect.poll(() => range(page)).toBe('전체 2건 중 1–2');
    expect(await page.getByTestId('audit-kind').inputValue()).toBe('tx');
    expect(await sentences(page)).toEqual([
      '이서연 님이 1층 키오스크에서 다른 사람이 빌린 Sony A7 IV를 반납했습니다',
      '김민준 님이 1층 키오스크에서 Sony A7 IV를 빌렸습니다',
    ]);

    const english = await chromium.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-US',
    });
    const p2 = await english.newPage();
    await signIn(p2, server.url, 'en-US');
    await p2.goto(url);
    await expect.poll(() => range(p2)).toBe('1–2 of 2');
    expect(await sentences(p2)).toEqual([
      '이서연 returned Sony A7 IV at 1층 키오스크, but someone else had borrowed it',
      '김민준 borrowed Sony A7 IV at 1층 키오스크',
    ]);
    await p2.getByTestId('audit-kind').selectOption('');
    await expect
      .poll(async () => (await sentences(p2))[0])
      .toBe("이수진 changed 박지훈's role from staff to admin");
    expect(await leakedInternals(p2)).toBeNull();
    await shot(p2, SUITE, '30-audit-en');

    await p2.goto(`${server.url}/dashboard/#/conflicts`);
    await p2.getByTestId('conflict').first().waitFor();
    expect(await p2.getByTestId('conflict-sentence').allTextContents()).toEqual([
      '이서연 returned Sony A7 IV at 1층 키오스크, but 김민준 had borrowed it',
    ]);
    expect(await leakedInternals(p2)).toBeNull();
    await shot(p2, SUITE, '31-conflicts-en');
    await english.close();
  });

  it('heads each conflict with a sentence for its code, paged, the filter in the URL', async () => {
    await page.goto(`${server.url}/dashboard/#/conflicts`);
    await page.getByTestId('conflict').first().waitFor();
    expect(await page.getByTestId('conflict-sentence').allTextContents()).toEqual([
      '이서연 님이 1층 키오스크에서 김민준 님이 빌린 Sony A7 IV를 반납했습니다',
    ]);
    await expect.poll(() => range(page)).toBe('전체 1건 중 1–1');
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '31-conflicts-ko');
    await page.getByTestId('conflict-code').selectOption('ITEM_UNAVAILABLE');
    await page.getByText('처리할 충돌이 없습니다').waitFor();
    expect(new URL(page.url()).hash).toBe('#/conflicts?code=ITEM_UNAVAILABLE');
    await page.reload();
    await page.getByText('처리할 충돌이 없습니다').waitFor();
    expect(await page.getByTestId('conflict-code').inputValue()).toBe('ITEM_UNAVAILABLE');
  });

  it('keeps the loans filters and page in the URL too', async () => {
    await page.goto(`${server.url}/dashboard/#/loans`);
    const status = page.getByRole('combobox', { name: '상태', exact: true });
    await status.waitFor();
    await status.selectOption('all');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/loans?status=all');
    await page.reload();
    await page.getByTestId('loans').waitFor();
    expect(await page.getByRole('combobox', { name: '상태', exact: true }).inputValue()).toBe('all');
    expect(await page.getByTestId('loans').textContent()).toContain('Sony A7 IV');
    // A link with a filter opens that view.
    await page.goto(`${server.url}/dashboard/#/loans?status=overdue`);
    await page.reload();
    expect(await page.getByRole('combobox', { name: '상태', exact: true }).inputValue()).toBe('overdue');
  });
});
