/**
 * CSV import in real Chromium (issue 17): an admin uploads a people file, reads the dry run
 * in Korean (each row's outcome, problems as sentences naming the row, the column and the
 * rule), cannot import while a row is wrong, uploads the fixed file, imports, and the people
 * appear in the list with their badges; items from a Korean Excel (CP949) file likewise, in
 * English. Screenshots of the dry-run table at 1366x768 in both languages.
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

const PEOPLE_BAD = [
  '이름,이메일,역할,부서,사번,사원증/카드 번호',
  '한지우,jiwoo.han@example.com,회원,연구개발팀,20240101,1000555',
  '오세훈,sehoon.oh@example.com,담당자,시설관리팀,20240102,',
  '김민준,minjun@example.com,회원,영업팀,20190007,',
  '정하늘,haneul.jung,회원,인사팀,20240103,',
  '윤도현,dohyun.yoon@example.com,매니저,,20240104,',
  '서지민,jimin.seo@example.com,회원,디자인팀,20240105,1000555',
];
const PEOPLE_GOOD = [
  PEOPLE_BAD[0]!,
  PEOPLE_BAD[1]!,
  PEOPLE_BAD[2]!,
  PEOPLE_BAD[3]!,
  '정하늘,haneul.jung@example.com,회원,인사팀,20240103,',
  '윤도현,dohyun.yoon@example.com,관리자,,20240104,',
  '서지민,jimin.seo@example.com,회원,디자인팀,20240105,1000556',
];
// "태그,물품명,분류,대여 기간 / CAM-1,카메라,촬영,abc" as Korean Excel saves "CSV" (CP949).
const ITEMS_CP949 = Buffer.from(
  'c5c2b1d72cb9b0c7b0b8ed2cbad0b7f92cb4ebbfa920b1e2b0a30d0a43414d2d312cc4abb8deb6f32cc3d4bfb52c6162630d0a',
  'hex',
);

describe.skipIf(skip)('CSV import in Chromium', () => {
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
    chromium = await launchChromium();
    ({ page } = await signedInPage(chromium, server.url, { dialogs }));
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const dialog = () => page.getByTestId('csv-import');
  const upload = async (name: string, buffer: Buffer) => {
    await dialog().getByTestId('csv-import-file').setInputFiles({ name, mimeType: 'text/csv', buffer });
    await dialog().getByTestId('csv-import-rows').or(dialog().getByRole('alert')).first().waitFor();
  };
  const utf8Bom = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

  it('people: the dry run in Korean says what each row would do and what is wrong; fixed, it imports', async () => {
    await page.goto(`${server.url}/dashboard/#/people`);
    await page.getByTestId('import-people').click();
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('사용자 CSV 가져오기');
    await upload('사용자.csv', utf8Bom(PEOPLE_BAD));

    expect(await dialog().getByTestId('csv-import-summary').innerText()).toMatch(
      /추가 2\s+수정 1\s+변경 없음 0\s+오류 3/,
    );
    const text = await dialog().getByTestId('csv-import-rows').innerText();
    expect(text).toContain("5행 이메일: 이메일 주소 형식이 아닙니다 (입력: 'haneul.jung')");
    expect(text).toContain("6행 역할: 회원, 담당자, 관리자 중 하나여야 합니다 (입력: '매니저')");
    expect(text).toContain("7행 사원증/카드 번호: 2행과 겹칩니다 (입력: 'kbd:…55')");
    // The existing 김민준 would change: department and employee number, before and after.
    expect(text).toContain('부서: — → 영업팀');
    expect(text).not.toContain('1000555');
    expect(await dialog().getByTestId('csv-import-run').isDisabled()).toBe(true);
    expect(await dialog().innerText()).toContain('오류가 있는 행을 고친 뒤 파일을 다시 고르세요');
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '40-csv-import-dry-run-ko');

    // Nothing was written by the dry run.
    expect(await server.deps().store.findUserByEmail('jiwoo.han@example.com')).toBeNull();

    await upload('사용자.csv', utf8Bom(PEOPLE_GOOD));
    expect(await dialog().getByTestId('csv-import-summary').innerText()).toMatch(/추가 5\s+수정 1/);
    const run = dialog().getByTestId('csv-import-run');
    expect(await run.textContent()).toBe('6행 가져오기');
    await run.click();
    await dialog().getByTestId('csv-import-done').waitFor();
    expect(await dialog().getByTestId('csv-import-done').textContent()).toBe(
      '가져왔습니다: 추가 5, 수정 1, 변경 없음 0.',
    );
    await dialog().getByTestId('csv-import-close').click();

    await page.goto(`${server.url}/dashboard/#/people?q=${encodeURIComponent('한지우')}`);
    await page.getByText('한지우').first().waitFor();
    expect(await page.locator('main').innerText()).toContain('연구개발팀');
    const jiwoo = (await server.deps().store.findUserByEmail('jiwoo.han@example.com'))!;
    expect((await server.deps().store.findUserByBadgeHash(server.deps().hashBadge('kbd:1000555')))?.id).toBe(
      jiwoo.id,
    );
    expect(await server.deps().store.findPerson(jiwoo.id)).toMatchObject({
      department: '연구개발팀',
      employeeNumber: '20240101',
    });
  });

  it('items: a Korean Excel (CP949) file is read, and the dry run reads in English too', async () => {
    await page.goto(`${server.url}/dashboard/#/items`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Items' }).waitFor();
    await page.getByTestId('import-items').click();
    await dialog().waitFor();
    await upload('items.csv', ITEMS_CP949);
    expect(await dialog().getByTestId('csv-import-filename').textContent()).toBe(
      'items.csv (read as CP949 (EUC-KR))',
    );
    const text = await dialog().getByTestId('csv-import-rows').innerText();
    expect(text).toContain("Row 2, Loan days: must be a whole number from 1 to 365 (given: 'abc')");
    expect(text).toContain('카메라');
    expect(await leakedInternals(page)).toBeNull();

    // A people file with rows of every outcome, for the English screenshot.
    await page.goto(`${server.url}/dashboard/#/people`);
    await page.getByTestId('import-people').click();
    await dialog().waitFor();
    await upload(
      'people.csv',
      utf8Bom([
        'name,email,role,department,employeeNumber,badges',
        'Yerin Kang,yerin.kang@example.com,member,Design,20240110,1000777',
        '오세훈,sehoon.oh@example.com,staff,시설관리팀,20240102,',
        '한지우,jiwoo.han@example.com,admin,연구개발팀,20240101,',
        PEOPLE_BAD[4]!,
        PEOPLE_BAD[5]!,
      ]),
    );
    const en = await dialog().getByTestId('csv-import-rows').innerText();
    expect(en).toContain("Row 5, Email: is not an email address (given: 'haneul.jung')");
    expect(en).toContain("Row 6, Role: must be member, staff or admin (given: '매니저')");
    expect(en).toContain('Role: Member → Admin');
    expect(en).toContain('No change');
    await shot(page, SUITE, '41-csv-import-dry-run-en');
    await dialog().getByTestId('csv-import-close').click();
    await page.getByRole('button', { name: '한국어' }).click();
  });
});
