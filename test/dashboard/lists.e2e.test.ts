/**
 * The items list at a size where one page is not enough, in real Chromium against a real
 * server: search (Korean, in part), filters and sort kept in the URL (a shared link shows the
 * same list), keyset pages with the count, and the loans page's type-ahead item picker in place
 * of a drop-down of every item. Screenshots at 1366x768 in both languages.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../../server/seed/demo.ts';
import { signedInPage } from './signed-in.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const EXTRA = 130;

describe.skipIf(skip)('dashboard lists in Chromium', () => {
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
    for (let i = 1; i <= EXTRA; i++) {
      await store.createItem({
        tag: `NB-${String(i).padStart(3, '0')}`,
        name: i % 2 ? `LG 그램 노트북 ${i}` : `ThinkPad X1 ${i}`,
        category: i % 3 ? '노트북 NB' : '태블릿 TB',
        loanDays: 7,
        restrictedTo: null,
        lockerSlot: null,
      });
    }
    for (const [id, department, employeeNumber] of [
      ['usr_minjun_phys', '물리학과', 'E-1001'],
      ['usr_minjun_chem', '화학과', 'E-2002'],
    ] as const) {
      await store.createDirectoryUser(
        id,
        {
          displayName: '김민준',
          email: `${id}@example.org`,
          active: true,
          userName: `${id}@example.org`,
          externalId: null,
          employeeNumber,
          department,
        },
        'member',
        Date.now(),
      );
    }
    chromium = await launchChromium();
    ({ context, page } = await signedInPage(chromium, server.url));
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.dispose();
  });

  const range = () => page.getByTestId('page-range').textContent();
  const tags = () => page.getByTestId('items').locator('tbody tr td.mono').allTextContents();

  it('pages through the items with their count, fifty at a time', async () => {
    await page.goto(`${server.url}/dashboard/#/items`);
    await page.getByTestId('items').waitFor();
    const total = (
      await server.deps().store.itemList({ status: 'active', sort: 'tag', limit: 1, now: Date.now() })
    ).total;
    expect(total).toBeGreaterThan(EXTRA);
    await expect.poll(range).toBe(`전체 ${total.toLocaleString('ko-KR')}개 중 1–50`);
    expect(await tags()).toHaveLength(50);
    const first = await tags();
    await page.getByTestId('next-page').click();
    await expect.poll(range).toBe(`전체 ${total.toLocaleString('ko-KR')}개 중 51–100`);
    const second = await tags();
    expect(second.filter((t) => first.includes(t))).toEqual([]);
    expect([...first, ...second]).toEqual([...first, ...second].sort());
    await page.getByRole('button', { name: '이전' }).click();
    await expect.poll(tags).toEqual(first);
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '20-items-paged-ko');
  });

  it('searches in part, in Korean, filters by category and keeps the view in the URL', async () => {
    await page.getByTestId('item-search').fill('그램');
    await expect.poll(range).toBe('전체 65개 중 1–50');
    await page.getByTestId('item-category').selectOption('태블릿 TB');
    // Odd numbers are LG 그램; every third is a tablet: 3, 9, 15, … up to 129.
    await expect.poll(range).toBe('전체 22개 중 1–22');
    expect(await page.getByTestId('next-page').isDisabled()).toBe(true);
    await page.getByTestId('item-sort').selectOption('name');
    const url = page.url();
    const [route, query] = new URL(url).hash.split('?');
    expect([route, Object.fromEntries(new URLSearchParams(query))]).toEqual([
      '#/items',
      { q: '그램', category: '태블릿 TB', sort: 'name' },
    ]);
    await shot(page, SUITE, '21-items-search-ko');

    // The link opens the same view for someone else, in English.
    const other = await context
      .browser()!
      .newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const p2 = await other.newPage();
    await p2.goto(`${server.url}/dashboard/`);
    await p2.fill('input[name=email]', DEMO_ADMIN.email);
    await p2.fill('input[name=password]', DEMO_ADMIN.password);
    await p2.getByRole('button', { name: 'Sign in' }).click();
    await p2.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await p2.goto(url);
    await expect.poll(() => p2.getByTestId('page-range').textContent()).toBe('1–22 of 22');
    expect(await p2.getByTestId('item-search').inputValue()).toBe('그램');
    expect(await p2.getByTestId('item-sort').inputValue()).toBe('name');
    await shot(p2, SUITE, '21-items-search-en');
    await other.close();

    // Clearing the search with its one clear button widens the list again.
    await page.getByRole('button', { name: '검색어 지우기' }).click();
    await expect.poll(range).toBe('전체 43개 중 1–43');
    await page.getByTestId('item-search').fill('없는 물품 zzz');
    await page.getByText('조건에 맞는 항목이 없습니다').waitFor();
  });

  it('picks an item on the loans page by typing, not from a list of every item', async () => {
    await page.goto(`${server.url}/dashboard/#/loans`);
    await page.getByRole('heading', { level: 1, name: '대여' }).waitFor();
    const picker = page.getByTestId('item-picker');
    await picker.fill('NB-12');
    const options = page.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.count()).toBe(8);
    await picker.fill('NB-120');
    await expect.poll(() => options.allTextContents()).toEqual(['NB-120 · ThinkPad X1 120']);
    await picker.press('ArrowDown');
    await picker.press('Enter');
    await expect
      .poll(() => page.getByTestId('item-picker-picked').textContent())
      .toContain('NB-120 · ThinkPad X1 120');
    await shot(page, SUITE, '22-loans-item-picker-ko');
  });

  it('finds people by part of a name, department or employee number, and tells two 김민준 apart', async () => {
    await page.goto(`${server.url}/dashboard/#/people`);
    await page.getByTestId('people').waitFor();
    await page.getByTestId('people-search').fill('민준');
    // The demo's own 김민준 and the two from the directory, told apart by department.
    const rows = page.getByTestId('people').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts.filter((t) => t.includes('김민준'))).toHaveLength(3);
    expect(texts.some((t) => t.includes('물리학과') && t.includes('E-1001'))).toBe(true);
    expect(texts.some((t) => t.includes('화학과') && t.includes('E-2002'))).toBe(true);
    await page.getByTestId('people-search').fill('E-2002');
    await expect.poll(() => rows.count()).toBe(1);
    expect(new URL(page.url()).hash).toBe('#/people?q=E-2002');
    await shot(page, SUITE, '23-people-search-ko');

    // The loans page's person filter is a type-ahead that shows the department with the name.
    await page.goto(`${server.url}/dashboard/#/loans`);
    await page.getByRole('heading', { level: 1, name: '대여' }).waitFor();
    const picker = page.getByTestId('person-picker');
    await picker.fill('김민준');
    const options = page.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.count()).toBe(3);
    const chem = options.filter({ hasText: '화학과' });
    expect(await chem.textContent()).toContain('E-2002');
    await chem.click();
    await expect.poll(() => page.getByTestId('person-picker-picked').textContent()).toContain('화학과');
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '24-loans-person-picker-ko');
  });
});
