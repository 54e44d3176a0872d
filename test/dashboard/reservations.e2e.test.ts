/**
 * Reservations on the dashboard in real Chromium (issue 16), 1366x768, Korean and English:
 * a member reserves a camera from their own page (form, availability grid), sees it, cancels
 * it after an in-app confirmation; staff see every reservation on the Reservations page,
 * reserve any one of a category for someone with the type-ahead person picker, and the grid
 * shows the day it is taken. What the server saved is checked, not only what is shown.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { DEMO_ADMIN } from '../../server/seed/demo.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const MEMBER = { email: 'reserve-member@example.com', password: 'member-pass-1234' };

describe.skipIf(skip)('reservations on the dashboard in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;
  let memberId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const member = await server.deps().store.createUser({
      email: MEMBER.email,
      displayName: '윤서연',
      role: 'member',
      active: true,
      passwordHash: await hashPassword(MEMBER.password),
    });
    memberId = member.id;
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'ko-KR',
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const signIn = async (email: string, password: string, landing: string) => {
    await page.goto(`${server.url}/dashboard/`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { level: 1, name: landing }).waitFor();
  };
  const ask = () => page.getByTestId('ask');
  const store = () => server.deps().store;

  it('a member reserves a camera for tomorrow from their page; the grid shows that day taken (ko)', async () => {
    await signIn(MEMBER.email, MEMBER.password, '내 대여');
    const mine = page.getByTestId('my-reservations');
    await mine.getByText('예약이 없습니다').waitFor();
    const form = mine.getByTestId('reserve-form');
    const cam = (await store().findItemByTag('CM-002'))!;
    await form.getByTestId('reserve-item').selectOption(cam.id);
    // The grid for the camera: two weeks, all free before anything is reserved.
    const grid = mine.getByTestId('availability');
    await expect.poll(() => grid.locator('li[data-free="1"]').count()).toBe(14);
    await form.getByTestId('reserve-submit').click();
    await mine.getByTestId('reserve-done').waitFor();
    const saved = await store().reservationsPage({ userId: memberId, status: 'all', limit: 10 });
    expect(saved.rows).toEqual([expect.objectContaining({ itemId: cam.id, status: 'active' })]);
    await expect.poll(() => mine.getByTestId('reservations').locator('tbody tr').count()).toBe(1);
    // Tomorrow is taken now (the form's default window: tomorrow 10:00 to 18:00).
    await expect.poll(() => grid.locator('li[data-free="0"]').count()).toBe(1);
    expect(await grid.locator('li').nth(1).getAttribute('data-free')).toBe('0');
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await mine.scrollIntoViewIfNeeded();
    await shot(page, SUITE, '50-my-reservations-ko');

    // The same camera again over the same window: refused in words, nothing more saved.
    await form.getByTestId('reserve-submit').click();
    await expect
      .poll(() => mine.getByRole('alert').textContent())
      .toBe('그 시간에는 이미 예약되었거나 대여 중입니다. 가능한 시간을 확인해 주세요');
    expect((await store().reservationsPage({ userId: memberId, status: 'all', limit: 10 })).total).toBe(1);
  });

  it('reads in English, and the member cancels after confirming in the dialog', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My loans' }).waitFor();
    const mine = page.getByTestId('my-reservations');
    await mine.getByRole('heading', { name: 'My reservations' }).waitFor();
    expect(await mine.getByTestId('reservations').locator('tbody tr').first().textContent()).toContain(
      'Waiting',
    );
    await mine.scrollIntoViewIfNeeded();
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, SUITE, '50-my-reservations-en');
    await mine.getByTestId('cancel-reservation').click();
    await ask().waitFor();
    expect(await ask().getByRole('heading').textContent()).toBe('Cancel this reservation?');
    await shot(page, SUITE, '51-reservation-cancel-dialog-en');
    await ask().getByRole('button', { name: 'Cancel reservation' }).click();
    await ask().waitFor({ state: 'detached' });
    await expect
      .poll(
        async () =>
          (await store().reservationsPage({ userId: memberId, status: 'all', limit: 10 })).rows[0]?.status,
      )
      .toBe('cancelled');
    await page.getByRole('button', { name: '한국어' }).click();
  });

  it('staff reserve any one camera for the member with the person picker and see it listed (ko, en)', async () => {
    await page.context().clearCookies();
    await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password, '개요');
    await page.goto(`${server.url}/dashboard/#/reservations`);
    await page.getByRole('heading', { level: 1, name: '예약' }).waitFor();
    const form = page.getByTestId('reserve-form');
    await form.getByTestId('person-picker').fill('윤서');
    await page.getByRole('option', { name: /윤서연/ }).click();
    await form.getByTestId('by-category').check();
    await form.getByTestId('reserve-category').selectOption('카메라 Cameras');
    const grid = page.getByTestId('availability');
    await expect.poll(() => grid.locator('li').first().getAttribute('data-free')).toMatch(/^[0-9]+$/);
    await form.getByTestId('reserve-submit').click();
    await page.getByTestId('reserve-done').waitFor();
    const saved = await store().reservationsPage({ userId: memberId, status: 'active', limit: 10 });
    expect(saved.rows).toEqual([expect.objectContaining({ itemId: null, category: '카메라 Cameras' })]);
    await expect
      .poll(() => page.getByTestId('reservations').locator('tbody tr', { hasText: '윤서연' }).count())
      .toBe(1);
    expect(await page.getByTestId('reservations').textContent()).toContain('카메라 Cameras 중 아무거나 1개');
    // Three cameras; tomorrow one is held for the member, the other days all three are free.
    await expect.poll(() => grid.locator('li').nth(1).getAttribute('data-free')).toBe('2');
    expect(await grid.locator('li').nth(2).getAttribute('data-free')).toBe('3');
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '52-reservations-ko');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reservations' }).waitFor();
    expect(await page.getByTestId('reservations').textContent()).toContain('Any one 카메라 Cameras item');
    await shot(page, SUITE, '52-reservations-en');
    await page.getByRole('button', { name: '한국어' }).click();
  });
});
