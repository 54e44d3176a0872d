/**
 * In-app dialogs in real Chromium (issue 17): what ends someone's access or takes something
 * out of use asks first, in the dashboard's language, never the browser's prompt() or
 * confirm(). Retiring an item on loan, marking a loan returned (a note is required), and
 * deactivating a person; Escape and Cancel change nothing. Screenshots at 1366x768.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInPage } from './signed-in.ts';
import { kiosk as enrolKiosk, row, sync } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

describe.skipIf(skip)('dashboard dialogs in Chromium', () => {
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
    // 김민준 has the Sony A7 IV (CM-001) out.
    const k = await enrolKiosk(store, 'lobby', Date.now());
    const minjun = (await store.findUserByEmail('minjun@example.com'))!;
    const camera = (await store.findItemByTag('CM-001'))!;
    const at = Date.now() - 3_600_000;
    await sync(
      store,
      k.id,
      [row({ id: 'tx-cam', seq: 1, kind: 'borrow', itemId: camera.id, userId: minjun.id, occurredAt: at })],
      at + 1000,
    );

    chromium = await launchChromium();
    ({ page } = await signedInPage(chromium, server.url, { dialogs }));
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const ask = () => page.getByTestId('ask');

  it('asks before retiring an item that is on loan, and Cancel keeps it', async () => {
    await page.goto(`${server.url}/dashboard/#/items?q=CM-001`);
    const row = page.getByTestId('items').locator('tr', { hasText: 'CM-001' });
    await row.getByRole('button', { name: '폐기' }).click();
    await ask().waitFor();
    expect(await ask().getByRole('heading').textContent()).toBe(
      'CM-001 Sony A7 IV: 대여 중인 물품을 폐기할까요?',
    );
    expect(await ask().textContent()).toContain('김민준 님이 아직 가지고 있습니다');
    await shot(page, SUITE, '25-dialog-retire-on-loan-ko');
    await ask().getByRole('button', { name: '취소' }).click();
    await ask().waitFor({ state: 'detached' });
    expect(await row.textContent()).not.toContain('폐기됨');
    expect((await server.deps().store.findItemByTag('CM-001'))!.retired).toBe(false);
  });

  it('marks a loan returned only with a note; Escape changes nothing', async () => {
    await page.goto(`${server.url}/dashboard/#/loans`);
    const row = page.getByTestId('loans').locator('tr', { hasText: 'Sony A7 IV' });
    await row.getByRole('button', { name: '반납 처리' }).click();
    await ask().waitFor();
    const confirm = ask().getByRole('button', { name: '반납 처리' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await ask().waitFor({ state: 'detached' });
    expect(await server.loans('open')).toHaveLength(1);

    await row.getByRole('button', { name: '반납 처리' }).click();
    await ask().locator('textarea').fill('선반에서 찾음');
    await shot(page, SUITE, '26-dialog-close-loan-ko');
    await confirm.click();
    await ask().waitFor({ state: 'detached' });
    await expect.poll(async () => (await server.loans('open')).length).toBe(0);
    expect(await leakedInternals(page)).toBeNull();
  });

  it('asks before deactivating a person, saying what that does', async () => {
    await page.goto(`${server.url}/dashboard/#/people?q=${encodeURIComponent('이서연')}`);
    await page.getByTestId('people').getByText('이서연').click();
    const detail = page.getByTestId('person-detail');
    await detail.getByRole('button', { name: '비활성화' }).click();
    await ask().waitFor();
    expect(await ask().textContent()).toContain(
      '이서연 님은 더 이상 대여할 수 없고, 대시보드에서 바로 로그아웃됩니다. 키오스크에서도 사원증/카드를 쓸 수 없습니다',
    );
    await shot(page, SUITE, '27-dialog-deactivate-ko');
    await ask().getByRole('button', { name: '비활성화' }).click();
    await detail.getByText('비활성', { exact: true }).waitFor();
    expect((await server.deps().store.findUserByEmail('seoyeon@example.com'))!.active).toBe(false);
  });
});
