/**
 * Editing a person in real Chromium (issue 17): the admin opens 김민준, changes the
 * department and employee number, saves; a taken email is refused beside the email field in
 * Korean; deactivating asks first in an in-app dialog that says what will happen, and Cancel
 * changes nothing. Badges show as kind + last digits and take a label. A person the
 * directory provisioned shows its fields locked. The Lending rules page picks the person to
 * suspend by typing (PersonPicker). Screenshots at 1366x768, Korean and English.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInPage } from './signed-in.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';

describe.skipIf(skip)('editing a person in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    await store.createDirectoryUser(
      'usr_dir_jiwoo',
      {
        displayName: '한지우',
        email: 'jiwoo.han@example.com',
        active: true,
        userName: 'jiwoo.han@example.com',
        externalId: 'aad-77',
        employeeNumber: 'E-2031',
        department: '재무팀',
      },
      'member',
      Date.now(),
    );
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  async function signedIn(locale: 'ko-KR' | 'en-US'): Promise<Page> {
    const { page } = await signedInPage(chromium, server.url, { locale, dialogs });
    return page;
  }

  async function open(page: Page, name: string) {
    await page.goto(`${server.url}/dashboard/#/people?q=${encodeURIComponent(name)}&status=all`);
    // A link opened afresh, as someone else would (only the hash changed since the last one).
    await page.reload();
    await page.getByTestId('people').locator('tr', { hasText: name }).first().click();
    const detail = page.getByTestId('person-detail');
    await detail.getByRole('heading', { name }).waitFor();
    return detail;
  }

  it('edits a person, shows a refused email beside its field in Korean, and asks before deactivating', async () => {
    const page = await signedIn('ko-KR');
    const detail = await open(page, '김민준');
    // Badges by kind and last digits, never an id or a scrambled code.
    await detail.getByTestId('badges').getByText('NFC 카드 · 끝자리 e5f6').waitFor();

    await detail.getByTestId('edit-person').click();
    const form = page.getByTestId('person-edit');
    await form.locator('input[name=department]').fill('연구개발팀');
    await form.locator('input[name=employeeNumber]').fill('E-1024');
    // An address 이서연 already has.
    await form.locator('input[name=email]').fill('seoyeon@example.com');
    await form.getByTestId('save-person').click();
    const fieldError = form.getByTestId('field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe(
      '이 이메일 주소는 이미 다른 사람이 쓰고 있습니다. 이메일은 한 사람에게만 등록할 수 있습니다',
    );
    // Beside the email field, not somewhere else, and nothing was saved.
    expect(await form.locator('label', { has: page.locator('input[name=email]') }).textContent()).toContain(
      '이미 다른 사람이 쓰고 있습니다',
    );
    expect(await form.locator('input[name=email]').getAttribute('aria-invalid')).toBe('true');
    expect((await server.deps().store.findUserByEmail('minjun@example.com'))!.displayName).toBe('김민준');
    await shot(page, SUITE, '45-person-edit-error-ko');

    await form.locator('input[name=email]').fill('minjun.kim@example.com');
    await form.getByTestId('save-person').click();
    await form.waitFor({ state: 'detached' });
    await detail.getByTestId('person-org').getByText('E-1024 · 연구개발팀').waitFor();
    const saved = (await server.deps().store.findUserByEmail('minjun.kim@example.com'))!;
    expect(saved.displayName).toBe('김민준');

    // Deactivating from the form asks first, saying what happens; Cancel keeps the person active.
    await detail.getByTestId('edit-person').click();
    await form.locator('input[name=active]').uncheck();
    await form.getByTestId('save-person').click();
    const ask = page.getByTestId('ask');
    await ask.waitFor();
    expect(await ask.getByRole('heading').textContent()).toBe('김민준 님을 비활성화할까요?');
    expect(await ask.textContent()).toContain(
      '김민준 님은 더 이상 대여할 수 없고, 대시보드에서 바로 로그아웃됩니다',
    );
    await shot(page, SUITE, '46-person-deactivate-ask-ko');
    await ask.getByRole('button', { name: '취소' }).click();
    await ask.waitFor({ state: 'detached' });
    expect((await server.deps().store.findUserById(saved.id))!.active).toBe(true);

    await form.getByTestId('save-person').click();
    await ask.getByRole('button', { name: '비활성화' }).click();
    await detail.getByText('비활성', { exact: true }).waitFor();
    expect((await server.deps().store.findUserById(saved.id))!.active).toBe(false);
    expect(await leakedInternals(page)).toBeNull();
    await page.context().close();
  }, 90_000);

  it('labels a badge, and shows what the directory owns as locked (Korean and English screenshots)', async () => {
    const page = await signedIn('ko-KR');
    let detail = await open(page, '최유나');
    // A new person without a name, or with a bad email, is told so beside the field.
    await page.getByRole('button', { name: '새 사용자' }).click();
    const newForm = page.getByTestId('person-form');
    await newForm.locator('input[name=email]').fill('yuna@example.com');
    await newForm.getByRole('button', { name: '만들기' }).click();
    expect(await newForm.getByTestId('field-error').textContent()).toBe(
      '이름은 비워 둘 수 없고, 줄바꿈이나 보이지 않는 문자 없이 200자까지 쓸 수 있습니다',
    );
    await newForm.locator('input[name=displayName]').fill('최유나');
    await newForm.getByRole('button', { name: '만들기' }).click();
    await expect
      .poll(() => newForm.getByTestId('field-error').textContent())
      .toBe('이 이메일 주소는 이미 다른 사람이 쓰고 있습니다. 이메일은 한 사람에게만 등록할 수 있습니다');
    await newForm.getByRole('button', { name: '취소' }).click();

    await detail.getByRole('button', { name: '이름 붙이기' }).click();
    const ask = page.getByTestId('ask');
    await ask.locator('textarea').fill('예비 카드');
    await ask.getByRole('button', { name: '저장' }).click();
    await detail.getByTestId('badges').getByText('예비 카드').waitFor();
    expect(await detail.getByTestId('badges').textContent()).toContain('번호 카드 · 끝자리 34');

    detail = await open(page, '한지우');
    await detail.getByTestId('edit-person').click();
    const form = page.getByTestId('person-edit');
    await form.getByTestId('directory-note').waitFor();
    for (const name of ['displayName', 'email', 'department', 'employeeNumber', 'active'])
      expect(await form.locator(`input[name=${name}]`).isDisabled(), name).toBe(true);
    expect(await form.locator('select[name=role]').isDisabled()).toBe(false);
    await shot(page, SUITE, '47-person-edit-directory-ko');

    // The edit form of a person made here, as an admin sees it, in both languages.
    detail = await open(page, '박지훈');
    await detail.getByTestId('edit-person').click();
    await page.getByTestId('person-edit').waitFor();
    await shot(page, SUITE, 'dashboard-person-edit-ko');
    expect(await leakedInternals(page)).toBeNull();
    await page.context().close();

    const en = await signedIn('en-US');
    detail = await open(en, '박지훈');
    await detail.getByTestId('edit-person').click();
    await en.getByTestId('person-edit').waitFor();
    expect(await en.getByTestId('badges').textContent()).toContain('Access card ending in 67');
    await shot(en, SUITE, 'dashboard-person-edit-en');
    expect(await leakedInternals(en)).toBeNull();
    await en.context().close();
  }, 90_000);

  it('the Lending rules page finds the person to suspend by typing, not in a list of everyone', async () => {
    const page = await signedIn('ko-KR');
    await page.goto(`${server.url}/dashboard/#/policies`);
    await page.reload();
    const form = page.getByTestId('suspend-form');
    expect(await form.locator('select').count()).toBe(0);
    await form.getByTestId('person-picker').fill('최유');
    await page.getByRole('option', { name: /최유나/ }).click();
    await form.getByTestId('person-picker-picked').getByText('최유나').waitFor();
    await form.locator('input[type=date]').fill('2099-01-31');
    await form.getByRole('button', { name: '정지' }).click();
    await page.getByTestId('suspensions').getByText('최유나').waitFor();
    const yuna = (await server.deps().store.findUserByEmail('yuna@example.com'))!;
    expect((await server.deps().store.suspensionOf(yuna.id))?.until).toBe('2099-01-31');
    await page.context().close();
  }, 90_000);
});
