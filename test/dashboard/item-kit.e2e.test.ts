/**
 * A kit's parts on the dashboard in real Chromium (issue 16): an admin lists an item's parts in
 * the item form (adds on Enter and with the button, removes one; the limits are said in words
 * before anything is sent), the server keeps them and audits the change, and when a return
 * reports parts missing, the item page (its condition and its condition history) and the items
 * list's "check" filter say which, in Korean and English. Screenshots at 1366x768.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResponse, ItemDetailResponse } from '../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { signedInPage } from './signed-in.ts';
import { startTestKiosk } from '../fixtures/kiosk.ts';
import { drainOutbox } from '../fixtures/kiosk-driver.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

/** What the server answers to the signed-in page, as the dashboard itself would ask it. */
const getJson = <T>(page: Page, path: string): Promise<T> =>
  page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;

describe.skipIf(skip)("a kit's parts on the dashboard, in Chromium", () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;
  let airId: string;
  let cameraId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    airId = (await store.findItemByTag('LT-002'))!.id;
    cameraId = (await store.findItemByTag('CM-001'))!.id;
    chromium = await launchChromium();
    ({ page } = await signedInPage(chromium, server.url, { dialogs }));
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const form = () => page.getByTestId('item-form');
  const partInput = () => form().getByRole('textbox', { name: '추가할 구성품 이름' });

  it('adds three parts, removes one, says a too long or repeated name in words, and saves', async () => {
    await page.goto(`${server.url}/dashboard/#/items/${airId}`);
    await page.getByRole('heading', { level: 1, name: 'MacBook Air 13' }).waitFor();
    expect(await page.getByTestId('item-parts').count()).toBe(0);
    await page.getByRole('button', { name: '수정', exact: true }).click();
    const editor = form().getByTestId('parts-editor');
    expect(await editor.textContent()).toContain('키트가 아닌 물품');

    await partInput().fill('  충전기 ');
    await partInput().press('Enter');
    await partInput().fill('파우치');
    await form().getByRole('button', { name: '추가', exact: true }).click();
    await partInput().fill('무선 마우스');
    await partInput().press('Enter');
    const list = editor.getByTestId('parts-list');
    await expect
      .poll(() => list.locator('li').allTextContents())
      .toEqual(['충전기×', '파우치×', '무선 마우스×']);
    // Enter added a part and did not submit the item form.
    expect(await form().isVisible()).toBe(true);

    await partInput().fill('x'.repeat(61));
    await partInput().press('Enter');
    expect(await editor.getByTestId('parts-problem').textContent()).toBe(
      '구성품 이름은 60자까지 쓸 수 있습니다. 지금 61자입니다',
    );
    // A semicolon separates parts in CSV: an export and its import would make this two parts.
    await partInput().fill('배터리; 2개');
    await partInput().press('Enter');
    expect(await editor.getByTestId('parts-problem').textContent()).toBe(
      '구성품 이름에는 세미콜론(;)을 쓸 수 없습니다. CSV 파일에서 구성품을 나누는 기호입니다',
    );
    await partInput().fill('파우치');
    await partInput().press('Enter');
    expect(await editor.getByTestId('parts-problem').textContent()).toBe(
      '이미 목록에 있는 구성품입니다: 파우치',
    );
    await partInput().fill('');
    expect(await editor.getByTestId('parts-problem').count()).toBe(0);

    await editor.getByRole('button', { name: '무선 마우스 빼기' }).click();
    expect(await list.locator('li').allTextContents()).toEqual(['충전기×', '파우치×']);
    expect(await editor.textContent()).toContain('2/20개');
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, SUITE, '40-item-kit-edit-ko');

    await form().getByRole('button', { name: '저장' }).click();
    await form().waitFor({ state: 'detached' });
    const chips = page.getByTestId('item-parts');
    await expect.poll(() => chips.locator('li').allTextContents()).toEqual(['충전기', '파우치']);
    const saved = await getJson<ItemDetailResponse>(page, `/v1/admin/items/${airId}`);
    expect(saved.item.parts).toEqual(['충전기', '파우치']);
    expect(await leakedInternals(page)).toBeNull();
  });

  it('audits the edit as a change of the parts, before and after', async () => {
    const audit = await getJson<AuditResponse>(page, `/v1/admin/audit?targetId=${airId}`);
    const edit = audit.entries.find((e) => e.action === 'item.update');
    expect(edit?.changes).toEqual([{ field: 'parts', before: null, after: '충전기, 파우치' }]);
    await page.goto(`${server.url}/dashboard/#/audit`);
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('MacBook Air 13의 구성품을 없음에서 ‘충전기, 파우치’로 바꿨습니다');
  });

  it('keeps a kit to 20 parts, saying so in the form', async () => {
    await page.goto(`${server.url}/dashboard/#/items`);
    await page.getByRole('button', { name: '새 물품' }).click();
    for (let n = 1; n <= 20; n++) {
      await partInput().fill(`부품 ${n}`);
      await partInput().press('Enter');
    }
    const editor = form().getByTestId('parts-editor');
    expect(await editor.getByTestId('parts-list').locator('li').count()).toBe(20);
    expect(await partInput().isDisabled()).toBe(true);
    expect(await editor.getByTestId('parts-full').textContent()).toBe(
      '구성품은 20개까지 적을 수 있습니다. 더 넣으려면 하나를 빼 주세요',
    );
    await editor.getByRole('button', { name: '부품 20 빼기' }).click();
    expect(await partInput().isDisabled()).toBe(false);
    expect(await editor.getByTestId('parts-full').count()).toBe(0);
    await form().getByRole('button', { name: '취소' }).click();
  });

  it("shows what a return said was missing: the item's condition, its history and the check list", async () => {
    const { store } = server.deps();
    await store.setItemCondition({
      itemId: airId,
      at: Date.now() - 60_000,
      condition: 'needs_check',
      report: 'incomplete',
      note: '반납함에 본체만 있었음',
      missingParts: ['충전기', '파우치'],
      by: { kind: 'kiosk', name: '1층 로비' },
      txId: null,
    });
    // Everything of the camera missing: longer than a list's cell, cut there, whole on hover.
    const camera = (await getJson<ItemDetailResponse>(page, `/v1/admin/items/${cameraId}`)).item;
    await store.setItemCondition({
      itemId: cameraId,
      at: Date.now() - 30_000,
      condition: 'needs_check',
      report: 'incomplete',
      note: null,
      missingParts: camera.parts,
      by: { kind: 'kiosk', name: '1층 로비' },
      txId: null,
    });

    await page.goto(`${server.url}/dashboard/#/items/${airId}`);
    const missing = page.getByTestId('item-page').getByTestId('missing-parts');
    await missing.waitFor();
    expect(await missing.textContent()).toBe('빠진 구성품: 충전기, 파우치');
    const history = page.getByTestId('condition-history');
    expect(await history.locator('tbody tr').first().textContent()).toContain(
      '반납 시 구성품 누락 신고 · 빠진 구성품: 충전기, 파우치 · 반납함에 본체만 있었음',
    );
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '41-item-kit-missing-ko');

    await page.goto(`${server.url}/dashboard/#/items?status=attention`);
    const rows = page.getByTestId('items').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const airCell = rows.filter({ hasText: 'MacBook Air 13' }).getByTestId('missing-parts');
    expect(await airCell.textContent()).toBe('빠진 구성품: 충전기, 파우치');
    const cameraCell = rows.filter({ hasText: 'Sony A7 IV' }).getByTestId('missing-parts');
    const whole = `빠진 구성품: ${camera.parts.join(', ')}`;
    expect(await cameraCell.getAttribute('title')).toBe(whole);
    expect(await cameraCell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, SUITE, '42-items-check-ko');
  });

  it('reads in English too', async () => {
    await page.goto(`${server.url}/dashboard/#/items/${airId}`);
    await page.reload();
    await page.getByRole('button', { name: 'English' }).click();
    const missing = page.getByTestId('item-page').getByTestId('missing-parts');
    await expect.poll(() => missing.textContent()).toBe('Missing parts: 충전기, 파우치');
    expect(await page.locator('dl.facts').textContent()).toContain('Parts');
    expect(await page.getByTestId('condition-history').locator('tbody tr').first().textContent()).toContain(
      'Missing parts: 충전기, 파우치',
    );
    await shot(page, SUITE, '41-item-kit-missing-en');

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = form().getByTestId('parts-editor');
    expect(await editor.textContent()).toContain('2 of 20');
    const input = form().getByRole('textbox', { name: 'Name of a part to add' });
    await input.fill('y'.repeat(61));
    await form().getByRole('button', { name: 'Add', exact: true }).click();
    expect(await editor.getByTestId('parts-problem').textContent()).toBe(
      'A part name can be at most 60 characters long; this one has 61',
    );
    await input.fill('Battery; spare');
    await input.press('Enter');
    expect(await editor.getByTestId('parts-problem').textContent()).toBe(
      'A part name cannot contain a semicolon (;): it separates the parts in CSV files',
    );
    await input.fill('Lens cap');
    await input.press('Enter');
    expect(await editor.getByTestId('parts-list').locator('li').allTextContents()).toEqual([
      '충전기×',
      '파우치×',
      'Lens cap×',
    ]);
    await shot(page, SUITE, '40-item-kit-edit-en');
    await form().getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: '한국어' }).click();
  });

  it("shows a kiosk return's report in the overview's recent activity, in Korean and English", async () => {
    // A real kiosk core: the person returns a kit with a part missing and a note, through the outbox.
    const { store } = server.deps();
    const kit = await store.createItem({
      tag: 'KIT-GO',
      name: 'GoPro 12 키트',
      category: '카메라 Cameras',
      loanDays: 3,
      restrictedTo: null,
      lockerSlot: null,
      parts: ['본체', '배터리 2', '충전기'],
    });
    const kiosk = await startTestKiosk({
      serverUrl: server.url,
      enrollCode: await server.enrollmentCode('2층 스튜디오'),
    });
    try {
      await kiosk.core.pullCatalog();
      const session = async () => {
        kiosk.core.badge(DEMO_PEOPLE[0].badge);
        await kiosk.waitForView((v) => v.screen === 'session', 'a session');
      };
      await session();
      expect(await kiosk.core.api.borrow({ itemIds: [kit.id] })).toEqual({ ok: true });
      await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
      await kiosk.core.api.endSession({});
      await session();
      expect(
        await kiosk.core.api.returnItems({
          itemIds: [kit.id],
          reports: [{ itemId: kit.id, missingParts: ['배터리 2'], note: '배터리는 내일 가져올게요' }],
        }),
      ).toEqual({ ok: true });
      await drainOutbox(kiosk);
    } finally {
      await kiosk.dispose();
    }

    await page.goto(`${server.url}/dashboard/#/`);
    const row = page.getByTestId('recent').locator('tbody tr').first();
    await row.getByText('GoPro 12 키트').waitFor();
    expect(await row.getByTestId('tx-report').textContent()).toBe(
      '반납 시 구성품 누락 신고 · 빠진 구성품: 배터리 2 · 배터리는 내일 가져올게요',
    );
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '43-overview-return-report-ko');

    await page.getByRole('button', { name: 'English' }).click();
    await row.getByText('Return', { exact: true }).waitFor();
    expect(await row.getByTestId('tx-report').textContent()).toBe(
      'reported incomplete at return · Missing parts: 배터리 2 · 배터리는 내일 가져올게요',
    );
    // The borrow before it said nothing.
    expect(await page.getByTestId('recent').locator('tbody tr').nth(1).getByTestId('tx-report').count()).toBe(
      0,
    );
    await shot(page, SUITE, '43-overview-return-report-en');
    await page.getByRole('button', { name: '한국어' }).click();

    // The loan says it too: the kit's page lists its loans, the return's report under its date.
    await page.goto(`${server.url}/dashboard/#/items/${kit.id}`);
    const loan = page.getByTestId('loans').locator('tbody tr').first();
    await loan.getByTestId('return-report').waitFor();
    expect(await loan.getByTestId('return-report').textContent()).toBe(
      '반납 시 구성품 누락 신고 · 빠진 구성품: 배터리 2 · 배터리는 내일 가져올게요',
    );
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, SUITE, '44-item-loan-return-report-ko');
  });
});
