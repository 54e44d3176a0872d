/**
 * The item page in real Chromium (issue 17): opened from the items list, it shows who holds
 * the item and since when (overdue marked), its serial number and its loans; staff upload a
 * photo there and see it, resized by the server, on the page and as a thumbnail in the list;
 * a file that is not a picture is refused in words. Screenshots in Korean and English at
 * 1366x768.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInPage } from './signed-in.ts';
import { kiosk as enrolKiosk, row, sync } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { equipmentPhoto } from '../support/item-photos.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const DAY = 86_400_000;

describe.skipIf(skip)('the item page in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;
  let cameraId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    const k = await enrolKiosk(store, '1층 로비', Date.now());
    const minjun = (await store.findUserByEmail('minjun@example.com'))!;
    const seoyeon = (await store.findUserByEmail('seoyeon@example.com'))!;
    const camera = (await store.findItemByTag('CM-001'))!;
    cameraId = camera.id;
    await store.updateItem(camera.id, { serial: 'SN 4471-0925-KR' });
    // 서연 borrowed it and brought it back; 민준 has had it five days (three allowed): overdue.
    const t0 = Date.now() - 12 * DAY;
    const t1 = Date.now() - 5 * DAY;
    await sync(
      store,
      k.id,
      [
        row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: camera.id, userId: seoyeon.id, occurredAt: t0 }),
        row({
          id: 'tx-2',
          seq: 2,
          kind: 'return',
          itemId: camera.id,
          userId: seoyeon.id,
          occurredAt: t0 + 2 * DAY,
        }),
        row({ id: 'tx-3', seq: 3, kind: 'borrow', itemId: camera.id, userId: minjun.id, occurredAt: t1 }),
      ],
      t1 + 1000,
    );

    chromium = await launchChromium();
    ({ page } = await signedInPage(chromium, server.url, { dialogs }));
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  it('finds the item by part of its serial number and opens its page from the list', async () => {
    await page.goto(`${server.url}/dashboard/#/items`);
    await page.getByTestId('item-search').fill('4471-0925');
    const list = page.getByTestId('items');
    await expect.poll(async () => await list.locator('tbody tr').count()).toBe(1);
    expect(await list.textContent()).toContain('SN 4471-0925-KR');
    await list.getByRole('link', { name: 'Sony A7 IV' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sony A7 IV' }).waitFor();
    expect(page.url()).toContain(`#/items/${cameraId}`);
    const holder = page.getByTestId('holder');
    expect(await holder.textContent()).toContain('김민준');
    expect(await holder.textContent()).toContain('연체');
    expect(await page.getByTestId('item-serial').textContent()).toBe('SN 4471-0925-KR');
    const history = page.getByTestId('loan-history');
    await history.locator('tbody tr').first().waitFor();
    // Newest first: 민준's open loan, then 서연's returned one.
    const rows = await history.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('김민준');
    expect(rows[1]).toContain('이서연');
    expect(await leakedInternals(page)).toBeNull();
  });

  it('uploads a photo, shows it resized by the server, and the list shows its thumbnail', async () => {
    await page.goto(`${server.url}/dashboard/#/items/${cameraId}`);
    const panel = page.getByTestId('item-photo');
    expect(await panel.textContent()).toContain('사진 없음');
    await page.getByTestId('photo-file').setInputFiles({
      name: 'camera.png',
      mimeType: 'image/png',
      buffer: await equipmentPhoto('camera', 2400, 1800),
    });
    const img = panel.locator('img.item-photo');
    await img.waitFor();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(640);
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalHeight)).toBe(480);
    expect(await img.getAttribute('alt')).toBe('Sony A7 IV 사진');
    expect((await server.deps().store.findItemWithHolder(cameraId))!.photo).toMatch(/^[0-9a-f]{64}$/);
    await shot(page, SUITE, '30-item-page-ko');

    await page.goto(`${server.url}/dashboard/#/items?q=CM-001`);
    const thumb = page.getByTestId('items').locator('img.item-thumb');
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(640);
    await shot(page, SUITE, '31-items-list-photo-ko');
  });

  it('refuses a file that is not a picture, in words, and keeps the photo', async () => {
    await page.goto(`${server.url}/dashboard/#/items/${cameraId}`);
    const panel = page.getByTestId('item-photo');
    await panel.locator('img.item-photo').waitFor();
    const before = await panel.locator('img.item-photo').getAttribute('src');
    await page.getByTestId('photo-file').setInputFiles({
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is a text file, not a picture'),
    });
    await panel.getByRole('alert').waitFor();
    expect(await panel.getByRole('alert').textContent()).toContain('JPEG, PNG, WebP 형식만');
    expect(await panel.locator('img.item-photo').getAttribute('src')).toBe(before);
    expect(await leakedInternals(page)).toBeNull();
  });

  it('reads in English too', async () => {
    await page.goto(`${server.url}/dashboard/#/items/${cameraId}`);
    await page.reload();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Current holder' }).waitFor();
    expect(await page.getByTestId('holder').textContent()).toContain('Overdue');
    await page.locator('img.item-photo').waitFor();
    await shot(page, SUITE, '30-item-page-en');
    await page.getByRole('button', { name: '한국어' }).click();
  });
});
